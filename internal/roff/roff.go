// Package roff writes manual pages in the man(7) macros, which groff and
// mandoc format: a Page of sections, paragraphs, tagged paragraphs and
// examples, with its text escaped so that each character prints as
// itself, whatever it is.
package roff

import (
	"fmt"
	"strings"
)

// EscapeRunes writes each character of page beyond ASCII as groff's
// \[uXXXX] escape, which every groff reads whatever its input encoding.
func EscapeRunes(page string) string {
	var b strings.Builder
	for _, r := range page {
		if r < 0x80 {
			b.WriteRune(r)
			continue
		}
		fmt.Fprintf(&b, `\[u%04X]`, r)
	}
	return b.String()
}
