package collections

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/callsheet/callsheet/internal/safetext"
)

// The excerpt layout, as in Hurl:
//
//	error: unknown key "expcet" in step
//	  --> first-call.yaml:12:5
//	   |
//	12 |     expcet:
//	   |     ^^^^^^ did you mean "expect"?
//	   |
//
// Everything here is plain text; colour, if any, is added by the CLI. Text
// taken from the file, from errors and from notes is shown through
// safetext.Line, so an excerpt is safe to print into a terminal or a CI
// log; the carets stay under the text as shown.

// tabWidth is the number of spaces a tab is expanded to in excerpts.
const tabWidth = 4

// Render formats the error with an excerpt of src, the content of the file
// the error's position names. With a nil src only the title and location
// are printed.
func (e *Error) Render(src []byte) string {
	return e.render(NewLines(src))
}

func (e *Error) render(lines *Lines) string {
	return "error: " + safetext.Text(e.Msg) + "\n" + lines.Excerpt(e.Pos, e.Len, e.Hint, nil)
}

// RenderErrors renders every *Error found in err (an ErrorList or a single
// *Error, possibly wrapped), each followed by a blank line, taking each
// file's content from sources (keyed by Pos.File). Errors of other types
// are rendered as "error: " and their text. It returns "" for a nil err.
func RenderErrors(err error, sources map[string][]byte) string {
	if err == nil {
		return ""
	}
	var list ErrorList
	var one *Error
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = ErrorList{one}
	default:
		return "error: " + safetext.Text(err.Error()) + "\n"
	}
	var b strings.Builder
	indexed := map[string]*Lines{} // each file is indexed once, not once per error
	for i, e := range list {
		if i > 0 {
			b.WriteString("\n")
		}
		lines, ok := indexed[e.Pos.File]
		if !ok {
			lines = NewLines(sources[e.Pos.File])
			indexed[e.Pos.File] = lines
		}
		b.WriteString(e.render(lines))
	}
	return b.String()
}

// Excerpt formats the location line and the source line at pos with a
// line-number gutter, n carets (at least one) under the text starting at
// pos, and note after the carets:
//
//	  --> file.yaml:12:5
//	   |
//	12 |     expcet:
//	   |     ^^^^^^ note
//	   |
//
// Each further line of note gets a gutter line of its own, so a note that
// starts with a newline puts the carets alone and the remaining lines
// (such as "actual: …" and "expected: …") under them. With pos.Col 0 no
// caret is drawn and every line of note follows the source line. The
// result ends with a newline.
func Excerpt(src []byte, pos Pos, n int, note string) string {
	return MaskedExcerpt(src, pos, n, note, nil)
}

// MaskedExcerpt is Excerpt with the source line shown through mask, which
// replaces the secrets a run knows (a literal value of a secret variable
// too); the carets are placed under the masked text. A nil mask shows the
// line as written.
func MaskedExcerpt(src []byte, pos Pos, n int, note string, mask func(string) string) string {
	raw, ok := rawLine(src, pos.Line)
	return excerpt(raw, ok, pos, n, note, mask)
}

// Excerpt is MaskedExcerpt of the source l indexes.
func (l *Lines) Excerpt(pos Pos, n int, note string, mask func(string) string) string {
	raw, ok := l.Line(pos.Line)
	return excerpt(raw, ok, pos, n, note, mask)
}

// excerpt draws the excerpt of raw, line pos.Line of the source (ok
// false when the source has no such line).
func excerpt(raw string, ok bool, pos Pos, n int, note string, mask func(string) string) string {
	w := len(strconv.Itoa(max(pos.Line, 0)))
	pad := strings.Repeat(" ", w)
	var b strings.Builder
	fmt.Fprintf(&b, "%s--> %s\n", pad, safetext.Line(pos.String()))
	bar := pad + " |"
	line := func(s string) {
		if s == "" {
			b.WriteString(bar + "\n")
			return
		}
		b.WriteString(bar + " " + safetext.Line(s) + "\n")
	}
	show := func(s string) string {
		if mask != nil {
			s = mask(s)
		}
		return expandTabs(safetext.Line(s))
	}
	text := show(raw)
	if !ok && note == "" {
		return b.String()
	}
	b.WriteString(bar + "\n")
	notes := strings.Split(note, "\n")
	if note == "" {
		notes = nil
	}
	if ok {
		if text == "" {
			fmt.Fprintf(&b, "%d |\n", pos.Line)
		} else {
			fmt.Fprintf(&b, "%d | %s\n", pos.Line, text)
		}
		if pos.Col > 0 {
			first := ""
			if len(notes) > 0 {
				first, notes = notes[0], notes[1:]
			}
			c := caret(raw, pos, n, show)
			if first != "" {
				c += " " + first
			}
			line(c)
		}
	}
	for _, s := range notes {
		line(s)
	}
	b.WriteString(bar + "\n")
	return b.String()
}

// rawLine returns line (1-based) of src as written, without terminator.
// It scans src up to the line: callers that look up many lines of one
// source use Lines.
func rawLine(src []byte, line int) (string, bool) {
	if line < 1 || len(src) == 0 {
		return "", false
	}
	s := src
	for i := 1; i < line; i++ {
		nl := bytes.IndexByte(s, '\n')
		if nl < 0 {
			return "", false
		}
		s = s[nl+1:]
	}
	if nl := bytes.IndexByte(s, '\n'); nl >= 0 {
		s = s[:nl]
	}
	return strings.TrimSuffix(string(s), "\r"), true
}

func expandTabs(s string) string {
	return strings.ReplaceAll(s, "\t", strings.Repeat(" ", tabWidth))
}

// caret returns the caret line's content for pos on the source line raw,
// shown through show: spaces up to where column pos.Col is shown, then
// carets under the shown text of the n characters from there, at least
// one. Positions past the end of the line count as one column each. It
// returns "" when pos.Col is 0.
func caret(raw string, pos Pos, n int, show func(string) string) string {
	if pos.Col < 1 {
		return ""
	}
	runes := []rune(raw)
	width := func(k int) int { // the shown width of the first k characters
		return utf8.RuneCountInString(show(string(runes[:min(k, len(runes))]))) + max(k-len(runes), 0)
	}
	before := width(pos.Col - 1)
	span := width(pos.Col-1+max(n, 1)) - before
	return strings.Repeat(" ", before) + strings.Repeat("^", max(span, 1))
}

// SpanAt guesses how many characters (runes) the YAML token starting at pos
// covers on its line: a quoted scalar up to its closing quote, a plain
// scalar or key up to ": ", " #", the end of the line, or, inside a flow
// collection, the next ",", "]" or "}". It returns at least 1. The CLI uses
// it to draw carets under an expected value.
func SpanAt(src []byte, pos Pos) int {
	raw, ok := rawLine(src, pos.Line)
	return spanIn(raw, ok, pos)
}

// SpanAt is the package's SpanAt in the source l indexes.
func (l *Lines) SpanAt(pos Pos) int {
	raw, ok := l.Line(pos.Line)
	return spanIn(raw, ok, pos)
}

// spanIn is SpanAt on raw, line pos.Line of the source (ok false when the
// source has no such line).
func spanIn(raw string, ok bool, pos Pos) int {
	if !ok || pos.Col < 1 {
		return 1
	}
	runes := []rune(raw)
	start := pos.Col - 1
	if start >= len(runes) {
		return 1
	}
	rest := runes[start:]
	switch rest[0] {
	case '"':
		for i := 1; i < len(rest); i++ {
			if rest[i] == '\\' {
				i++
				continue
			}
			if rest[i] == '"' {
				return i + 1
			}
		}
		return len(rest)
	case '\'':
		for i := 1; i < len(rest); i++ {
			if rest[i] == '\'' {
				if i+1 < len(rest) && rest[i+1] == '\'' {
					i++
					continue
				}
				return i + 1
			}
		}
		return len(rest)
	case '[', '{':
		if n := bracketSpan(rest); n > 0 {
			return n
		}
	}
	flow := strings.ContainsAny(string(runes[:start]), "[{")
	end := len(rest)
	for i, r := range rest {
		next := rune(0)
		if i+1 < len(rest) {
			next = rest[i+1]
		}
		if r == ':' && (next == 0 || next == ' ' || next == '\t') ||
			(r == ' ' || r == '\t') && next == '#' ||
			flow && (r == ',' || r == ']' || r == '}') {
			end = i
			break
		}
	}
	n := len(strings.TrimRight(string(rest[:end]), " \t"))
	n = len([]rune(string(rest[:end])[:n]))
	return max(n, 1)
}
