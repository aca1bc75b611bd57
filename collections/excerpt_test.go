package collections

import (
	"errors"
	"strings"
	"testing"
)

func TestErrorRender(t *testing.T) {
	src := []byte("steps:\n  - GET: x\n\texpcet:\n")
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{
			name: "carets under the span",
			err:  &Error{Pos: Pos{File: "f.yaml", Line: 2, Col: 5}, Len: 3, Msg: "bad method", Hint: "did you mean?"},
			want: "error: bad method\n --> f.yaml:2:5\n  |\n2 |   - GET: x\n  |     ^^^ did you mean?\n  |\n",
		},
		{
			name: "tabs are expanded before the carets",
			err:  &Error{Pos: Pos{File: "f.yaml", Line: 3, Col: 2}, Len: 6, Msg: "unknown key"},
			want: "error: unknown key\n --> f.yaml:3:2\n  |\n3 |     expcet:\n  |     ^^^^^^\n  |\n",
		},
		{
			name: "a caret spanning a tab covers it",
			err:  &Error{Pos: Pos{File: "f.yaml", Line: 3, Col: 1}, Len: 2, Msg: "m"},
			want: "error: m\n --> f.yaml:3:1\n  |\n3 |     expcet:\n  | ^^^^^\n  |\n",
		},
		{
			name: "no column: no caret",
			err:  &Error{Pos: Pos{File: "f.yaml", Line: 1, Col: 0}, Msg: "invalid YAML: x", Hint: "a hint"},
			want: "error: invalid YAML: x\n --> f.yaml:1\n  |\n1 | steps:\n  | a hint\n  |\n",
		},
		{
			name: "line out of range",
			err:  &Error{Pos: Pos{File: "f.yaml", Line: 40, Col: 1}, Msg: "m"},
			want: "error: m\n  --> f.yaml:40:1\n",
		},
		{
			name: "zero length still has one caret",
			err:  &Error{Pos: Pos{File: "f.yaml", Line: 1, Col: 6}, Msg: "m"},
			want: "error: m\n --> f.yaml:1:6\n  |\n1 | steps:\n  |      ^\n  |\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Render(src); got != tt.want {
				t.Errorf("Render() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestExcerptNoteLines(t *testing.T) {
	src := []byte("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n  status: 200\n")
	got := Excerpt(src, Pos{File: "f.yaml", Line: 12, Col: 11}, 3, "\nactual:   integer <404>\nexpected: integer <200>")
	want := "  --> f.yaml:12:11\n" +
		"   |\n" +
		"12 |   status: 200\n" +
		"   |           ^^^\n" +
		"   | actual:   integer <404>\n" +
		"   | expected: integer <200>\n" +
		"   |\n"
	if got != want {
		t.Errorf("Excerpt() =\n%s\nwant\n%s", got, want)
	}
}

func TestSourceLineAndCaret(t *testing.T) {
	src := []byte("one\r\n\ttwo\nthree")
	tests := []struct {
		pos  Pos
		n    int
		want string // the source and caret lines
	}{
		{Pos{File: "f", Line: 1, Col: 1}, 3, "1 | one\n  | ^^^\n"},
		{Pos{File: "f", Line: 2, Col: 2}, 3, "2 |     two\n  |     ^^^\n"},
		{Pos{File: "f", Line: 2, Col: 0}, 3, "2 |     two\n"},
		{Pos{File: "f", Line: 3, Col: 5}, 3, "3 | three\n  |     ^^^\n"}, // past the end: one column each
		{Pos{File: "f", Line: 4, Col: 1}, 1, ""},
	}
	for _, tt := range tests {
		got := Excerpt(src, tt.pos, tt.n, "")
		if _, body, _ := strings.Cut(got, "  |\n"); body != tt.want+"  |\n" && !(tt.want == "" && body == "") {
			t.Errorf("Excerpt(%v, %d) =\n%s\nwant the lines\n%s", tt.pos, tt.n, got, tt.want)
		}
	}
}

// TestExcerptEscapes checks that what an excerpt shows of the file, the
// location and the note is escaped as in a terminal or CI log, with the
// carets under the escaped text.
func TestExcerptEscapes(t *testing.T) {
	src := []byte("name: \"a\u202eb ##vso[task.complete]\"\n  x: \u0085y\n")
	got := Excerpt(src, Pos{File: "f\x1b.yaml", Line: 1, Col: 27}, 5, "\n::error::note")
	want := " --> f\\x1b.yaml:1:27\n" +
		"  |\n" +
		"1 | name: \"a\\u202eb #\\x23vso[task.complete]\"\n" +
		"  | " + strings.Repeat(" ", 34) + "^^^^^\n" + // under "lete]"
		"  | :\\x3aerror::note\n" +
		"  |\n"
	if got != want {
		t.Errorf("Excerpt() =\n%s\nwant\n%s", got, want)
	}
	// A C1 control before the caret widens what comes before it.
	got = Excerpt(src, Pos{File: "f.yaml", Line: 2, Col: 7}, 1, "")
	if !strings.Contains(got, "2 |   x: \\x85y\n  |          ^\n") {
		t.Errorf("Excerpt(2:7) =\n%s\nwant the caret under y", got)
	}
}

// TestMaskedExcerpt checks that a masked excerpt shows no secret, with the
// carets under what follows it placed as shown.
func TestMaskedExcerpt(t *testing.T) {
	src := []byte("    GET: \"https://h/?key=s3cr3t-literal&n={{ nope }}\"\n")
	mask := func(s string) string { return strings.ReplaceAll(s, "s3cr3t-literal", "***") }
	got := MaskedExcerpt(src, Pos{File: "f.yaml", Line: 1, Col: 44}, 8, "", mask)
	want := "1 |     GET: \"https://h/?key=***&n={{ nope }}\"\n" +
		"  |                                 ^^^^^^^^\n"
	if !strings.Contains(got, want) || strings.Contains(got, "s3cr3t") {
		t.Errorf("MaskedExcerpt() =\n%s\nwant the lines\n%s", got, want)
	}
	if got := Excerpt(src, Pos{File: "f.yaml", Line: 1, Col: 44}, 8, ""); !strings.Contains(got, "s3cr3t-literal") {
		t.Errorf("Excerpt() without a mask =\n%s\nwant the line as written", got)
	}
}

func TestSpanAt(t *testing.T) {
	tests := []struct {
		line string
		col  int
		want int
	}{
		{`  status: 200`, 11, 3},
		{`  name: "a \" b"  # c`, 9, 8},
		{`  name: 'it''s' x`, 9, 7},
		{`  expcet:`, 3, 6},
		{`  url: https://x.test/a # comment`, 8, 16},
		{`  c: { gt: 10, lt: 20 }`, 12, 2},
		{`  s: [200, 201]`, 7, 3},
		{`  x: plain text  `, 6, 10},
		{``, 1, 1},
	}
	for _, tt := range tests {
		if got := SpanAt([]byte(tt.line), Pos{Line: 1, Col: tt.col}); got != tt.want {
			t.Errorf("SpanAt(%q, col %d) = %d, want %d", tt.line, tt.col, got, tt.want)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	src := []byte("steps: x\n")
	_, err := Parse("f.yaml", src, Options{})
	got := RenderErrors(err, map[string][]byte{"f.yaml": src})
	want := "error: steps must be a list, not a string\n --> f.yaml:1:8\n  |\n1 | steps: x\n  |        ^ write steps as a list, each item starting with -\n  |\n"
	if got != want {
		t.Errorf("RenderErrors() =\n%s\nwant\n%s", got, want)
	}
	if got := RenderErrors(nil, nil); got != "" {
		t.Errorf("RenderErrors(nil) = %q", got)
	}
	if got := RenderErrors(errors.New("boom"), nil); got != "error: boom\n" {
		t.Errorf("RenderErrors(boom) = %q", got)
	}
	// Without the source, only the title and location.
	if got := RenderErrors(err, nil); got != "error: steps must be a list, not a string\n --> f.yaml:1:8\n  |\n  | write steps as a list, each item starting with -\n  |\n" {
		t.Errorf("RenderErrors(no source) = %q", got)
	}
}
