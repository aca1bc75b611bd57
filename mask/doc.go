// Package mask hides secret values in text. A [Masker] holds the secrets of
// one run: each value is registered in every form it is likely to be sent
// in (as it is, URL-escaped, base64, inside a JSON string), and every form
// found in a text is replaced by [Text], leftmost first and longest at each
// place, so that a secret holding another is masked whole.
//
// Secrets arrive during a run, one capture at a time, and a long run may
// hold thousands. The forms are kept in one radix tree that each new form
// extends, and a bit set of the hashes of every form's first [MinLen]
// bytes tells, at each place of a text, whether a form may start there: a
// text is read once, in time that does not grow with the number of
// secrets, and only a place whose first bytes start a form walks the tree.
//
// Errors are masked too ([Masker.Err]): a masked error reads with every
// secret hidden, and errors.Is and errors.As see through it without ever
// handing back an error whose text shows a secret (see [Masker.Err]).
//
// # Where to start
//
//   - masker.go: [Masker], [Masker.Add] and the masking of strings and
//     bytes; header.go, the credential headers masked whatever the
//     secrets.
//   - match.go: the radix tree and the bit set that find the forms.
//   - error.go: masked errors and [Copier].
package mask
