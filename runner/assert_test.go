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
