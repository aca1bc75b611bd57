package expr

import (
	"errors"
	"reflect"
	"testing"
)

var fuzzSeeds = []string{
	"$url", "$statusCode", "$self", "$request.header.Accept", "$request.query.a b",
	`$request.path.x\u0041\"`, "$response.body", "$response.body#/a/0/~0~1",
	"$response.body.items[0]['a''b'].id", "$message.payload#", "$inputs.a.b[2]",
	"$outputs.x#/y", "$steps.s-1.outputs.o.p", "$workflows.w.inputs.i",
	"$sourceDescriptions.api.getPet", "$sourceDescriptions.api.url#/paths/~1p/get",
	"$components.parameters.p.q", "$", "$x", "$response.", "$request.query.\\",
	"$response.body#/{", "$inputs.a[", "$inputs.a['", "$inputs.a[99999999999]",
}

// FuzzParse checks that Parse never panics, that its errors are
// *SyntaxError values with an offset inside the input, and that printing a
// parsed expression and parsing it again gives the same expression.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := Parse(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Offset < 0 || se.Offset > len(s) || se.Msg == "" {
				t.Fatalf("Parse(%q) error = %#v", s, err)
			}
			return
		}
		again, err := Parse(e.String())
		if err != nil {
			t.Fatalf("Parse(%q) then Parse(%q) error = %v", s, e.String(), err)
		}
		if !reflect.DeepEqual(e, again) {
			t.Fatalf("round trip of %q: %+v, then %+v", s, e, again)
		}
	})
}

// FuzzParseTemplate checks that ParseTemplate never panics and that a
// template prints back to text that parses to the same parts.
func FuzzParseTemplate(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add("a{" + s + "}b")
	}
	f.Add(`{"id": "{$inputs.id}"}`)
	f.Add("{$inputs.a")
	f.Fuzz(func(t *testing.T, s string) {
		tmpl, err := ParseTemplate(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Offset < 0 || se.Offset > len(s) {
				t.Fatalf("ParseTemplate(%q) error = %#v", s, err)
			}
			return
		}
		again, err := ParseTemplate(tmpl.String())
		if err != nil {
			t.Fatalf("ParseTemplate(%q) then (%q) error = %v", s, tmpl.String(), err)
		}
		if again.String() != tmpl.String() || len(again.Parts) != len(tmpl.Parts) {
			t.Fatalf("round trip of %q: %q, then %q", s, tmpl.String(), again.String())
		}
	})
}

// FuzzCondition checks that ParseCondition never panics, that errors have
// offsets inside the input, and that evaluating a parsed condition over a
// context holding a little of everything never panics.
func FuzzCondition(f *testing.F) {
	for _, s := range []string{
		"$statusCode == 200", "$response.body.a[0] != null && !($inputs.x < 'A''b')",
		"1e3 >= -0.5 || false", "$response.header.X == $inputs.n", "((true))", "!!!null",
		"$response.body#/a/0 == 1e99999", "$inputs.o == $inputs.o",
	} {
		f.Add(s)
	}
	ctx := mapContext{
		"$statusCode":        201,
		"$response.body":     map[string]any{"a": []any{1.5, "x", nil, map[string]any{}}},
		"$response.header.X": "3",
		"$inputs.x":          "b",
		"$inputs.n":          3,
		"$inputs.o":          map[string]any{"k": []any{true}},
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCondition(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Offset < 0 || se.Offset > len(s) {
				t.Fatalf("ParseCondition(%q) error = %#v", s, err)
			}
			return
		}
		res, err := c.Eval(ctx)
		if err == nil && res.Trace == "" {
			t.Fatalf("Eval(%q) gave no trace", s)
		}
	})
}
