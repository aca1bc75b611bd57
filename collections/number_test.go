package collections

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/callsheet/callsheet/eval"
)

// TestExactLiterals checks that number literals in a collection keep their
// exact value: in expected values, in vars, and when encoded as JSON.
func TestExactLiterals(t *testing.T) {
	src := `vars:
  u: 18446744073709551615
  huge: 123456789012345678901234567890
  d: 0.1000000000000000055511151231257827
  tenth: 0.1
  small: 42
  padded: 018446744073709551615
steps:
  - GET: http://example.test/
    json:
      u: 18446744073709551615
      past: 9223372036854775808
      neg: -9223372036854775809
      d: 0.1000000000000000055511151231257827
      list: [18446744073709551615, 1.5]
`
	c := mustParse(t, src, Options{})
	vars := map[string]string{}
	scope := eval.NewScope(nil)
	for _, v := range c.Vars {
		x, err := v.Value.Render(scope)
		if err != nil {
			t.Fatalf("Render(%s) error = %v", v.Name, err)
		}
		vars[v.Name] = fmt.Sprintf("%T:%s", x, eval.Stringify(x))
	}
	wantVars := map[string]string{
		"u":      "*big.Int:18446744073709551615",
		"huge":   "*big.Int:123456789012345678901234567890",
		"d":      "eval.Decimal:0.1000000000000000055511151231257827",
		"tenth":  "float64:0.1",
		"small":  "int64:42",
		"padded": "string:018446744073709551615",
	}
	for name, want := range wantVars {
		if vars[name] != want {
			t.Errorf("var %s = %s, want %s", name, vars[name], want)
		}
	}
	body, err := c.Steps[0].Request().Body.JSON.Render(scope)
	if err != nil {
		t.Fatalf("Render(json body) error = %v", err)
	}
	got, err := json.Marshal(body)
	if err != nil {
		t.Fatalf("json.Marshal(%v) error = %v", body, err)
	}
	want := `{"d":0.1000000000000000055511151231257827,"list":[18446744073709551615,1.5],"neg":-9223372036854775809,"past":9223372036854775808,"u":18446744073709551615}`
	if string(got) != want {
		t.Errorf("json body = %s, want %s", got, want)
	}
}
