package runner

import (
	"bytes"
	"strings"
)

// occurs reports whether any secret form occurs in s. Most text holds no
// secret, and strings.Index (vectorised for short patterns) over each form
// rules that out several times faster than the Replacer's byte-by-byte
// trie walk; the Replacer then runs only on text that needs it. In the
// chain benchmark masking fell from about 25% of the runner's CPU time.
func (m *masker) occurs(s string) bool {
	if len(s) < minSecretLen {
		return false
	}
	for _, f := range m.list {
		if strings.Contains(s, f) {
			return true
		}
	}
	return false
}

// replace masks s with the Replacer, built on first use: a run adds its
// secrets one by one (vars, the code, the tokens), and building a Replacer
// for each addition cost more than the masking. sync.Once keeps the
// masking methods safe for concurrent use.
func (m *masker) replace(s string) string {
	m.build.Do(func() { m.replacer = strings.NewReplacer(m.pairs...) })
	return m.replacer.Replace(s)
}

// occursBytes is occurs for a byte slice, without copying it.
func (m *masker) occursBytes(b []byte) bool {
	if len(b) < minSecretLen || len(m.blist) == 0 {
		return false
	}
	for _, f := range m.blist {
		if bytes.Contains(b, f) {
			return true
		}
	}
	return false
}

// byteForms converts the forms once, so that occursBytes allocates
// nothing.
func byteForms(forms []string) [][]byte {
	out := make([][]byte, len(forms))
	for i, f := range forms {
		out[i] = []byte(f)
	}
	return out
}

// keep returns the first limit bytes of b, which holds no secret: b
// itself when it is that short (no copy), else a copy, so that a result
// never keeps a large body's array alive.
func keep(b []byte, limit int) []byte {
	if len(b) <= limit {
		return b
	}
	return bytes.Clone(b[:limit])
}
