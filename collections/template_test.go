package collections

import (
	"reflect"
	"testing"

	"github.com/callsheet/callsheet/eval"
)

func testScope() *eval.Scope {
	s := eval.NewScope(func(name string) (string, bool) {
		v, ok := map[string]string{"HOME": "/home/ann"}[name]
		return v, ok
	})
	s.Set("n", int64(5))
	s.Set("f", 1.5)
	s.Set("s", "text")
	s.Set("b", true)
	s.Set("id", int64(4264807))
	s.Set("list", []any{int64(1), "two"})
	s.Set("obj", map[string]any{"a": int64(1)})
	return s
}

func TestTemplateEvalTyped(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want any
	}{
		{"integer stays integer", "{{ n }}", int64(5)},
		{"arithmetic", "{{ n * 2 }}", int64(10)},
		{"float", "{{ f }}", 1.5},
		{"string", "{{ s }}", "text"},
		{"bool", "{{ b }}", true},
		{"list", "{{ list }}", []any{int64(1), "two"}},
		{"object", "{{ obj }}", map[string]any{"a": int64(1)}},
		{"int of string", `{{ int("4264807") }}`, int64(4264807)},
		{"mixed is string", "id={{ n }}", "id=5"},
		{"space makes a string", " {{ n }}", " 5"},
		{"two expressions", "{{ n }}{{ n }}", "55"},
		{"float in text", "x{{ f }}", "x1.5"},
		{"list in text", "x{{ list }}", `x[1,"two"]`},
		{"literal", "plain", "plain"},
		{"empty", "", ""},
		{"env", "{{ env.HOME }}", "/home/ann"},
		{"env fallback", "{{ env.NOPE ?? 'dflt' }}", "dflt"},
		{"closing braces alone", "a }} b", "a }} b"},
		{"newline inside", "{{\n n\n}}", int64(5)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, err := ParseTemplate(tt.in, Pos{File: "t", Line: 1, Col: 1})
			if err != nil {
				t.Fatalf("ParseTemplate(%q) error = %v", tt.in, err)
			}
			got, err := tmpl.Eval(testScope())
			if err != nil {
				t.Fatalf("Eval(%q) error = %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Eval(%q) = %T %#v, want %T %#v", tt.in, got, got, tt.want, tt.want)
			}
		})
	}
}

func TestTemplateEvalErrors(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"{{ nope }}", `t:1:4: undefined variable "nope"`},
		{"{{ idd }}", `t:1:4: undefined variable "idd" (did you mean "id"?)`},
		{"{{ env.NOPE }}", `t:1:4: environment variable NOPE is not set`},
	}
	for _, tt := range tests {
		tmpl, err := ParseTemplate(tt.in, Pos{File: "t", Line: 1, Col: 1})
		if err != nil {
			t.Fatalf("ParseTemplate(%q) error = %v", tt.in, err)
		}
		_, err = tmpl.Eval(testScope())
		if err == nil || err.Error() != tt.want {
			t.Errorf("Eval(%q) error = %v, want %s", tt.in, err, tt.want)
		}
	}
}

func TestParseTemplateErrors(t *testing.T) {
	tests := []struct {
		in      string
		wantPos Pos
		wantMsg string
	}{
		{"a {{ b", Pos{File: "t", Line: 3, Col: 7}, "unclosed {{ in template"},
		{"{{ }}", Pos{File: "t", Line: 3, Col: 5}, "empty {{ }} in template"},
		{"x {{ 1 + }}", Pos{File: "t", Line: 3, Col: 12}, "invalid expression: unexpected token EOF"},
		{"line\n{{ a b }}", Pos{File: "t", Line: 4, Col: 6}, "invalid expression: unexpected token Identifier(\"b\")"},
	}
	for _, tt := range tests {
		_, err := ParseTemplate(tt.in, Pos{File: "t", Line: 3, Col: 5})
		e, ok := err.(*Error)
		if !ok {
			t.Errorf("ParseTemplate(%q) error = %#v, want *Error", tt.in, err)
			continue
		}
		if e.Pos != tt.wantPos || e.Msg != tt.wantMsg {
			t.Errorf("ParseTemplate(%q) error = %v %q, want %v %q", tt.in, e.Pos, e.Msg, tt.wantPos, tt.wantMsg)
		}
	}
}

func TestValueRenderJSONBody(t *testing.T) {
	src := `vars:
  n: 5
  s: text
steps:
  - POST: https://x.test
    json:
      count: "{{ n }}"
      label: "n={{ n }}"
      quoted: "200"
      number: 200
      nothing: null
      items: ["{{ s }}", 2.5, true, { deep: "{{ n + 1 }}" }]
      nested: { list: [] , map: {} }
`
	c := mustParse(t, src, Options{})
	got, err := c.Steps[0].Request().Body.JSON.Render(testScope())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"count":   int64(5),
		"label":   "n=5",
		"quoted":  "200",
		"number":  int64(200),
		"nothing": nil,
		"items":   []any{"text", 2.5, true, map[string]any{"deep": int64(6)}},
		"nested":  map[string]any{"list": []any{}, "map": map[string]any{}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Render() = %#v\nwant %#v", got, want)
	}
}
