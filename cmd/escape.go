package cmd

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// safeText makes text that came from a server, a collection or an error
// safe to print into a terminal or a CI log: control characters other
// than tab and newline, DEL, C1 controls, bidirectional overrides and
// bytes that are not UTF-8 are shown as \xNN or \uNNNN escapes, so they
// can neither move the cursor, recolour or retitle a terminal nor hide
// text; and text a CI could read as a command (a line starting with "::"
// for GitHub Actions, "##[", "##vso[" or "##teamcity[" anywhere) has its
// second character escaped the same way.
func safeText(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	lineStart := true // only spaces and tabs since the last newline
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case needsEscape(r):
			writeEscape(&b, r)
		case r == ':' && lineStart && strings.HasPrefix(s[i:], "::"):
			b.WriteString(`:\x3a`)
			size = 2
		case r == '#' && strings.HasPrefix(s[i:], "##") && isCICommand(s[i+2:]):
			b.WriteString(`#\x23`)
			size = 2
		default:
			b.WriteString(s[i : i+size])
		}
		lineStart = r == '\n' || (lineStart && (r == ' ' || r == '\t'))
		i += size
	}
	return b.String()
}

// safeLine is safeText for text printed on one line: newlines are escaped
// as well.
func safeLine(s string) string {
	return strings.ReplaceAll(safeText(s), "\n", `\n`)
}

// isPlain reports whether s is printable ASCII (and tabs and newlines)
// holding nothing a CI could read as a command: the common case, returned
// unchanged without copying.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 0x20 && c != '\t' && c != '\n') || c >= 0x7f {
			return false
		}
	}
	return !strings.Contains(s, "::") && !strings.Contains(s, "##")
}

// needsEscape reports whether r would act on a terminal or hide text: C0
// controls (but tab and newline, handled by the caller), DEL, C1 controls,
// bidirectional formatting characters and the BOM.
func needsEscape(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c, r == 0xfeff:
		return true
	}
	return false
}

// writeEscape writes r as \xNN or \uNNNN.
func writeEscape(b *strings.Builder, r rune) {
	if r < 0x100 {
		fmt.Fprintf(b, `\x%02x`, r)
		return
	}
	fmt.Fprintf(b, `\u%04x`, r)
}

// isCICommand reports whether rest, the text after "##", starts a
// command of Azure Pipelines, TeamCity or the legacy GitHub Actions form.
func isCICommand(rest string) bool {
	for _, p := range []string{"[", "vso[", "teamcity["} {
		if strings.HasPrefix(rest, p) {
			return true
		}
	}
	return false
}
