package runner

// bodySnippet is snippet of the body with every secret masked first, so
// that cutting the text cannot leave part of a secret unmasked (the mask
// replaces whole values only).
func (rn *run) bodySnippet(body []byte) string {
	return snippet(rn.mask.Bytes(body))
}
