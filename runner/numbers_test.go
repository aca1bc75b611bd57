package runner

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// bigNumbers is a body whose numbers float64 cannot all hold: the unsigned
// 64-bit maximum, a number beyond it, the first integers past int64, and a
// decimal with more digits than float64 keeps.
const bigNumbers = `{"u": 18446744073709551615, "huge": 123456789012345678901234567890,
"i64max": 9223372036854775807, "past": 9223372036854775808, "neg": -9223372036854775809,
"ids": [18446744073709551614, 18446744073709551615], "d": 0.1000000000000000055511151231257827,
"tenth": 0.1, "e": 1e400, "obj": {"id": 18446744073709551615, "name": "x"}, "s": "18446744073709551615"}`

func TestExactNumbers(t *testing.T) {
	base := jsonServer(t, bigNumbers).URL
	tests := []struct {
		name   string
		expect string // the step's json mapping, in YAML flow style
		pass   bool
		// actual and expected are the first check's typed values; empty
		// skips them.
		actual, expected string
	}{
		{name: "u64 max equals itself", expect: `{u: 18446744073709551615}`, pass: true,
			actual: "integer <18446744073709551615>", expected: "integer <18446744073709551615>"},
		{name: "u64 max is not max-1", expect: `{u: 18446744073709551614}`,
			actual: "integer <18446744073709551615>", expected: "integer <18446744073709551614>"},
		{name: "u64 max ne max-1", expect: `{u: {ne: 18446744073709551614}}`, pass: true},
		{name: "u64 max is not the float that rounds to it", expect: `{u: 18446744073709551616.0}`,
			expected: "number <18446744073709551616>"},
		{name: "beyond u64 exact", expect: `{huge: 123456789012345678901234567890}`, pass: true},
		{name: "beyond u64 off by one", expect: `{huge: 123456789012345678901234567891}`},
		{name: "beyond u64 is not its float", expect: `{huge: 1.2345678901234568e+29}`},
		{name: "big equals a float with the same decimal value", expect: `{past: 9223372036854775808.0}`, pass: true},
		{name: "big equals an exponent form", expect: `{u: 1.8446744073709551615e19}`, pass: true},
		{name: "string never equals a big number", expect: `{u: "18446744073709551615"}`},
		{name: "big number never equals a string", expect: `{s: 18446744073709551615}`,
			actual: `string <"18446744073709551615">`},
		{name: "type integer holds for a big integer", expect: `{u: {type: integer}}`, pass: true},
		{name: "type number holds for a big integer", expect: `{u: {type: number}}`, pass: true},
		{name: "type integer fails for a long decimal", expect: `{d: {type: integer}}`},
		{name: "type number holds for a long decimal", expect: `{d: {type: number}}`, pass: true},
		{name: "gt across the int64 boundary", expect: `{past: {gt: 9223372036854775807}}`, pass: true},
		{name: "gt fails at the int64 boundary", expect: `{i64max: {gt: 9223372036854775808}}`},
		{name: "lt across the int64 boundary", expect: `{i64max: {lt: 9223372036854775808}}`, pass: true},
		{name: "lt below min int64", expect: `{neg: {lt: -9223372036854775808}}`, pass: true},
		{name: "gte big", expect: `{u: {gte: 18446744073709551615}}`, pass: true},
		{name: "lte fails by one", expect: `{u: {lte: 18446744073709551614}}`},
		{name: "between big bounds", expect: `{u: {between: [18446744073709551614, 18446744073709551616]}}`, pass: true},
		{name: "between fails above", expect: `{u: {between: [1, 18446744073709551614]}}`},
		{name: "one_of big", expect: `{u: {one_of: [1, 18446744073709551615]}}`, pass: true},
		{name: "one_of misses by one", expect: `{u: {one_of: [18446744073709551614, 18446744073709551616]}}`},
		{name: "contains big in array", expect: `{ids: {contains: 18446744073709551615}}`, pass: true},
		{name: "contains misses by one", expect: `{ids: {contains: 18446744073709551613}}`},
		{name: "not_contains big", expect: `{ids: {not_contains: 18446744073709551613}}`, pass: true},
		{name: "array of bigs equals", expect: `{ids: [18446744073709551614, 18446744073709551615]}`, pass: true},
		{name: "array of bigs off by one", expect: `{ids: {eq: [18446744073709551614, 18446744073709551614]}}`},
		{name: "subset match with a big id", expect: `{obj: {id: 18446744073709551615}}`, pass: true},
		{name: "subset match fails by one", expect: `{obj: {id: 18446744073709551614}}`},
		{name: "length with a big integer fails", expect: `{ids: {length: 18446744073709551618}}`},
		{name: "long decimal is not 0.1", expect: `{d: 0.1}`,
			actual: "number <0.1000000000000000055511151231257827>", expected: "number <0.1>"},
		{name: "0.1 is not the long decimal", expect: `{tenth: 0.1000000000000000055511151231257827}`,
			actual: "number <0.1>", expected: "number <0.1000000000000000055511151231257827>"},
		{name: "0.1 is not float64(0.1) written out", expect: `{tenth: 0.1000000000000000055511151231257827021181583404541015625}`},
		{name: "long decimal equals itself", expect: `{d: 0.1000000000000000055511151231257827}`, pass: true},
		{name: "long decimal gt 0.1", expect: `{d: {gt: 0.1}}`, pass: true},
		{name: "beyond float64 range exceeds max float64", expect: `{e: {gt: 1.7976931348623157e308}}`, pass: true},
		{name: "beyond float64 range gt u64", expect: `{e: {gt: 18446744073709551615}}`, pass: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fmt.Sprintf("steps:\n  - name: check\n    GET: %s/\n    expect:\n      json: %s\n", base, tt.expect)
			res := runYAML(t, src, nil)
			if res.Err != nil {
				t.Fatalf("Run() Err = %v", res.Err)
			}
			step := res.Steps[0]
			if passed := step.Outcome == Passed; passed != tt.pass {
				t.Fatalf("%s: passed = %v, want %v\n%s", tt.expect, passed, tt.pass, describe(res))
			}
			first := step.Checks[0]
			if tt.actual != "" && first.Actual.String() != tt.actual {
				t.Errorf("Actual = %s, want %s", first.Actual, tt.actual)
			}
			if tt.expected != "" && first.Expected.String() != tt.expected {
				t.Errorf("Expected = %s, want %s", first.Expected, tt.expected)
			}
		})
	}
}

// TestBigIDRoundTrip captures ids float64 cannot hold and sends them back in
// a URL, a query parameter, a header and a JSON body: the server sees the
// exact digits.
func TestBigIDRoundTrip(t *testing.T) {
	var (
		mu  sync.Mutex
		got []string
	)
	base := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/create" {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"id": 18446744073709551615, "big": 123456789012345678901234567890, "d": 0.1000000000000000055511151231257827}`)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			t.Errorf("read body: %v", err)
		}
		mu.Lock()
		defer mu.Unlock()
		got = append(got, r.URL.RequestURI(), r.Header.Get("X-Id"), string(body))
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, string(body))
	})).URL
	src := `steps:
  - name: create
    POST: "{{ base }}/create"
    capture:
      id: { json: id }
      big: { json: big }
      d: { json: d }
  - name: send back
    PUT: "{{ base }}/items/{{ id }}?big={{ big }}&d={{ d }}"
    headers:
      X-Id: "{{ id }}"
    json:
      id: "{{ id }}"
      ids: ["{{ id }}", "{{ big }}"]
      d: "{{ d }}"
      text: "id {{ id }}"
    expect:
      json:
        id: 18446744073709551615
        ids: { contains: 123456789012345678901234567890 }
        d: 0.1000000000000000055511151231257827
`
	res := runYAML(t, src, map[string]any{"base": base})
	wantOutcomes(t, res, "passed,passed")
	if c := res.Steps[0].Captures; len(c) != 3 || c[0].Value.String() != "integer <18446744073709551615>" ||
		c[2].Value.String() != "number <0.1000000000000000055511151231257827>" {
		t.Errorf("captures = %v, want the exact id and decimal", c)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{
		"/items/18446744073709551615?big=123456789012345678901234567890&d=0.1000000000000000055511151231257827",
		"18446744073709551615",
		`{"id":18446744073709551615,"ids":[18446744073709551615,123456789012345678901234567890],"d":0.1000000000000000055511151231257827,"text":"id 18446744073709551615"}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("server got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestBigNumberArithmetic documents the limit of expressions: a captured
// integer beyond int64 interpolates exactly but cannot be computed with.
func TestBigNumberArithmetic(t *testing.T) {
	base := jsonServer(t, `{"id": 18446744073709551615}`).URL
	src := fmt.Sprintf("steps:\n  - name: get\n    GET: %s/\n    capture:\n      id: {json: id}\n  - name: add\n    GET: \"%s/{{ id + 1 }}\"\n", base, base)
	res := runYAML(t, src, nil)
	if got := outcomes(res); got != "passed,error" {
		t.Fatalf("outcomes = %s, want passed,error\n%s", got, describe(res))
	}
	if err := res.Steps[1].Err; err == nil || !strings.Contains(err.Error(), "invalid operation") {
		t.Errorf("step add Err = %v, want an invalid operation error", err)
	}
}
