package runner

import (
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

// TestEvaluate evaluates every predicate on values of each type it takes,
// at the boundaries of its comparisons, and on values it does not take,
// whose message says why.
func TestEvaluate(t *testing.T) {
	obj := map[string]any{"id": int64(1)}
	tests := []struct {
		name     string
		op       collections.Op
		actual   any
		expected any
		want     bool
		msg      string // a part of the message; "" when there is none
	}{
		{"unknown", "near", "a", "a", false, `unknown predicate "near"`},

		{"eq int float", collections.OpEq, int64(2), 2.0, true, ""},
		{"eq string number", collections.OpEq, "2", int64(2), false, ""},
		{"ne", collections.OpNe, "a", "b", true, ""},
		{"ne same", collections.OpNe, int64(2), 2.0, false, ""},

		{"gt above", collections.OpGt, int64(8), int64(7), true, ""},
		{"gt equal", collections.OpGt, int64(7), int64(7), false, ""},
		{"gte equal", collections.OpGte, int64(7), int64(7), true, ""},
		{"gte below", collections.OpGte, int64(6), int64(7), false, ""},
		{"lt below", collections.OpLt, int64(6), int64(7), true, ""},
		{"lt equal", collections.OpLt, int64(7), int64(7), false, ""},
		{"lte equal", collections.OpLte, int64(7), int64(7), true, ""},
		{"lte above", collections.OpLte, int64(8), int64(7), false, ""},
		{"gt string", collections.OpGt, "8", int64(7), false, "gt compares numbers, not string with integer"},
		{"lte string expected", collections.OpLte, int64(8), "x", false, "lte compares numbers, not integer with string"},

		{"between low", collections.OpBetween, int64(1), []any{int64(1), int64(3)}, true, ""},
		{"between high", collections.OpBetween, int64(3), []any{int64(1), int64(3)}, true, ""},
		{"between below", collections.OpBetween, int64(0), []any{int64(1), int64(3)}, false, ""},
		{"between above", collections.OpBetween, 3.5, []any{int64(1), int64(3)}, false, ""},
		{"between not a list", collections.OpBetween, int64(1), int64(3), false, "between takes a list of two numbers, not integer <3>"},
		{"between three", collections.OpBetween, int64(1), []any{int64(1), int64(2), int64(3)}, false, "between takes a list of two numbers"},
		{"between low string", collections.OpBetween, int64(1), []any{"1", int64(3)}, false, "between takes a list of two numbers"},
		{"between high string", collections.OpBetween, int64(1), []any{int64(1), "3"}, false, "between takes a list of two numbers"},
		{"between string", collections.OpBetween, "2", []any{int64(1), int64(3)}, false, "between compares numbers, not string"},
		{"between NaN low", collections.OpBetween, int64(2), []any{math.NaN(), int64(3)}, false, "between compares numbers"},
		{"between NaN high", collections.OpBetween, int64(2), []any{int64(1), math.NaN()}, false, "between compares numbers"},

		{"contains substring", collections.OpContains, "abc", "bc", true, ""},
		{"contains substring not", collections.OpContains, "abc", "cb", false, ""},
		{"contains string number", collections.OpContains, "a1", int64(1), false, "contains on a string takes a string, not integer"},
		{"contains element", collections.OpContains, []any{int64(1), "b"}, 1.0, true, ""},
		{"contains element typed", collections.OpContains, []any{"1"}, int64(1), false, ""},
		{"contains key", collections.OpContains, obj, "id", true, ""},
		{"contains no key", collections.OpContains, obj, "name", false, ""},
		{"contains key number", collections.OpContains, obj, int64(1), false, "contains on an object takes a key (string), not integer"},
		{"contains number", collections.OpContains, int64(12), "1", false, "contains needs a string, array or object, not integer"},
		{"not_contains", collections.OpNotContains, "abc", "x", true, ""},
		{"not_contains holds", collections.OpNotContains, "abc", "b", false, ""},
		{"not_contains number", collections.OpNotContains, int64(12), "1", false, "contains needs a string, array or object"},

		{"starts_with", collections.OpStartsWith, "abc", "ab", true, ""},
		{"starts_with not", collections.OpStartsWith, "abc", "bc", false, ""},
		{"ends_with", collections.OpEndsWith, "abc", "bc", true, ""},
		{"ends_with not", collections.OpEndsWith, "abc", "ab", false, ""},
		{"starts_with number", collections.OpStartsWith, "abc", int64(1), false, "starts_with takes a string, not integer"},
		{"ends_with on number", collections.OpEndsWith, int64(10), "0", false, "ends_with needs a string, not integer"},

		{"matches", collections.OpMatches, "abc", "^a.c$", true, ""},
		{"matches not", collections.OpMatches, "abcd", "^a.c$", false, ""},
		{"matches number pattern", collections.OpMatches, "abc", int64(1), false, "matches takes a pattern (string), not integer"},
		{"matches on number", collections.OpMatches, int64(1), "1", false, "matches needs a string, not integer"},
		{"matches bad pattern", collections.OpMatches, "abc", "a(", false, "invalid regular expression: "},
		{"not_matches", collections.OpNotMatches, "abc", "^b", true, ""},
		{"not_matches bad pattern", collections.OpNotMatches, "abc", "a(", false, "invalid regular expression"},

		{"exists", collections.OpExists, "a", true, true, ""},
		{"exists false on present", collections.OpExists, "a", false, false, ""},
		{"exists string", collections.OpExists, "a", "yes", false, "exists takes true or false, not string"},

		{"type number int", collections.OpType, int64(1), "number", true, ""},
		{"type number float", collections.OpType, 1.5, "number", true, ""},
		{"type number string", collections.OpType, "1", "number", false, ""},
		{"type integer float", collections.OpType, 2.0, "integer", true, ""},
		{"type integer fraction", collections.OpType, 2.5, "integer", false, ""},
		{"type string", collections.OpType, "a", "string", true, ""},
		{"type null", collections.OpType, nil, "null", true, ""},
		{"type object", collections.OpType, obj, "array", false, ""},
		{"type unknown", collections.OpType, "a", "text", false, `type takes one of string, number, integer, boolean, array, object, null, not string <"text">`},
		{"type number given", collections.OpType, "a", int64(1), false, "type takes one of"},

		{"length runes", collections.OpLength, "ä€x", int64(3), true, ""},
		{"length array", collections.OpLength, []any{int64(1), int64(2)}, int64(2), true, ""},
		{"length object", collections.OpLength, obj, 1.0, true, ""},
		{"length off", collections.OpLength, "ab", int64(3), false, "length is 2"},
		{"length string given", collections.OpLength, "ab", "2", false, "length takes a number, not string"},
		{"length of number", collections.OpLength, int64(12), int64(2), false, "length needs a string, array or object, not integer"},

		{"is_empty null", collections.OpIsEmpty, nil, true, true, ""},
		{"is_empty string", collections.OpIsEmpty, "", true, true, ""},
		{"is_empty string not", collections.OpIsEmpty, "a", true, false, ""},
		{"is_empty array", collections.OpIsEmpty, []any{}, true, true, ""},
		{"is_empty array not", collections.OpIsEmpty, []any{nil}, true, false, ""},
		{"is_empty object", collections.OpIsEmpty, map[string]any{}, true, true, ""},
		{"is_empty object not", collections.OpIsEmpty, obj, true, false, ""},
		{"is_empty false", collections.OpIsEmpty, "a", false, true, ""},
		{"is_empty string given", collections.OpIsEmpty, "", "yes", false, "is_empty takes true or false, not string"},
		{"is_empty of number", collections.OpIsEmpty, int64(0), true, false, "is_empty needs a string, array, object or null, not integer"},

		{"one_of", collections.OpOneOf, int64(2), []any{"2", 2.0}, true, ""},
		{"one_of typed", collections.OpOneOf, "2", []any{int64(2)}, false, ""},
		{"one_of not a list", collections.OpOneOf, "a", "a", false, "one_of takes a list, not string"},

		{"is_uuid", collections.OpIsUUID, "123e4567-e89b-12d3-a456-426614174000", true, true, ""},
		{"is_uuid short", collections.OpIsUUID, "123e4567-e89b-12d3-a456-42661417400", true, false, ""},
		{"is_uuid false", collections.OpIsUUID, "nope", false, true, ""},
		{"is_uuid string given", collections.OpIsUUID, "nope", "true", false, "is_uuid takes true or false, not string"},
		{"is_uuid of number", collections.OpIsUUID, int64(1), true, false, "is_uuid needs a string, not integer"},
		{"is_iso_date date", collections.OpIsISODate, "2024-02-29", true, true, ""},
		{"is_iso_date RFC 3339", collections.OpIsISODate, "2024-02-29T10:20:30.5+01:00", true, true, ""},
		{"is_iso_date local", collections.OpIsISODate, "2024-02-29T10:20:30.123", true, true, ""},
		{"is_iso_date minutes zoned", collections.OpIsISODate, "2024-02-29T10:20Z", true, true, ""},
		{"is_iso_date minutes", collections.OpIsISODate, "2024-02-29T10:20", true, true, ""},
		{"is_iso_date no day", collections.OpIsISODate, "2023-02-29", true, false, ""},
		{"is_email", collections.OpIsEmail, "ada@example.com", true, true, ""},
		{"is_email named", collections.OpIsEmail, "Ada <ada@example.com>", true, false, ""},
		{"is_email bracketed", collections.OpIsEmail, "<ada@example.com>", true, false, ""},
		{"is_email none", collections.OpIsEmail, "ada", true, false, ""},
		{"is_url", collections.OpIsURL, "https://example.com/p", true, true, ""},
		{"is_url no scheme", collections.OpIsURL, "//example.com/p", true, false, ""},
		{"is_url no host", collections.OpIsURL, "mailto:ada@example.com", true, false, ""},
		{"is_url bad", collections.OpIsURL, "http://[::1", true, false, ""},

		{"status_in one", collections.OpStatusIn, int64(204), int64(204), true, ""},
		{"status_in one off", collections.OpStatusIn, int64(204), int64(200), false, ""},
		{"status_in class", collections.OpStatusIn, int64(101), "1xx", true, ""},
		{"status_in class 5", collections.OpStatusIn, int64(599), "5XX", true, ""},
		{"status_in class off", collections.OpStatusIn, int64(300), "2xx", false, ""},
		{"status_in list", collections.OpStatusIn, int64(404), []any{int64(200), "4xx"}, true, ""},
		{"status_in list first", collections.OpStatusIn, int64(200), []any{int64(200), "4xx"}, true, ""},
		{"status_in list none", collections.OpStatusIn, int64(500), []any{int64(200), "4xx"}, false, ""},
		{"status_in class 0", collections.OpStatusIn, int64(200), "0xx", false, `a status list holds statuses and classes such as "2xx", not string <"0xx">`},
		{"status_in class 6", collections.OpStatusIn, int64(200), "6xx", false, "a status list holds statuses"},
		{"status_in long", collections.OpStatusIn, int64(200), "2xxx", false, "a status list holds statuses"},
		{"status_in not xx", collections.OpStatusIn, int64(200), "2x0", false, "a status list holds statuses"},
		{"status_in bool", collections.OpStatusIn, int64(200), []any{true}, false, "a status list holds statuses"},
		{"status_in bad after match", collections.OpStatusIn, int64(200), []any{"9xx", int64(200)}, false, "a status list holds statuses"},
		{"status_in float", collections.OpStatusIn, 200.0, "2xx", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := operand{observed: observed{actual: Typed{Value: tt.actual}}, expected: tt.expected}
			ok, msg := evaluate(tt.op, o)
			if ok != tt.want || (tt.msg == "") != (msg == "") || !strings.Contains(msg, tt.msg) {
				t.Errorf("%s %v on %v = %v, %q; want %v, %q", tt.op, tt.expected, tt.actual, ok, msg, tt.want, tt.msg)
			}
		})
	}
}

// TestEvaluateMissing fails every predicate but exists on a missing
// subject, as a plain mismatch.
func TestEvaluateMissing(t *testing.T) {
	missing := observed{actual: Typed{Missing: true}}
	for op := range predicates {
		if op == collections.OpExists {
			continue
		}
		if ok, msg := evaluate(op, operand{observed: missing, expected: true}); ok || msg != "" {
			t.Errorf("%s on a missing subject = %v, %q; want false and no message", op, ok, msg)
		}
	}
	if ok, msg := evaluate(collections.OpExists, operand{observed: missing, expected: false}); !ok || msg != "" {
		t.Errorf("exists: false on a missing subject = %v, %q; want true", ok, msg)
	}
	if ok, _ := evaluate(collections.OpExists, operand{observed: missing, expected: true}); ok {
		t.Error("exists: true on a missing subject holds")
	}
}

// TestEvaluateRepeatedHeader checks contains over every value of a
// repeated header: it holds when one value does.
func TestEvaluateRepeatedHeader(t *testing.T) {
	all := []string{"a=1", "b=2"}
	tests := []struct {
		op       collections.Op
		expected any
		want     bool
		msg      string
	}{
		{collections.OpContains, "b=", true, ""},
		{collections.OpContains, "a=", true, ""},
		{collections.OpContains, "c=", false, ""},
		{collections.OpContains, int64(1), false, "contains on a string takes a string"},
		{collections.OpNotContains, "c=", true, ""},
		{collections.OpNotContains, "b=", false, ""},
	}
	for _, tt := range tests {
		o := operand{observed: observed{actual: Typed{Value: all[0]}, all: all}, expected: tt.expected}
		ok, msg := evaluate(tt.op, o)
		if ok != tt.want || (tt.msg == "") != (msg == "") || !strings.Contains(msg, tt.msg) {
			t.Errorf("%s %v on %q = %v, %q; want %v, %q", tt.op, tt.expected, all, ok, msg, tt.want, tt.msg)
		}
	}
}

// TestEvaluateCompiledPattern uses the pattern compiled when the
// collection loaded rather than compiling the expected text again.
func TestEvaluateCompiledPattern(t *testing.T) {
	o := operand{observed: observed{actual: Typed{Value: "abc"}}, expected: "^a", pattern: regexp.MustCompile("c$")}
	if ok, msg := evaluate(collections.OpMatches, o); !ok || msg != "" {
		t.Errorf("matches with a compiled pattern = %v, %q; want true", ok, msg)
	}
	o.actual.Value = "abd"
	if ok, _ := evaluate(collections.OpMatches, o); ok {
		t.Error("matches used the expected text, not the compiled pattern")
	}
}
