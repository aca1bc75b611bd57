package collections

import (
	"testing"

	"github.com/callsheet/callsheet/eval"
)

func TestAppendJSONAsWritten(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"key order", "{z: 1, a: 2, m: [3, {y: 4, b: 5}]}", `{"z":1,"a":2,"m":[3,{"y":4,"b":5}]}`},
		{"number text", "{price: 1.50, big: 9007199254740993, e: 1e3, neg: -0.0}", `{"price":1.50,"big":9007199254740993,"e":1e3,"neg":-0.0}`},
		{"not JSON number words", "{hex: 0x1F, plus: +12}", `{"hex":31,"plus":12}`},
		{"templates keep types", `{n: "{{ n }}", s: "n={{ n }}", q: "{{ q }}"}`, `{"n":42,"s":"n=42","q":"<a> & \"b\""}`},
		{"null and bools", "{a: null, b: true, c: ~}", `{"a":null,"b":true,"c":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("j.yaml", []byte("steps:\n  - POST: http://x\n    json: "+tt.yaml+"\n"), Options{Defined: []string{"n", "q"}})
			if err != nil {
				t.Fatal(err)
			}
			scope := eval.NewScope(nil)
			scope.Set("n", int64(42))
			scope.Set("q", `<a> & "b"`)
			got, err := c.Steps[0].Request().Body.JSON.AppendJSON(nil, scope)
			if err != nil || string(got) != tt.want {
				t.Errorf("AppendJSON = %s, %v; want %s", got, err, tt.want)
			}
		})
	}
}

func TestIsJSONNumber(t *testing.T) {
	for s, want := range map[string]bool{"0": true, "-1.50": true, "1e-3": true, "1E+3": true, "01": false, "+1": false, ".5": false, "1.": false, "1e": false, "0x1F": false, "1_000": false, "": false, "-": false} {
		if got := isJSONNumber(s); got != want {
			t.Errorf("isJSONNumber(%q) = %v, want %v", s, got, want)
		}
	}
}
