package roff

import "strings"

// Prose writes plain text as help texts are written: blank lines
// separate paragraphs, indented lines are examples shown as they are
// (without their common indent), and `backquoted` words are set in bold.
func (p *Page) Prose(text string) {
	var run []string
	literal := false
	flush := func() {
		switch {
		case len(run) == 0:
		case literal:
			p.Example(dedent(run))
		default:
			p.Paragraph(inline(strings.Join(run, " ")))
		}
		run = nil
	}
	for _, l := range strings.Split(text, "\n") {
		switch {
		case strings.TrimSpace(l) == "":
			flush()
		case indented(l) != literal:
			flush()
			literal = indented(l)
		}
		if strings.TrimSpace(l) != "" {
			run = append(run, l)
		}
	}
	flush()
}

// indented reports whether line starts with a space or a tab.
func indented(line string) bool {
	return strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")
}

// dedent removes from lines the indent they all share, and the spaces
// they end with.
func dedent(lines []string) []string {
	common := -1
	for _, l := range lines {
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if common < 0 || n < common {
			common = n
		}
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimRight(l[common:], " \t")
	}
	return out
}

// inline is s with the words between pairs of backquotes in bold; a
// backquote without its pair stays a backquote.
func inline(s string) Text {
	parts := strings.Split(s, "`")
	var t Text
	for i, part := range parts {
		switch {
		case i%2 == 0:
			t += Plain(part)
		case i == len(parts)-1:
			t += Plain("`" + part)
		default:
			t += Bold(part)
		}
	}
	return t
}
