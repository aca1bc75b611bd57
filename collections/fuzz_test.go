package collections

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseTemplate checks that ParseTemplate never panics, that its errors
// are *Error values pointing into the input, and that printing a parsed
// template back gives the same parts.
func FuzzParseTemplate(f *testing.F) {
	for _, s := range []string{
		"", "plain", "{{ a }}", "x{{ a.b }}y{{ c }}", "{{ env.X ?? 'd' }}", "{{", "}}", "{{}}",
		"{{ a +* b }}", "{{ '}}' }}", "{{\n a\n}}", "é{{ ü }}", "{{ {{ }}", "{{ let x = 1; x }}",
		"{{ map(list, #.id) }}", "{{ int(env.ID) }}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		start := Pos{File: "f", Line: 2, Col: 3}
		tmpl, err := ParseTemplate(s, start)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("ParseTemplate(%q) error %T, want *Error", s, err)
			}
			if e.Pos.File != "f" || e.Pos.Line < 2 || e.Pos.Col < 1 || e.Msg == "" {
				t.Fatalf("ParseTemplate(%q) error at %v: %q", s, e.Pos, e.Msg)
			}
			return
		}
		if tmpl.Raw != s {
			t.Fatalf("Raw = %q, want %q", tmpl.Raw, s)
		}
		printed := ""
		tmpl.Exprs(func(e *Expr) {
			if e.Pos.Line < 2 || e.Pos.Col < 1 {
				t.Fatalf("ParseTemplate(%q) expression %q at %v", s, e.Source, e.Pos)
			}
		})
		for _, p := range tmpl.Parts {
			if p.Expr != nil {
				printed += "{{ " + p.Expr.Source + " }}"
			} else {
				printed += p.Literal
			}
		}
		again, err := ParseTemplate(printed, start)
		if err != nil {
			t.Fatalf("ParseTemplate(%q) (printed from %q) error = %v", printed, s, err)
		}
		if len(again.Parts) != len(tmpl.Parts) {
			t.Fatalf("round trip of %q: %d parts, then %d", s, len(tmpl.Parts), len(again.Parts))
		}
		for i, p := range tmpl.Parts {
			q := again.Parts[i]
			if (p.Expr == nil) != (q.Expr == nil) || p.Expr == nil && p.Literal != q.Literal || p.Expr != nil && p.Expr.Source != q.Expr.Source {
				t.Fatalf("round trip of %q: part %d %+v, then %+v", s, i, p, q)
			}
		}
	})
}

// FuzzParse checks that Parse never panics on arbitrary bytes and that every
// error it reports has a position in the file that renders.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"testdata/valid", "testdata/invalid", "procore"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, file := range files {
			if src, err := os.ReadFile(file); err == nil {
				f.Add(src)
			}
		}
	}
	f.Add([]byte("&a [*a]"))
	f.Add([]byte("steps:\n  - <<: {GET: x}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		c, err := Parse("f.yaml", src, Options{Defined: []string{"x"}})
		if err == nil {
			if c == nil || len(c.Steps) == 0 {
				t.Fatalf("Parse(%q) = %v, nil: want steps", src, c)
			}
			return
		}
		var list ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("Parse(%q) error %T %v, want a non-empty ErrorList", src, err, err)
		}
		for _, e := range list {
			if e.Pos.File != "f.yaml" || e.Pos.Line < 1 || e.Pos.Col < 0 || e.Msg == "" {
				t.Fatalf("Parse(%q) error at %v: %q", src, e.Pos, e.Msg)
			}
		}
		_ = RenderErrors(err, map[string][]byte{"f.yaml": src})
	})
}
