package console

import "strings"

// Style adds ANSI colours to text when colour is on.
type Style struct {
	// Color turns the escapes on.
	Color bool
}

// StyleFor decides whether output on a stream is coloured: never with
// noColor (--no-color), a non-empty NO_COLOR (https://no-color.org) or
// TERM=dumb in the environment lookupEnv reads, and otherwise only when
// the stream is a terminal.
func StyleFor(noColor bool, lookupEnv func(string) (string, bool), terminal bool) Style {
	if noColor {
		return Style{}
	}
	if v, ok := lookupEnv("NO_COLOR"); ok && v != "" {
		return Style{}
	}
	if v, _ := lookupEnv("TERM"); v == "dumb" {
		return Style{}
	}
	return Style{Color: terminal}
}

// Paint wraps text in the SGR escape sgr when colour is on.
func (s Style) Paint(sgr, text string) string {
	if !s.Color || text == "" {
		return text
	}
	return "\x1b[" + sgr + "m" + text + "\x1b[0m"
}

// Green, Red, Yellow, Dim and Bold paint t.
func (s Style) Green(t string) string  { return s.Paint("32", t) }
func (s Style) Red(t string) string    { return s.Paint("31", t) }
func (s Style) Yellow(t string) string { return s.Paint("33", t) }
func (s Style) Dim(t string) string    { return s.Paint("2", t) }
func (s Style) Bold(t string) string   { return s.Paint("1", t) }

// Errors colours rendered collection errors: the "error:" titles and the
// carets.
func (s Style) Errors(text string) string {
	if !s.Color {
		return text
	}
	lines := strings.SplitAfter(text, "\n")
	for i, l := range lines {
		trimmed := strings.TrimLeft(l, " ")
		indent := l[:len(l)-len(trimmed)]
		switch {
		case strings.HasPrefix(trimmed, "error:"):
			lines[i] = indent + s.Paint("1;31", "error:") + s.Bold(strings.TrimSuffix(trimmed[len("error:"):], "\n"))
			if strings.HasSuffix(l, "\n") {
				lines[i] += "\n"
			}
		case strings.HasPrefix(trimmed, "| ") && strings.HasPrefix(strings.TrimLeft(trimmed[2:], " "), "^"):
			// A caret line: a gutter without a line number, then carets.
			start := strings.Index(l, "^")
			end := start + len(l[start:]) - len(strings.TrimLeft(l[start:], "^"))
			lines[i] = l[:start] + s.Red(l[start:end]) + l[end:]
		}
	}
	return strings.Join(lines, "")
}
