package runner

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/callsheet/callsheet/collections"
)

// headerSubject prefixes the header name in CheckResult.Subject.
const headerSubject = "header "

// observed is the actual value of a check's subject.
type observed struct {
	actual Typed
	// all holds every value of a repeated header, for contains.
	all []string
	// problem, when set, fails every predicate with this message (for
	// example a body that is not JSON).
	problem string
	// subset makes eq with an object a subset match (JSON subjects).
	subset bool
	// body is the text a query read, quoted in a snippet when it found
	// nothing.
	body []byte
}

// checks evaluates every predicate of e against s, in the order status,
// headers, JSON paths, body. The error is a runtime error (an expected
// value that failed to render).
func (rn *run) checks(e *collections.Expect, s *subject) ([]*CheckResult, error) {
	if e == nil {
		return nil, nil
	}
	var out []*CheckResult
	add := func(c *collections.Check, name string, obs observed) error {
		results, err := rn.check(c, name, obs)
		out = append(out, results...)
		return err
	}
	if e.Status != nil {
		if err := add(e.Status, "status", observed{actual: s.statusValue()}); err != nil {
			return out, err
		}
	}
	for _, c := range e.Headers {
		if err := add(c, headerSubject+c.Subject, headerObserved(s, c.Subject)); err != nil {
			return out, err
		}
	}
	for _, c := range e.JSON {
		actual, problem := s.jsonValue(c.Subject)
		if err := add(c, strings.TrimSpace("json "+c.Subject), observed{actual: actual, problem: problem, subset: true}); err != nil {
			return out, err
		}
	}
	if e.Body != nil {
		if err := add(e.Body, "body", observed{actual: Typed{Value: string(s.body)}}); err != nil {
			return out, err
		}
	}
	extra, err := rn.extraChecks(e, s, add)
	return append(out, extra...), err
}

// headerObserved returns a header's first value, or none, with all its
// values.
func headerObserved(s *subject, name string) observed {
	values := s.header.Values(name)
	if len(values) == 0 {
		return observed{actual: Typed{Missing: true}}
	}
	return observed{actual: Typed{Value: values[0]}, all: values}
}

// check evaluates the predicates of one check.
func (rn *run) check(c *collections.Check, name string, obs observed) ([]*CheckResult, error) {
	out := make([]*CheckResult, 0, len(c.Predicates))
	for _, p := range c.Predicates {
		expected, err := p.Expected.Render(rn.scope)
		if err != nil {
			return out, err
		}
		res := &CheckResult{
			Pos:      p.Pos,
			Subject:  name,
			Op:       p.Op,
			Expected: Typed{Value: expected},
			Actual:   obs.actual,
		}
		if !res.Pos.IsValid() {
			res.Pos = c.Pos
		}
		switch {
		case obs.problem != "":
			res.Message = obs.problem
		case obs.subset && (p.Op == collections.OpEq || p.Op == collections.OpNe) && isObject(expected):
			diffs := subsetDiff(strings.TrimPrefix(name, "json "), obs.actual, expected)
			res.Passed = (len(diffs) == 0) == (p.Op == collections.OpEq)
			if !res.Passed && p.Op == collections.OpEq {
				res.Message = "the object differs at these paths (a subset match: other keys are ignored)"
				res.Details = diffs
			}
		default:
			res.Passed, res.Message = rn.predicate(p.Op, obs, expected)
		}
		if !res.Passed && res.Actual.Missing && obs.body != nil && res.Message == "" {
			res.Message = "nothing matched; " + rn.bodySnippet(obs.body)
		}
		out = append(out, res)
	}
	return out, nil
}

// predicate evaluates op on the observed value. The message explains a
// failure that is not a plain mismatch.
func (rn *run) predicate(op collections.Op, obs observed, expected any) (bool, string) {
	if op == collections.OpExists {
		want, ok := expected.(bool)
		if !ok {
			return false, fmt.Sprintf("exists takes true or false, not %s", typeName(expected))
		}
		return !obs.actual.Missing == want, ""
	}
	if obs.actual.Missing {
		return false, ""
	}
	actual := obs.actual.Value
	switch op {
	case collections.OpEq:
		return equalJSON(actual, expected), ""
	case collections.OpNe:
		return !equalJSON(actual, expected), ""
	case collections.OpGt, collections.OpGte, collections.OpLt, collections.OpLte:
		return compare(op, actual, expected)
	case collections.OpContains:
		if len(obs.all) > 1 {
			return containsAny(obs.all, expected)
		}
		return contains(actual, expected)
	case collections.OpMatches:
		return rn.matches(actual, expected)
	case collections.OpType:
		return hasType(actual, expected)
	case collections.OpLength:
		return hasLength(actual, expected)
	case collections.OpStatusIn:
		return statusIn(actual, expected)
	}
	if ok, msg, known := rn.extraPredicate(op, obs, expected); known {
		return ok, msg
	}
	return false, fmt.Sprintf("unknown predicate %q", op)
}

// compare applies gt, gte, lt or lte to two numbers.
func compare(op collections.Op, actual, expected any) (bool, string) {
	cmp, ok := collections.CompareNumbers(actual, expected)
	if !ok {
		return false, fmt.Sprintf("%s compares numbers, not %s with %s", op, typeName(actual), typeName(expected))
	}
	switch op {
	case collections.OpGt:
		return cmp > 0, ""
	case collections.OpGte:
		return cmp >= 0, ""
	case collections.OpLt:
		return cmp < 0, ""
	}
	return cmp <= 0, ""
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

// containsAny is contains over every value of a repeated header.
func containsAny(values []string, expected any) (bool, string) {
	for _, v := range values {
		if ok, msg := contains(v, expected); ok || msg != "" {
			return ok, msg
		}
	}
	return false, ""
}

// matches tries an RE2 pattern on a string.
func (rn *run) matches(actual, expected any) (bool, string) {
	pattern, ok := expected.(string)
	if !ok {
		return false, fmt.Sprintf("matches takes a pattern (string), not %s", typeName(expected))
	}
	s, ok := actual.(string)
	if !ok {
		return false, fmt.Sprintf("matches needs a string, not %s", typeName(actual))
	}
	re, err := rn.regexp(pattern)
	if err != nil {
		return false, err.Error()
	}
	return re.MatchString(s), ""
}

// regexp compiles a pattern once per run, or once per Runner.
func (rn *run) regexp(pattern string) (*regexp.Regexp, error) {
	return rn.caches.regexps.get(pattern)
}

// typeNames are the values of the type predicate.
var typeNames = []string{"string", "number", "integer", "boolean", "array", "object", "null"}

// hasType checks the JSON type: "number" holds for any number, "integer"
// for numbers without a fractional part.
func hasType(actual, expected any) (bool, string) {
	want, ok := expected.(string)
	if !ok || !slices.Contains(typeNames, want) {
		return false, fmt.Sprintf("type takes one of %s, not %s", strings.Join(typeNames, ", "), Typed{Value: expected})
	}
	switch want {
	case "number":
		return collections.IsNumber(actual), ""
	case "integer":
		return collections.IsIntegral(actual), ""
	}
	return typeName(actual) == want, ""
}

// hasLength compares the length of a string (in characters), array or
// object with a number.
func hasLength(actual, expected any) (bool, string) {
	if !collections.IsNumber(expected) {
		return false, fmt.Sprintf("length takes a number, not %s", typeName(expected))
	}
	var n int
	switch a := actual.(type) {
	case string:
		n = utf8.RuneCountInString(a)
	case []any:
		n = len(a)
	case map[string]any:
		n = len(a)
	default:
		return false, fmt.Sprintf("length needs a string, array or object, not %s", typeName(actual))
	}
	cmp, _ := collections.CompareNumbers(int64(n), expected)
	if cmp != 0 {
		return false, fmt.Sprintf("length is %d", n)
	}
	return true, ""
}

// statusIn checks a status against a list of statuses and classes such as
// "2xx".
func statusIn(actual, expected any) (bool, string) {
	list, ok := expected.([]any)
	if !ok {
		list = []any{expected}
	}
	for _, want := range list {
		ok, err := statusMatches(actual, want)
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
	if collections.IsNumber(want) {
		return equalJSON(actual, want), nil
	}
	class, ok := want.(string)
	lower := strings.ToLower(class)
	if !ok || len(lower) != 3 || !strings.HasSuffix(lower, "xx") || lower[0] < '1' || lower[0] > '5' {
		return false, fmt.Errorf("a status list holds statuses and classes such as \"2xx\", not %s", Typed{Value: want})
	}
	status, isInt := actual.(int64)
	return isInt && strconv.FormatInt(status/100, 10) == lower[:1], nil
}
