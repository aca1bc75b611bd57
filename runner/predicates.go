package runner

import (
	"fmt"
	"maps"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/callsheet/callsheet/collections"
)

// extraChecks evaluates the checks added after the first version: cookies,
// duration, XPath and CSS queries, the schema, the snapshot and the assert
// expressions, in that order, appending to out.
func (rn *run) extraChecks(e *collections.Expect, s *subject, add func(*collections.Check, string, observed) error) ([]*CheckResult, error) {
	var out []*CheckResult
	for _, c := range e.Cookies {
		actual, problem := s.cookieValue(c.Subject)
		if err := add(c, "cookie "+c.Subject, observed{actual: actual, problem: problem}); err != nil {
			return nil, err
		}
	}
	if e.Duration != nil {
		actual, problem := s.durationValue()
		if err := add(e.Duration, "duration", observed{actual: actual, problem: problem}); err != nil {
			return nil, err
		}
	}
	for _, c := range e.XPath {
		actual, problem := rn.xpathValue(s, c.Subject)
		if err := add(c, "xpath "+c.Subject, observed{actual: actual, problem: problem, body: s.body}); err != nil {
			return nil, err
		}
	}
	for _, c := range e.CSS {
		actual, problem := rn.cssValue(s, c.Subject)
		if err := add(c, "css "+c.Subject, observed{actual: actual, problem: problem, body: s.body}); err != nil {
			return nil, err
		}
	}
	var err error
	if e.Schema != nil {
		var res *CheckResult
		res, err = rn.schemaCheck(e.Schema, s)
		if res != nil {
			out = append(out, res)
		}
		if err != nil {
			return out, err
		}
	}
	if e.Snapshot != nil {
		var res *CheckResult
		res, err = rn.snapshotCheck(e.Snapshot, s)
		if res != nil {
			out = append(out, res)
		}
		if err != nil {
			return out, err
		}
	}
	for _, a := range e.Asserts {
		out = append(out, rn.assert(a, s))
	}
	return out, nil
}

// extraPredicate evaluates the predicates added after the first version.
// known is false for an op it does not handle.
func (rn *run) extraPredicate(op collections.Op, obs observed, expected any) (ok bool, msg string, known bool) {
	actual := obs.actual.Value
	switch op {
	case collections.OpBetween:
		ok, msg = between(actual, expected)
	case collections.OpNotContains:
		if len(obs.all) > 1 {
			ok, msg = containsAny(obs.all, expected)
		} else {
			ok, msg = contains(actual, expected)
		}
		ok = !ok && msg == ""
	case collections.OpStartsWith, collections.OpEndsWith:
		ok, msg = affix(op, actual, expected)
	case collections.OpNotMatches:
		ok, msg = rn.matches(actual, expected)
		ok = !ok && msg == ""
	case collections.OpIsEmpty:
		ok, msg = isEmpty(actual, expected)
	case collections.OpOneOf:
		list, isList := expected.([]any)
		if !isList {
			return false, fmt.Sprintf("one_of takes a list, not %s", typeName(expected)), true
		}
		ok = slices.ContainsFunc(list, func(x any) bool { return equalJSON(actual, x) })
	case collections.OpIsUUID, collections.OpIsISODate, collections.OpIsEmail, collections.OpIsURL:
		ok, msg = hasFormat(op, actual, expected)
	default:
		return false, "", false
	}
	return ok, msg, true
}

// between checks low <= actual <= high.
func between(actual, expected any) (bool, string) {
	bounds, ok := expected.([]any)
	if !ok || len(bounds) != 2 || !collections.IsNumber(bounds[0]) || !collections.IsNumber(bounds[1]) {
		return false, fmt.Sprintf("between takes a list of two numbers, not %s", Typed{Value: expected})
	}
	lo, okLo := collections.CompareNumbers(actual, bounds[0])
	hi, okHi := collections.CompareNumbers(actual, bounds[1])
	if !okLo || !okHi {
		return false, fmt.Sprintf("between compares numbers, not %s", typeName(actual))
	}
	return lo >= 0 && hi <= 0, ""
}

// affix checks a string prefix or suffix.
func affix(op collections.Op, actual, expected any) (bool, string) {
	want, ok := expected.(string)
	if !ok {
		return false, fmt.Sprintf("%s takes a string, not %s", op, typeName(expected))
	}
	s, ok := actual.(string)
	if !ok {
		return false, fmt.Sprintf("%s needs a string, not %s", op, typeName(actual))
	}
	if op == collections.OpStartsWith {
		return strings.HasPrefix(s, want), ""
	}
	return strings.HasSuffix(s, want), ""
}

// isEmpty checks "", [], {} and null against a wanted boolean.
func isEmpty(actual, expected any) (bool, string) {
	want, ok := expected.(bool)
	if !ok {
		return false, fmt.Sprintf("is_empty takes true or false, not %s", typeName(expected))
	}
	var empty bool
	switch a := actual.(type) {
	case nil:
		empty = true
	case string:
		empty = a == ""
	case []any:
		empty = len(a) == 0
	case map[string]any:
		empty = len(a) == 0
	default:
		return false, fmt.Sprintf("is_empty needs a string, array, object or null, not %s", typeName(actual))
	}
	return empty == want, ""
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// isoLayouts are the ISO 8601 forms is_iso_date accepts.
var isoLayouts = []string{
	"2006-01-02",
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
}

// hasFormat checks the string formats against a wanted boolean.
func hasFormat(op collections.Op, actual, expected any) (bool, string) {
	want, ok := expected.(bool)
	if !ok {
		return false, fmt.Sprintf("%s takes true or false, not %s", op, typeName(expected))
	}
	s, ok := actual.(string)
	if !ok {
		return false, fmt.Sprintf("%s needs a string, not %s", op, typeName(actual))
	}
	var is bool
	switch op {
	case collections.OpIsUUID:
		is = uuidRE.MatchString(s)
	case collections.OpIsISODate:
		for _, layout := range isoLayouts {
			if _, err := time.Parse(layout, s); err == nil {
				is = true
				break
			}
		}
	case collections.OpIsEmail:
		addr, err := mail.ParseAddress(s)
		is = err == nil && addr.Address == s && addr.Name == ""
	case collections.OpIsURL:
		u, err := url.Parse(s)
		is = err == nil && u.Scheme != "" && u.Host != ""
	}
	return is == want, ""
}

// isObject reports whether v is a JSON object.
func isObject(v any) bool {
	_, ok := v.(map[string]any)
	return ok
}

// subsetDiff compares actual with an expected object as a subset: every
// key of expected must be in actual with an equal value, recursively for
// objects; arrays and other values must be equal. It returns one line per
// differing path, sorted, such as
//
//	user.name: actual string <"Bob">, expected string <"Alice">
func subsetDiff(path string, actual Typed, expected any) []string {
	return diffValues(path, actual, expected, true)
}

// fullDiff is subsetDiff without the subset rule: extra keys differ too.
func fullDiff(actual, expected any) []string {
	return diffValues("", Typed{Value: actual}, expected, false)
}

func diffValues(path string, actual Typed, expected any, subset bool) []string {
	name := path
	if name == "" {
		name = "(root)"
	}
	want, isMap := expected.(map[string]any)
	got, gotMap := actual.Value.(map[string]any)
	if isMap && gotMap && !actual.Missing {
		var out []string
		for _, k := range slices.Sorted(maps.Keys(want)) {
			v, ok := got[k]
			out = append(out, diffValues(checkPath(path, k), Typed{Value: v, Missing: !ok}, want[k], subset)...)
		}
		if !subset {
			for _, k := range slices.Sorted(maps.Keys(got)) {
				if _, ok := want[k]; !ok {
					out = append(out, fmt.Sprintf("%s: unexpected, actual %s", checkPath(path, k), Typed{Value: got[k]}))
				}
			}
		}
		return out
	}
	wantList, isList := expected.([]any)
	gotList, gotIsList := actual.Value.([]any)
	if isList && gotIsList && !actual.Missing {
		if len(wantList) != len(gotList) {
			return []string{fmt.Sprintf("%s: actual %d items, expected %d", name, len(gotList), len(wantList))}
		}
		var out []string
		for i := range wantList {
			out = append(out, diffValues(checkPath(path, fmt.Sprint(i)), Typed{Value: gotList[i]}, wantList[i], subset)...)
		}
		return out
	}
	if !actual.Missing && equalJSON(actual.Value, expected) {
		return nil
	}
	return []string{fmt.Sprintf("%s: actual %s, expected %s", name, actual, Typed{Value: expected})}
}

// checkPath appends a key to a gjson path, escaping the characters gjson
// gives a meaning to (as the paths of a response diff are).
func checkPath(path, key string) string { return joinPath(path, escapePathKey(key)) }
