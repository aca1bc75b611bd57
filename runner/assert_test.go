package runner

import (
	"fmt"
	"strings"
	"testing"
)

func TestAssertTrace(t *testing.T) {
	base := contentServer(t)
	tests := []struct {
		expr  string
		pass  bool
		trace string
	}{
		{"res.status == 200", true, ""},
		{"len(res.json.tags) >= 3", false, `len(res.json.tags) >= 3 -> len(["a","b"]) >= 3 -> false`},
		{"res.json.name == 'Bob'", false, `res.json.name == 'Bob' -> "Ada" == "Bob" -> false`},
		{"res.cookies.session == 's-42' && res.duration >= 0", true, ""},
		{"res.json.id == 9007199254740993", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			src := fmt.Sprintf("steps:\n  - GET: %s/json\n    expect:\n      assert:\n        - %q\n", base, tt.expr)
			res := runYAML(t, src, nil)
			if got := res.Steps[0].Outcome == Passed; got != tt.pass {
				t.Fatalf("passed = %v, want %v\n%s", got, tt.pass, describe(res))
			}
			if !tt.pass {
				if got := strings.Join(res.Steps[0].Checks[0].Details, " -> "); got != tt.trace {
					t.Errorf("trace = %q, want %q", got, tt.trace)
				}
			}
		})
	}
}

func TestIfSkips(t *testing.T) {
	base := contentServer(t)
	src := fmt.Sprintf("vars:\n  env_name: prod\nsteps:\n  - name: only in test\n    if: env_name == 'test'\n    GET: %[1]s/json\n  - name: always\n    if: \"{{ env_name == 'prod' }}\"\n    GET: %[1]s/json\n", base)
	res := runYAML(t, src, nil)
	wantOutcomes(t, res, "skipped,passed")
	if got, want := res.Steps[0].SkipReason, "if: env_name == 'test' is false"; got != want {
		t.Errorf("SkipReason = %q, want %q", got, want)
	}
}

// TestAssertEvalError checks the exact text of an assert: expression
// that fails while it is evaluated: the check fails with no actual value,
// says why with the column in the expression, and traces the operands.
func TestAssertEvalError(t *testing.T) {
	base := contentServer(t)
	tests := []struct{ expr, message, operands string }{
		{"len(res.json.nope) > 0", "the expression failed: invalid argument for len (type <nil>) (1:1)", "len(null) > 0"},
		{"res.json.name + 1 == 2", "the expression failed: invalid operation: string + int (1:15)", `"Ada" + 1 == 2`},
		{"res.json.tags[5] == 'x'", "the expression failed: index out of range: 5 (array length is 2) (1:14)", `<error: index out of range: 5 (array length is 2) (1:14)> == "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			src := fmt.Sprintf("steps:\n  - GET: %s/json\n    expect:\n      assert:\n        - %q\n", base, tt.expr)
			res := runYAML(t, src, nil)
			wantOutcomes(t, res, "failed")
			c := res.Steps[0].Checks[0]
			if c.Passed || c.Message != tt.message || c.Actual.String() != "none" {
				t.Errorf("check = passed %v, Message %q, Actual %s; want failed, %q, none", c.Passed, c.Message, c.Actual, tt.message)
			}
			if len(c.Details) < 2 || c.Details[0] != tt.expr || c.Details[1] != tt.operands {
				t.Errorf("Details = %q, want %q then %q", c.Details, tt.expr, tt.operands)
			}
		})
	}
}
