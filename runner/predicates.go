package runner

import (
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/internal/lazyregexp"
)

// operand is what a predicate reads: the observed value, the expected one
// and, for matches and not_matches written as they are, the pattern
// compiled when the collection loaded.
type operand struct {
	observed
	expected any
	pattern  *regexp.Regexp
}

// predicateFunc evaluates a predicate: whether it holds and, when that is
// not a plain mismatch, why not.
type predicateFunc func(o operand) (bool, string)

// predicates are the predicates by name. All but exists fail on a subject
// that is missing.
var predicates = map[collections.Op]predicateFunc{
	collections.OpEq:          present(func(o operand) (bool, string) { return equalJSON(o.actual.Value, o.expected), "" }),
	collections.OpNe:          present(func(o operand) (bool, string) { return !equalJSON(o.actual.Value, o.expected), "" }),
	collections.OpGt:          present(compare(collections.OpGt, func(c int) bool { return c > 0 })),
	collections.OpGte:         present(compare(collections.OpGte, func(c int) bool { return c >= 0 })),
	collections.OpLt:          present(compare(collections.OpLt, func(c int) bool { return c < 0 })),
	collections.OpLte:         present(compare(collections.OpLte, func(c int) bool { return c <= 0 })),
	collections.OpBetween:     present(between),
	collections.OpContains:    present(containsAny),
	collections.OpNotContains: present(not(containsAny)),
	collections.OpStartsWith:  present(affix(collections.OpStartsWith, strings.HasPrefix)),
	collections.OpEndsWith:    present(affix(collections.OpEndsWith, strings.HasSuffix)),
	collections.OpMatches:     present(matches),
	collections.OpNotMatches:  present(not(matches)),
	collections.OpExists:      exists,
	collections.OpType:        present(hasType),
	collections.OpLength:      present(hasLength),
	collections.OpIsEmpty:     present(isEmpty),
	collections.OpOneOf:       present(oneOf),
	collections.OpIsUUID:      present(format(collections.OpIsUUID, uuidRE.MatchString)),
	collections.OpIsISODate:   present(format(collections.OpIsISODate, isISODate)),
	collections.OpIsEmail:     present(format(collections.OpIsEmail, isEmail)),
	collections.OpIsURL:       present(format(collections.OpIsURL, isURL)),
	collections.OpStatusIn:    present(statusIn),
}

// evaluate evaluates the predicate op.
func evaluate(op collections.Op, o operand) (bool, string) {
	f, ok := predicates[op]
	if !ok {
		return false, fmt.Sprintf("unknown predicate %q", op)
	}
	return f(o)
}

// present makes f fail, as a plain mismatch, on a missing subject.
func present(f predicateFunc) predicateFunc {
	return func(o operand) (bool, string) {
		if o.actual.Missing {
			return false, ""
		}
		return f(o)
	}
}

// not negates f; a predicate that cannot apply fails negated too.
func not(f predicateFunc) predicateFunc {
	return func(o operand) (bool, string) {
		ok, msg := f(o)
		return !ok && msg == "", msg
	}
}

// exists checks presence against a wanted boolean.
func exists(o operand) (bool, string) {
	want, ok := o.expected.(bool)
	if !ok {
		return false, fmt.Sprintf("exists takes true or false, not %s", typeName(o.expected))
	}
	return !o.actual.Missing == want, ""
}

// compare applies a comparison of two numbers; holds says whether the
// comparison's result (-1, 0, 1) passes.
func compare(op collections.Op, holds func(int) bool) predicateFunc {
	return func(o operand) (bool, string) {
		cmp, ok := eval.CompareNumbers(o.actual.Value, o.expected)
		if !ok {
			return false, fmt.Sprintf("%s compares numbers, not %s with %s", op, typeName(o.actual.Value), typeName(o.expected))
		}
		return holds(cmp), ""
	}
}

// between checks low <= actual <= high.
func between(o operand) (bool, string) {
	bounds, ok := o.expected.([]any)
	if !ok || len(bounds) != 2 || !eval.IsNumber(bounds[0]) || !eval.IsNumber(bounds[1]) {
		return false, fmt.Sprintf("between takes a list of two numbers, not %s", Typed{Value: o.expected})
	}
	lo, okLo := eval.CompareNumbers(o.actual.Value, bounds[0])
	hi, okHi := eval.CompareNumbers(o.actual.Value, bounds[1])
	if !okLo || !okHi {
		return false, fmt.Sprintf("between compares numbers, not %s", typeName(o.actual.Value))
	}
	return lo >= 0 && hi <= 0, ""
}

// containsAny is contains over every value of a repeated header, or the
// one value of any other subject.
func containsAny(o operand) (bool, string) {
	if len(o.all) <= 1 { // mutate:ignore "<= -> <" "1 -> 0" one value read through the loop gives the same answer
		return contains(o.actual.Value, o.expected)
	}
	for _, v := range o.all {
		if ok, msg := contains(v, o.expected); ok || msg != "" {
			return ok, msg
		}
	}
	return false, ""
}

// contains is substring for strings, typed element equality for arrays and
// key presence for objects.
func contains(actual, expected any) (bool, string) {
	switch a := actual.(type) {
	case string:
		sub, ok := expected.(string)
		if !ok {
			return false, fmt.Sprintf("contains on a string takes a string, not %s", typeName(expected))
		}
		return strings.Contains(a, sub), ""
	case []any:
		return slices.ContainsFunc(a, func(x any) bool { return equalJSON(x, expected) }), ""
	case map[string]any:
		key, ok := expected.(string)
		if !ok {
			return false, fmt.Sprintf("contains on an object takes a key (string), not %s", typeName(expected))
		}
		_, found := a[key]
		return found, ""
	}
	return false, fmt.Sprintf("contains needs a string, array or object, not %s", typeName(actual))
}

// affix checks a string prefix or suffix with has.
func affix(op collections.Op, has func(s, affix string) bool) predicateFunc {
	return func(o operand) (bool, string) {
		want, ok := o.expected.(string)
		if !ok {
			return false, fmt.Sprintf("%s takes a string, not %s", op, typeName(o.expected))
		}
		s, ok := o.actual.Value.(string)
		if !ok {
			return false, fmt.Sprintf("%s needs a string, not %s", op, typeName(o.actual.Value))
		}
		return has(s, want), ""
	}
}

// matches tries an RE2 pattern on a string: the pattern compiled at load,
// or the expected value, compiled now, when it was a template.
func matches(o operand) (bool, string) {
	pattern, ok := o.expected.(string)
	if !ok {
		return false, fmt.Sprintf("matches takes a pattern (string), not %s", typeName(o.expected))
	}
	s, ok := o.actual.Value.(string)
	if !ok {
		return false, fmt.Sprintf("matches needs a string, not %s", typeName(o.actual.Value))
	}
	re := o.pattern
	if re == nil {
		var err error
		if re, err = compileRegex(pattern); err != nil {
			return false, err.Error()
		}
	}
	return re.MatchString(s), ""
}

// compileRegex compiles a pattern known only at run time.
func compileRegex(pattern string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression: %w", err)
	}
	return re, nil
}

// hasType checks the JSON type: "number" holds for any number, "integer"
// for numbers without a fractional part.
func hasType(o operand) (bool, string) {
	want, ok := o.expected.(string)
	if !ok || !slices.Contains(collections.Types, want) {
		return false, fmt.Sprintf("type takes one of %s, not %s", strings.Join(collections.Types, ", "), Typed{Value: o.expected})
	}
	switch want {
	case "number":
		return eval.IsNumber(o.actual.Value), ""
	case "integer":
		return eval.IsIntegral(o.actual.Value), ""
	}
	return typeName(o.actual.Value) == want, ""
}

// hasLength compares the length of a string (in characters), array or
// object with a number.
func hasLength(o operand) (bool, string) {
	if !eval.IsNumber(o.expected) {
		return false, fmt.Sprintf("length takes a number, not %s", typeName(o.expected))
	}
	var n int
	switch a := o.actual.Value.(type) {
	case string:
		n = utf8.RuneCountInString(a)
	case []any:
		n = len(a)
	case map[string]any:
		n = len(a)
	default:
		return false, fmt.Sprintf("length needs a string, array or object, not %s", typeName(o.actual.Value))
	}
	if cmp, _ := eval.CompareNumbers(int64(n), o.expected); cmp != 0 {
		return false, fmt.Sprintf("length is %d", n)
	}
	return true, ""
}

// isEmpty checks "", [], {} and null against a wanted boolean.
func isEmpty(o operand) (bool, string) {
	want, ok := o.expected.(bool)
	if !ok {
		return false, fmt.Sprintf("is_empty takes true or false, not %s", typeName(o.expected))
	}
	var empty bool
	switch a := o.actual.Value.(type) {
	case nil:
		empty = true
	case string:
		empty = a == ""
	case []any:
		empty = len(a) == 0
	case map[string]any:
		empty = len(a) == 0
	default:
		return false, fmt.Sprintf("is_empty needs a string, array, object or null, not %s", typeName(o.actual.Value))
	}
	return empty == want, ""
}

// oneOf checks typed equality with one of a list of values.
func oneOf(o operand) (bool, string) {
	list, ok := o.expected.([]any)
	if !ok {
		return false, fmt.Sprintf("one_of takes a list, not %s", typeName(o.expected))
	}
	return slices.ContainsFunc(list, func(x any) bool { return equalJSON(o.actual.Value, x) }), ""
}

var uuidRE = lazyregexp.New(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// isoLayouts are the ISO 8601 forms is_iso_date accepts.
var isoLayouts = []string{
	"2006-01-02",
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
}

func isISODate(s string) bool {
	return slices.ContainsFunc(isoLayouts, func(layout string) bool {
		_, err := time.Parse(layout, s)
		return err == nil
	})
}

func isEmail(s string) bool {
	addr, err := mail.ParseAddress(s)
	return err == nil && addr.Address == s && addr.Name == ""
}

func isURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && u.Host != ""
}

// format checks that a string has a format (is) against a wanted boolean.
func format(op collections.Op, is func(string) bool) predicateFunc {
	return func(o operand) (bool, string) {
		want, ok := o.expected.(bool)
		if !ok {
			return false, fmt.Sprintf("%s takes true or false, not %s", op, typeName(o.expected))
		}
		s, ok := o.actual.Value.(string)
		if !ok {
			return false, fmt.Sprintf("%s needs a string, not %s", op, typeName(o.actual.Value))
		}
		return is(s) == want, ""
	}
}

// statusIn checks a status against a list of statuses and classes such as
// "2xx".
func statusIn(o operand) (bool, string) {
	list, ok := o.expected.([]any)
	if !ok {
		list = []any{o.expected}
	}
	for _, want := range list {
		ok, err := statusMatches(o.actual.Value, want)
		if err != nil {
			return false, err.Error()
		}
		if ok {
			return true, ""
		}
	}
	return false, ""
}

// statusMatches compares a status with one entry of a status list: an
// integer or a class "1xx" … "5xx".
func statusMatches(actual, want any) (bool, error) {
	if eval.IsNumber(want) {
		return equalJSON(actual, want), nil
	}
	class, ok := want.(string)
	lower := strings.ToLower(class)
	if !ok || len(lower) != 3 || !strings.HasSuffix(lower, "xx") || lower[0] < '1' || lower[0] > '5' {
		return false, fmt.Errorf("a status list holds statuses and classes such as \"2xx\", not %s", Typed{Value: want}) // mutate:ignore "false -> true" statusIn reads the error first
	}
	status, isInt := actual.(int64)
	return isInt && strconv.FormatInt(status/100, 10) == lower[:1], nil // mutate:ignore "10 -> 11" the digits 1 to 5 read the same in base 11
}
