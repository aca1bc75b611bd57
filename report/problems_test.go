package report

import (
	"testing"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/runner"
)

func TestExpectation(t *testing.T) {
	tests := []struct {
		op       collections.Op
		expected any
		want     string
	}{
		{collections.OpEq, int64(200), "integer <200>"},
		{collections.OpNe, int64(200), "not integer <200>"},
		{collections.OpGt, int64(0), "greater than integer <0>"},
		{collections.OpGte, int64(1), "greater than or equal to integer <1>"},
		{collections.OpLt, 1.5, "less than number <1.5>"},
		{collections.OpLte, int64(9), "less than or equal to integer <9>"},
		{collections.OpBetween, []any{int64(1), int64(10)}, "between integer <1> and integer <10>"},
		{collections.OpContains, "ok", `contains string <"ok">`},
		{collections.OpNotContains, "err", `does not contain string <"err">`},
		{collections.OpStartsWith, "ab", `starts with string <"ab">`},
		{collections.OpEndsWith, "yz", `ends with string <"yz">`},
		{collections.OpMatches, "^a", `matches string <"^a">`},
		{collections.OpNotMatches, "^a", `does not match string <"^a">`},
		{collections.OpExists, true, "exists boolean <true>"},
		{collections.OpType, "array", "type array"},
		{collections.OpLength, int64(3), "length integer <3>"},
		{collections.OpIsEmpty, true, `empty ("", [], {} or null)`},
		{collections.OpOneOf, []any{"a", "b"}, `one of array <["a","b"]>`},
		{collections.OpIsUUID, true, "a UUID"},
		{collections.OpIsISODate, false, "not an ISO 8601 date"},
		{collections.OpIsEmail, true, "an e-mail address"},
		{collections.OpIsURL, false, "not an absolute URL"},
		{collections.OpStatusIn, []any{int64(200), "3xx"}, `one of array <[200,"3xx"]>`},
	}
	tested := map[collections.Op]bool{}
	for _, tt := range tests {
		tested[tt.op] = true
		ch := &runner.CheckResult{Op: tt.op, Expected: runner.Typed{Value: tt.expected}}
		if got := Expectation(ch, ch.Expected.String()); got != tt.want {
			t.Errorf("Expectation(%s %v) = %q, want %q", tt.op, tt.expected, got, tt.want)
		}
	}
	// Every predicate a user may write is worded here, so no report
	// falls back to the bare expected value for a new one.
	for _, op := range collections.Ops {
		if !tested[op] {
			t.Errorf("Expectation: predicate %s has no test case", op)
		}
	}
}
