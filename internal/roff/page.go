package roff

import (
	"strconv"
	"strings"
)

// Text is inline roff: escaped text with font changes, ready for a
// paragraph or a tag. Make it with Plain, Bold and Italic and join the
// pieces with +.
type Text string

// Plain is s as roff text: every character stands for itself.
func Plain(s string) Text { return Text(escape(s)) }

// Bold is s set in bold, as commands and options are.
func Bold(s string) Text { return font("B", s) }

// Italic is s set in italic, as the words a reader replaces are.
func Italic(s string) Text { return font("I", s) }

// font is s in the font named name, then the regular font again; no
// text is nothing.
func font(name, s string) Text {
	if s == "" {
		return ""
	}
	return Text(`\f`+name) + Plain(s) + `\fR`
}

// textEscapes are the characters that roff would not print as
// themselves: the escape character, and the hyphen, apostrophe and grave
// accent, which some groff versions print as typographic characters that
// a command copied from the page would not work with.
var textEscapes = strings.NewReplacer(`\`, `\e`, `-`, `\-`, `'`, `\(aq`, "`", `\(ga`)

// escape makes s roff text. Control characters other than tab and
// newline, which groff rejects, are left out; characters beyond ASCII
// are escaped when the page is finished (Page.String).
func escape(s string) string { return textEscapes.Replace(printable(s)) }

// printable is s without its control characters other than tab and
// newline.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if (r < ' ' && r != '\t' && r != '\n') || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// Page is a manual page being written in the man(7) macros.
type Page struct {
	b strings.Builder
	// headed is set after a heading, where a paragraph needs no .PP.
	headed bool
}

// NewPage starts the page of the command name in section, with source
// (the project) and manual (the title of the book it belongs to) in its
// header. The page carries no date, so it is the same wherever and
// whenever it is made.
func NewPage(name string, section int, source, manual string) *Page {
	p := &Page{}
	p.macro("TH", name, strconv.Itoa(section), "", source, manual)
	p.macro("nh") // option names are not to be broken across lines
	return p
}

// Comment writes text as a comment, which readers of the page never see.
func (p *Page) Comment(text string) {
	for _, line := range strings.Split(text, "\n") {
		p.b.WriteString(`.\" ` + printable(line) + "\n")
	}
}

// Section starts the section title (NAME, SYNOPSIS, ...).
func (p *Page) Section(title string) {
	p.macro("SH", title)
	p.headed = true
}

// Subsection starts the subsection title within a section.
func (p *Page) Subsection(title string) {
	p.macro("SS", title)
	p.headed = true
}

// Paragraph writes text as a filled paragraph: its line breaks and runs
// of spaces are word spaces. Empty text writes nothing.
func (p *Page) Paragraph(text Text) {
	lines := wrap(text)
	if len(lines) == 0 {
		return
	}
	if !p.headed {
		p.macro("PP")
	}
	p.lines(lines)
	p.headed = false
}

// Tagged writes a tagged paragraph: tag on a line of its own, body
// indented below it, as options and exit statuses are listed.
func (p *Page) Tagged(tag, body Text) {
	p.macro("TP")
	p.line(fill(tag))
	p.lines(wrap(body))
	p.headed = false
}

// Example writes lines as they are, in a constant-width font, indented:
// a command to type or a file's text.
func (p *Page) Example(lines []string) {
	p.macro("PP")
	p.macro("RS", "4")
	p.macro("EX")
	for _, l := range lines {
		p.line(escape(l))
	}
	p.macro("EE")
	p.macro("nh") // groff's .EE turns hyphenation back on
	p.macro("RE")
	p.headed = false
}

// String returns the page written so far, its characters beyond ASCII
// escaped (EscapeRunes).
func (p *Page) String() string { return EscapeRunes(p.b.String()) }

// lineWidth is the length of input lines beyond which wrap starts a new
// one, to keep the page readable as text.
const lineWidth = 80

// fill makes text one line, its runs of spaces one space.
func fill(text Text) string { return strings.Join(strings.Fields(string(text)), " ") }

// wrap makes text input lines of at most lineWidth bytes, breaking
// between words (a longer word has a line of its own): roff fills them
// into the paragraph's width, so where they break does not show.
func wrap(text Text) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(string(text)) {
		if line != "" && len(line)+1+len(w) > lineWidth {
			lines, line = append(lines, line), ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// lines writes each of lines (line).
func (p *Page) lines(lines []string) {
	for _, l := range lines {
		p.line(l)
	}
}

// line writes one input line of text. A line that starts with a dot or
// an apostrophe, roff's control characters, would be read as a request,
// so it starts with the zero-width escape \& instead.
func (p *Page) line(s string) {
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		p.b.WriteString(`\&`)
	}
	p.b.WriteString(s + "\n")
}

// macro writes a macro call with its arguments, each quoted when it is
// empty or holds a space.
func (p *Page) macro(name string, args ...string) {
	p.b.WriteString("." + name)
	for _, a := range args {
		p.b.WriteString(" " + macroArg(a))
	}
	p.b.WriteString("\n")
}

// macroArg is s as one argument of a macro: escaped, on one line, and
// quoted when it is empty or holds a space, a quote inside written as
// \(dq.
func macroArg(s string) string {
	s = escape(strings.Join(strings.Fields(s), " "))
	if s != "" && !strings.ContainsAny(s, ` "`) {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `\(dq`) + `"`
}
