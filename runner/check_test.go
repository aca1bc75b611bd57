package runner

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// fixture is the JSON body the predicate tests check.
const fixture = `{
  "int": 200, "str": "200", "float": 1.5, "whole": 2.0, "neg": -3,
  "big": 9007199254740993, "bool": true, "nil": null,
  "arr": [1, "two", {"k": 3}], "obj": {"a": 1, "b": "x"},
  "text": "héllo wörld", "email": "carl@example.com"
}`

// fixtureServer answers /text with plain text and anything else with the
// fixture, with two X-Multi headers.
func fixtureServer(t *testing.T) string {
	t.Helper()
	return newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("X-Multi", "a")
		w.Header().Add("X-Multi", "b")
		if r.URL.Path == "/text" {
			fmt.Fprint(w, "not json")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, fixture)
	})).URL
}

func TestChecks(t *testing.T) {
	base := fixtureServer(t)
	tests := []struct {
		name   string
		path   string
		expect string // the step's expect mapping, in YAML flow style
		pass   bool
		// actual is the first check's Actual.String(); empty skips it.
		actual string
		// message must be contained in the first failed check's Message.
		message string
	}{
		{name: "status eq", expect: `{status: 200}`, pass: true},
		{name: "status eq mismatch", expect: `{status: 201}`, actual: "integer <200>"},
		{name: "status in list with class", expect: `{status: [201, 2xx]}`, pass: true},
		{name: "status class mismatch", expect: `{status: 4xx}`},
		{name: "status range", expect: `{status: {gte: 200, lt: 300}}`, pass: true},

		{name: "header name is case-insensitive", expect: `{headers: {content-type: application/json}}`, pass: true},
		{name: "header eq reads the first value", expect: `{headers: {X-Multi: b}}`, actual: `string <"a">`},
		{name: "header contains looks at every value", expect: `{headers: {X-Multi: {contains: b}}}`, pass: true},
		{name: "header absent", expect: `{headers: {X-None: {exists: false}}}`, pass: true},
		{name: "header missing is none", expect: `{headers: {X-None: x}}`, actual: "none"},

		{name: "integer eq", expect: `{json: {int: 200}}`, pass: true},
		{name: "integer is not a string", expect: `{json: {int: "200"}}`, actual: "integer <200>"},
		{name: "string eq", expect: `{json: {str: "200"}}`, pass: true},
		{name: "string is not a number", expect: `{json: {str: 200}}`, actual: `string <"200">`},
		{name: "float equals integer", expect: `{json: {whole: 2}}`, pass: true},
		{name: "float eq", expect: `{json: {float: 1.5}}`, pass: true},
		{name: "big integer is exact", expect: `{json: {big: 9007199254740993}}`, pass: true, actual: "integer <9007199254740993>"},
		{name: "big integer neighbour differs", expect: `{json: {big: 9007199254740992}}`, actual: "integer <9007199254740993>"},
		{name: "null eq", expect: `{json: {nil: null}}`, pass: true},
		{name: "object eq", expect: `{json: {obj: {eq: {a: 1, b: x}}}}`, pass: true},
		{name: "array eq", expect: `{json: {arr: {eq: [1, two, {k: 3}]}}}`, pass: true},
		{name: "missing path", expect: `{json: {nope: 1}}`, actual: "none"},
		{name: "ne", expect: `{json: {int: {ne: 201}}}`, pass: true},
		{name: "ne equal", expect: `{json: {int: {ne: 200}}}`},
		{name: "ne typed", expect: `{json: {int: {ne: "200"}}}`, pass: true},

		{name: "gt", expect: `{json: {int: {gt: 199}}}`, pass: true},
		{name: "gt equal", expect: `{json: {int: {gt: 200}}}`},
		{name: "gte", expect: `{json: {int: {gte: 200}}}`, pass: true},
		{name: "lt negative", expect: `{json: {neg: {lt: 0}}}`, pass: true},
		{name: "lte float", expect: `{json: {float: {lte: 1.5}}}`, pass: true},
		{name: "lt float", expect: `{json: {float: {lt: 1}}}`},
		{name: "gt big exact", expect: `{json: {big: {gt: 9007199254740992}}}`, pass: true},
		{name: "gt on a string", expect: `{json: {str: {gt: 1}}}`, message: "gt compares numbers, not string with integer"},

		{name: "contains substring", expect: `{json: {text: {contains: wörld}}}`, pass: true},
		{name: "contains substring missing", expect: `{json: {text: {contains: world}}}`},
		{name: "contains element", expect: `{json: {arr: {contains: two}}}`, pass: true},
		{name: "contains object element", expect: `{json: {arr: {contains: {k: 3}}}}`, pass: true},
		{name: "contains element typed", expect: `{json: {arr: {contains: "1"}}}`},
		{name: "contains key", expect: `{json: {obj: {contains: a}}}`, pass: true},
		{name: "contains key missing", expect: `{json: {obj: {contains: z}}}`},
		{name: "contains on a number", expect: `{json: {int: {contains: "2"}}}`, message: "contains needs a string, array or object, not integer"},

		{name: "matches", expect: `{json: {email: {matches: '^[^@]+@example\.com$'}}}`, pass: true},
		{name: "matches mismatch", expect: `{json: {email: {matches: '^x'}}}`},
		{name: "matches on a number", expect: `{json: {int: {matches: '2'}}}`, message: "matches needs a string, not integer"},
		{name: "matches invalid pattern from a template", expect: `{json: {email: {matches: "{{ bad }}"}}}`, message: "invalid regular expression"},

		{name: "exists", expect: `{json: {nil: {exists: true}}}`, pass: true},
		{name: "exists false", expect: `{json: {nope: {exists: false}}}`, pass: true},
		{name: "exists missing", expect: `{json: {nope: {exists: true}}}`, actual: "none"},

		{name: "type integer", expect: `{json: {int: {type: integer}}}`, pass: true},
		{name: "type integer holds for a whole float", expect: `{json: {whole: {type: integer}}}`, pass: true},
		{name: "type integer fraction", expect: `{json: {float: {type: integer}}}`},
		{name: "type number integer", expect: `{json: {int: {type: number}}}`, pass: true},
		{name: "type number float", expect: `{json: {float: {type: number}}}`, pass: true},
		{name: "type string", expect: `{json: {str: {type: string}}}`, pass: true},
		{name: "type string is not number", expect: `{json: {str: {type: number}}}`},
		{name: "type boolean", expect: `{json: {bool: {type: boolean}}}`, pass: true},
		{name: "type null", expect: `{json: {nil: {type: null}}}`, pass: true},
		{name: "type array", expect: `{json: {arr: {type: array}}}`, pass: true},
		{name: "type object", expect: `{json: {obj: {type: object}}}`, pass: true},

		{name: "length of string in characters", expect: `{json: {text: {length: 11}}}`, pass: true},
		{name: "length of array", expect: `{json: {arr: {length: 3}}}`, pass: true},
		{name: "length of object", expect: `{json: {obj: {length: 2}}}`, pass: true},
		{name: "length mismatch", expect: `{json: {arr: {length: 2}}}`, message: "length is 3"},
		{name: "length of a number", expect: `{json: {int: {length: 3}}}`, message: "length needs a string, array or object"},
		{name: "gjson count", expect: `{json: {"arr.#": 3}}`, pass: true},
		{name: "gjson nested", expect: `{json: {arr.2.k: 3}}`, pass: true},

		{name: "body is not JSON", path: "/text", expect: `{json: {int: 200}}`, actual: "none", message: "response body is not valid JSON"},
		{name: "exists on a body that is not JSON", path: "/text", expect: `{json: {int: {exists: false}}}`, message: "response body is not valid JSON"},
		{name: "body eq", path: "/text", expect: `{body: not json}`, pass: true},
		{name: "body contains", expect: `{body: {contains: '"int": 200'}}`, pass: true},
		{name: "body is a string", path: "/text", expect: `{body: {type: string}}`, pass: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fmt.Sprintf("vars:\n  bad: \"(\"\nsteps:\n  - name: check\n    GET: \"{{ base }}%s\"\n    expect: %s\n", tt.path, tt.expect)
			res := runYAML(t, src, map[string]any{"base": base})
			if res.Err != nil {
				t.Fatalf("Run() Err = %v", res.Err)
			}
			step := res.Steps[0]
			if len(step.Checks) == 0 {
				t.Fatalf("Run() gave no checks: %s", describe(res))
			}
			passed := step.Outcome == Passed
			if passed != tt.pass {
				t.Fatalf("step passed = %v, want %v\n%s", passed, tt.pass, describe(res))
			}
			first := step.Checks[0]
			if tt.actual != "" && first.Actual.String() != tt.actual {
				t.Errorf("Actual = %s, want %s", first.Actual, tt.actual)
			}
			if !first.Pos.IsValid() {
				t.Errorf("Pos = %v, want a position", first.Pos)
			}
			for _, c := range step.Checks {
				if c.Passed && c.Message != "" {
					t.Errorf("passed check has Message %q", c.Message)
				}
				if !c.Passed && tt.message != "" && !strings.Contains(c.Message, tt.message) {
					t.Errorf("Message = %q, want it to contain %q", c.Message, tt.message)
				}
			}
		})
	}
}

func TestCheckResultDetails(t *testing.T) {
	base := fixtureServer(t)
	src := `steps:
  - name: details
    GET: "{{ base }}/"
    expect:
      status: 200
      headers:
        Content-Type: { contains: json }
      json:
        str: 200
        nope: { gt: 1 }
`
	res := runYAML(t, src, map[string]any{"base": base})
	checks := res.Steps[0].Checks
	want := []struct {
		subject  string
		passed   bool
		line     int
		expected string
	}{
		{"status", true, 5, "integer <200>"},
		{"header Content-Type", true, 7, `string <"json">`},
		{"json str", false, 9, "integer <200>"},
		{"json nope", false, 10, "integer <1>"},
	}
	if len(checks) != len(want) {
		t.Fatalf("got %d checks, want %d\n%s", len(checks), len(want), describe(res))
	}
	for i, w := range want {
		c := checks[i]
		if c.Subject != w.subject || c.Passed != w.passed || c.Pos.Line != w.line || c.Expected.String() != w.expected {
			t.Errorf("check %d = {%s passed=%v line=%d expected=%s}, want {%s passed=%v line=%d expected=%s}",
				i, c.Subject, c.Passed, c.Pos.Line, c.Expected, w.subject, w.passed, w.line, w.expected)
		}
	}
	if got := res.Steps[0].Outcome; got != Failed {
		t.Errorf("Outcome = %v, want failed", got)
	}
}

// TestStatusClasses checks each status class from 2xx to 5xx, alone and
// in lists, against statuses go-httpbin answers (redirects not followed).
func TestStatusClasses(t *testing.T) {
	base := newHTTPBin(t).URL
	tests := []struct {
		status int
		expect string
		pass   bool
	}{
		{200, "2xx", true},
		{204, "2xx", true},
		{302, "3xx", true},
		{404, "4xx", true},
		{503, "5xx", true},
		{503, "5XX", true},
		{599, "5xx", true},
		{503, "[4xx, 5xx]", true},
		{500, "[200, 5xx]", true},
		{503, "4xx", false},
		{404, "5xx", false},
		{200, "[4xx, 5xx]", false},
		{500, "3xx", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d against %s", tt.status, tt.expect), func(t *testing.T) {
			src := fmt.Sprintf("steps:\n  - GET: \"{{ base }}/status/%d\"\n    follow_redirects: false\n    expect:\n      status: %s\n", tt.status, tt.expect)
			res := runYAML(t, src, map[string]any{"base": base})
			want := "failed"
			if tt.pass {
				want = "passed"
			}
			wantOutcomes(t, res, want)
			c := res.Steps[0].Checks[0]
			if got := c.Actual.String(); got != fmt.Sprintf("integer <%d>", tt.status) || c.Message != "" {
				t.Errorf("Actual = %s, Message %q; want integer <%d> and no message", got, c.Message, tt.status)
			}
		})
	}
}
