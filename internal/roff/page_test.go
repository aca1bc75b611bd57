package roff

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestEscape(t *testing.T) {
	tests := []struct {
		name string
		text Text
		want string
	}{
		{"plain words", Plain("run the collections"), "run the collections"},
		{"backslash", Plain(`C:\dir\fB`), `C:\edir\efB`},
		{"a font escape stays text", Plain(`\fBnot bold\fR`), `\efBnot bold\efR`},
		{"option names", Plain("--max-body, -j"), `\-\-max\-body, \-j`},
		{"apostrophe and grave accent", Plain("it's `x`"), `it\(aqs \(gax\(ga`},
		{"quotes stay", Plain(`say "hi"`), `say "hi"`},
		{"control characters are dropped", Plain("a\x00b\x1bc\x7fd\te"), "abcd\te"},
		{"a leading dot stays for the line to protect", Plain(".TH x"), ".TH x"},
		{"bold", Bold("--sandbox"), `\fB\-\-sandbox\fR`},
		{"italic", Italic("FILE"), `\fIFILE\fR`},
		{"no text, no font change", Bold("") + Italic(""), ""},
		{"joined", Bold("--data") + Plain(" ") + Italic("FILE"), `\fB\-\-data\fR \fIFILE\fR`},
	}
	for _, tt := range tests {
		if string(tt.text) != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.text, tt.want)
		}
	}
}

// body returns the page after its header lines (.TH and .nh).
func body(p *Page) string {
	_, rest, _ := strings.Cut(p.String(), ".nh\n")
	return rest
}

func TestPage(t *testing.T) {
	tests := []struct {
		name  string
		write func(p *Page)
		want  string
	}{
		{"a paragraph after a heading needs no .PP", func(p *Page) { p.Section("NAME"); p.Paragraph(Plain("x - y")) }, ".SH NAME\nx \\- y\n"},
		{"paragraphs are filled onto one line", func(p *Page) { p.Paragraph(Plain("a\n  b\tc ")); p.Paragraph(Plain("d")) }, ".PP\na b c\n.PP\nd\n"},
		{"empty paragraphs are left out", func(p *Page) { p.Paragraph(Plain(" \n")) }, ""},
		{"long text wraps between words", func(p *Page) { p.Paragraph(Plain(strings.Repeat("word ", 20))) },
			".PP\n" + strings.TrimSpace(strings.Repeat("word ", 16)) + "\nword word word word\n"},
		{"a word longer than a line", func(p *Page) { p.Paragraph(Plain("a " + strings.Repeat("b", 90) + " c")) },
			".PP\na\n" + strings.Repeat("b", 90) + "\nc\n"},
		{"a wrapped line starting with a dot", func(p *Page) { p.Paragraph(Plain(strings.Repeat("a", 79) + " .so x")) },
			".PP\n" + strings.Repeat("a", 79) + "\n\\&.so x\n"},
		{"a tagged body wraps, its tag does not", func(p *Page) {
			p.Tagged(Plain(strings.Repeat("t ", 50)), Plain(strings.Repeat("a", 79)+" 'b"))
		}, ".TP\n" + strings.TrimSpace(strings.Repeat("t ", 50)) + "\n" + strings.Repeat("a", 79) + "\n\\(aqb\n"},
		{"a line starting with a dot", func(p *Page) { p.Paragraph(Plain(".TH oops")) }, ".PP\n\\&.TH oops\n"},
		{"a line starting with an apostrophe", func(p *Page) { p.Paragraph("'br") }, ".PP\n\\&'br\n"},
		{"an escaped apostrophe is no control character", func(p *Page) { p.Paragraph(Plain("'br")) }, ".PP\n\\(aqbr\n"},
		{"a subsection title with a space is quoted", func(p *Page) { p.Subsection("load merge") }, ".SS \"load merge\"\n"},
		{"a quote in a title", func(p *Page) { p.Section(`a "b"`) }, ".SH \"a \\(dqb\\(dq\"\n"},
		{"a title made only of a quote", func(p *Page) { p.Section(`"`) }, ".SH \"\\(dq\"\n"},
		{"tagged", func(p *Page) { p.Tagged(Bold("-v"), Plain("more")) }, ".TP\n\\fB\\-v\\fR\nmore\n"},
		{"example lines keep their spaces", func(p *Page) { p.Example([]string{"a  b", ".x", `\n`}) }, ".PP\n.RS 4\n.EX\na  b\n\\&.x\n\\en\n.EE\n.nh\n.RE\n"},
		{"beyond ASCII", func(p *Page) { p.Paragraph(Plain("café → ok")) }, ".PP\ncaf\\[u00E9] \\[u2192] ok\n"},
		{"comment", func(p *Page) { p.Comment("made by `x -y`\nz\x01") }, ".\\\" made by `x -y`\n.\\\" z\n"},
	}
	for _, tt := range tests {
		p := NewPage("x", 1, "src", "Manual")
		tt.write(p)
		if got := body(p); got != tt.want {
			t.Errorf("%s: got\n%q\nwant\n%q", tt.name, got, tt.want)
		}
	}
	if got, want := NewPage("callsheet", 1, "callsheet", "User Commands").String(), ".TH callsheet 1 \"\" callsheet \"User Commands\"\n.nh\n"; got != want {
		t.Errorf("NewPage = %q, want %q", got, want)
	}
}

func TestProse(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"one paragraph", "Runs each\ncollection.", ".PP\nRuns each collection.\n"},
		{"paragraphs", "a\n\n\nb\n", ".PP\na\n.PP\nb\n"},
		{"backquotes are bold", "Run `callsheet run` now.", ".PP\nRun \\fBcallsheet run\\fR now.\n"},
		{"an unpaired backquote stays", "a `b` c ` d", ".PP\na \\fBb\\fR c \\(ga d\n"},
		{"an indented block is an example", "Install it with\n\n  mkdir -p x\n    callsheet man\n\nthen read it.",
			".PP\nInstall it with\n.PP\n.RS 4\n.EX\nmkdir \\-p x\n  callsheet man\n.EE\n.nh\n.RE\n.PP\nthen read it.\n"},
		{"an example right after a line", "Load it:\n\tsource x   \nDone.", ".PP\nLoad it:\n.PP\n.RS 4\n.EX\nsource x\n.EE\n.nh\n.RE\n.PP\nDone.\n"},
		{"a hostile line", ".so /etc/passwd\n\\fB x", ".PP\n\\&.so /etc/passwd \\efB x\n"},
	}
	for _, tt := range tests {
		p := NewPage("x", 1, "", "")
		p.Prose(tt.text)
		if got := body(p); got != tt.want {
			t.Errorf("%s: got\n%q\nwant\n%q", tt.name, got, tt.want)
		}
	}
}

// TestGroffPrintsTextAsIs has groff, where it is installed, format a page
// of hostile text and checks that each text comes out as it went in.
func TestGroffPrintsTextAsIs(t *testing.T) {
	texts := []string{
		".TH oops 9", "'br", `\fBnot bold\fR`, `C:\dir\new`, `say "hi" and 'bye'`,
		"--max-body -j", "`callsheet run`", ".so /etc/passwd", `\`, "café → naïve",
	}
	p := NewPage("hostile", 1, "src", "Manual")
	p.Section("TEXTS")
	for _, s := range texts {
		p.Paragraph(Plain(s))
	}
	p.Tagged(Bold(".a-tag-too-long-to-share-a-line"), Plain("'body"))
	p.Example([]string{".ex", `'ex \n`})
	if _, err := exec.LookPath("groff"); err != nil {
		t.Skip("groff is not installed")
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute) // hang guard
	defer cancel()
	cmd := exec.CommandContext(ctx, "groff", "-man", "-Tutf8", "-ww", "-P-cbou")
	cmd.Stdin = strings.NewReader(p.String())
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("groff: %v\n%s", err, stderr.String())
	}
	lines := strings.Split(string(out), "\n")
	for _, s := range append(texts, ".a-tag-too-long-to-share-a-line", "'body", ".ex", `'ex \n`) {
		found := false
		for _, l := range lines {
			found = found || strings.TrimSpace(l) == s
		}
		if !found {
			t.Errorf("groff printed no line %q:\n%s", s, out)
		}
	}
}
