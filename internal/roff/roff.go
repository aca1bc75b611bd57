// Package roff prepares text for groff, which reads manual pages.
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
