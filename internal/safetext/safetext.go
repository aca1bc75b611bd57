// Package safetext is the one rule by which callsheet shows text it did
// not write itself: names, descriptions, tags, values and file names from
// collections, data files and imports, and headers, bodies and messages
// from servers.
//
// Characters that could act on a terminal or hide text are written as
// escapes: control characters other than tab and newline (carriage return
// and backspace included), DEL, C1 controls, bidirectional formatting
// characters, the line and paragraph separators, the byte order mark and
// the non-characters U+FFFE and U+FFFF become \xNN or \uNNNN, and bytes
// that are not UTF-8 become \xNN. So text can neither move the cursor,
// recolour or retitle a terminal, nor reorder or hide what is shown. In a
// terminal or CI log, text a CI could read as a command (a line starting
// with "::", after spaces or tabs, for GitHub Actions; "##[", "##vso[" or
// "##teamcity[" anywhere, for the legacy GitHub form, Azure Pipelines and
// TeamCity) has its second character escaped the same way (":\x3a",
// "#\x23").
//
// Text and Line are for terminals and CI logs; Report is for reports,
// whose formats encode line breaks themselves. Escaping is
// idempotent: escaped text passes through unchanged.
package safetext

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Text makes s safe to print into a terminal or a CI log, keeping its
// tabs and newlines.
func Text(s string) string {
	return escape(s, forLog)
}

// Line is Text for text printed on one line: newlines are escaped as \n
// too.
func Line(s string) string {
	return escape(s, forLine)
}

// Report makes s safe for a report: a file (XML, HTML, TAP) or a value
// of a GitHub workflow command. The characters Text escapes are escaped,
// but carriage returns are kept and CI commands left alone: each of these
// formats encodes line breaks itself, so no text can start a line of a
// CI log.
func Report(s string) string {
	return escape(s, forReport)
}

// rule says how escape treats what differs between its uses.
type rule struct {
	keepCR     bool // carriage returns are written as they are
	oneLine    bool // newlines are written as \n
	ciCommands bool // CI commands are escaped
}

var (
	forLog    = rule{ciCommands: true}
	forLine   = rule{ciCommands: true, oneLine: true}
	forReport = rule{keepCR: true}
)

func escape(s string, ru rule) string {
	if isPlain(s, ru) {
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
		case r == '\n' && ru.oneLine:
			b.WriteString(`\n`)
		case r == '\n' || r == '\t' || r == '\r' && ru.keepCR:
			b.WriteRune(r)
		case Unsafe(r):
			writeEscape(&b, r)
		case ru.ciCommands && r == ':' && lineStart && strings.HasPrefix(s[i:], "::"):
			b.WriteString(`:\x3a`)
			size = 2
		case ru.ciCommands && r == '#' && strings.HasPrefix(s[i:], "##") && isCICommand(s[i+2:]):
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

// isPlain reports whether s is printable ASCII (and tabs and newlines, and
// carriage returns where they are kept) holding nothing a CI could read
// as a command: the common case, returned unchanged without copying.
func isPlain(s string, ru rule) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c < 0x7f || c == '\t' || c == '\n' && !ru.oneLine || c == '\r' && ru.keepCR {
			continue
		}
		return false
	}
	return !ru.ciCommands || !strings.Contains(s, "::") && !strings.Contains(s, "##")
}

// Unsafe reports whether r is escaped wherever it appears: a C0 control,
// DEL, a C1 control, a bidirectional formatting character, a line or
// paragraph separator, the byte order mark or a non-character U+FFFE,
// U+FFFF. Tab, newline and carriage return are C0 controls; Text, Line
// and Report each say which of them they keep.
func Unsafe(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	case r == 0x2028, r == 0x2029, r == 0xfeff, r == 0xfffe, r == 0xffff:
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
