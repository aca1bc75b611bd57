package runner

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/mask"
)

// checker evaluates a step's expect: block against what the step received
// (a subject), with the run's scope for expected values and expressions.
// It keeps the JSON Schemas it compiled for the rest of the run.
type checker struct {
	scope *eval.Scope
	mask  *mask.Masker
	// file is the collection file, whose folder holds the schema and
	// snapshot files.
	file string
	// updateSnapshots rewrites the snapshots (Options.UpdateSnapshots).
	updateSnapshots bool
	schemas         map[*collections.Schema]*jsonschema.Schema
}

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

// subjectKind is one kind of check subject: where its checks are in an
// expect: block (one, or many), and how to observe each: its name in
// CheckResult.Subject and its value.
type subjectKind struct {
	one     func(e *collections.Expect) *collections.Check
	many    func(e *collections.Expect) []*collections.Check
	observe func(s *subject, c *collections.Check) (string, observed)
}

// subjectKinds are the kinds of subject in the order their checks are
// evaluated: status, headers, JSON paths, body, cookies, duration, XPath
// and CSS queries.
var subjectKinds = []subjectKind{
	{one: func(e *collections.Expect) *collections.Check { return e.Status },
		observe: func(s *subject, _ *collections.Check) (string, observed) {
			return "status", observed{actual: s.statusValue()}
		}},
	{many: func(e *collections.Expect) []*collections.Check { return e.Headers },
		observe: func(s *subject, c *collections.Check) (string, observed) {
			return headerSubject + c.Subject, s.headerObserved(c.Subject)
		}},
	{many: func(e *collections.Expect) []*collections.Check { return e.JSON },
		observe: func(s *subject, c *collections.Check) (string, observed) {
			actual, problem := s.jsonValue(c.Subject)
			return strings.TrimSpace("json " + c.Subject), observed{actual: actual, problem: problem, subset: true}
		}},
	{one: func(e *collections.Expect) *collections.Check { return e.Body },
		observe: func(s *subject, _ *collections.Check) (string, observed) {
			return "body", observed{actual: Typed{Value: string(s.body)}}
		}},
	{many: func(e *collections.Expect) []*collections.Check { return e.Cookies },
		observe: func(s *subject, c *collections.Check) (string, observed) {
			actual, problem := s.cookieValue(c.Subject)
			return "cookie " + c.Subject, observed{actual: actual, problem: problem}
		}},
	{one: func(e *collections.Expect) *collections.Check { return e.Duration },
		observe: func(s *subject, _ *collections.Check) (string, observed) {
			actual, problem := s.durationValue()
			return "duration", observed{actual: actual, problem: problem}
		}},
	{many: func(e *collections.Expect) []*collections.Check { return e.XPath },
		observe: func(s *subject, c *collections.Check) (string, observed) { return s.observeQuery("xpath", c) }},
	{many: func(e *collections.Expect) []*collections.Check { return e.CSS },
		observe: func(s *subject, c *collections.Check) (string, observed) { return s.observeQuery("css", c) }},
}

// observeQuery observes an XPath (kind "xpath") or CSS check: the value
// the query finds, with the body it read.
func (s *subject) observeQuery(kind string, c *collections.Check) (string, observed) {
	actual, problem := s.queryValue(kind, c.Query, c.Subject)
	return kind + " " + c.Subject, observed{actual: actual, problem: problem, body: s.body}
}

// checks evaluates every check of e against s, then the schema, the
// snapshot and the asserts. The error is a runtime error: an expected
// value that failed to render, a schema that cannot be read.
func (c *checker) checks(e *collections.Expect, s *subject) ([]*CheckResult, error) {
	if e == nil {
		return nil, nil
	}
	n := 0
	for _, k := range subjectKinds {
		k.each(e, func(ch *collections.Check) { n += len(ch.Predicates) })
	}
	// The results of the predicates share one array.
	rs := &results{slab: make([]CheckResult, n), out: make([]*CheckResult, 0, n+len(e.Asserts)+2)}
	for _, k := range subjectKinds {
		var err error
		k.each(e, func(ch *collections.Check) {
			if err == nil {
				name, obs := k.observe(s, ch)
				err = c.check(ch, name, obs, rs)
			}
		})
		if err != nil {
			return rs.out, err
		}
	}
	return c.wholeBody(e, s, rs.out)
}

// each calls fn with each check of e of kind k, in order.
func (k subjectKind) each(e *collections.Expect, fn func(*collections.Check)) {
	if k.many != nil {
		for _, ch := range k.many(e) {
			fn(ch)
		}
	} else if one := k.one(e); one != nil {
		fn(one)
	}
}

// results are the results of a step's predicates: out lists them, each
// taken from slab in turn.
type results struct {
	slab []CheckResult
	out  []*CheckResult
}

// next returns the next result, appended to out.
func (rs *results) next() *CheckResult {
	res := &rs.slab[0]
	rs.slab = rs.slab[1:]
	rs.out = append(rs.out, res)
	return res
}

// wholeBody appends to out the results of the checks of the whole body:
// the schema, the snapshot, then the asserts.
func (c *checker) wholeBody(e *collections.Expect, s *subject, out []*CheckResult) ([]*CheckResult, error) {
	if e.Schema != nil {
		res, err := c.schemaCheck(e.Schema, s)
		if res != nil {
			out = append(out, res)
		}
		if err != nil {
			return out, err
		}
	}
	if e.Snapshot != nil {
		res, err := c.snapshotCheck(e.Snapshot, s)
		if res != nil {
			out = append(out, res)
		}
		if err != nil {
			return out, err
		}
	}
	for _, a := range e.Asserts {
		out = append(out, c.assert(a, s))
	}
	return out, nil
}

// check evaluates the predicates of one check into rs.
func (c *checker) check(ch *collections.Check, name string, obs observed, rs *results) error {
	for _, p := range ch.Predicates {
		expected, err := p.Expected.Render(c.scope)
		if err != nil {
			return err
		}
		res := rs.next()
		*res = CheckResult{Pos: p.Pos, Subject: name, Op: p.Op, Expected: Typed{Value: expected}, Actual: obs.actual}
		if !res.Pos.IsValid() {
			res.Pos = ch.Pos
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
			res.Passed, res.Message = evaluate(p.Op, operand{observed: obs, expected: expected, pattern: p.Pattern})
		}
		if !res.Passed && res.Actual.Missing && obs.body != nil && res.Message == "" {
			res.Message = "nothing matched; " + bodySnippet(c.mask, obs.body)
		}
	}
	return nil
}

// headerObserved returns a header's first value, or none, with all its
// values.
func (s *subject) headerObserved(name string) observed {
	values := s.header.Values(name)
	if len(values) == 0 {
		return observed{actual: Typed{Missing: true}}
	}
	return observed{actual: Typed{Value: values[0]}, all: values}
}

// bodySnippet is snippet of the body with every secret masked first, so
// that cutting the text cannot leave part of a secret unmasked (the mask
// replaces whole values only).
func bodySnippet(m *mask.Masker, body []byte) string {
	return snippet(m.Bytes(body))
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

// diffValues lists the paths where actual differs from expected; with
// subset, keys expected does not have are not differences.
func diffValues(path string, actual Typed, expected any, subset bool) []string {
	want, isMap := expected.(map[string]any)
	got, gotMap := actual.Value.(map[string]any)
	if isMap && gotMap && !actual.Missing {
		return diffObjects(path, got, want, subset)
	}
	name := path
	if name == "" {
		name = "(root)"
	}
	wantList, isList := expected.([]any)
	gotList, gotIsList := actual.Value.([]any)
	if isList && gotIsList && !actual.Missing {
		if len(wantList) != len(gotList) {
			return []string{fmt.Sprintf("%s: actual %d items, expected %d", name, len(gotList), len(wantList))}
		}
		var out []string
		for i := range wantList {
			out = append(out, diffValues(checkPath(path, fmt.Sprintf("%d", i)), Typed{Value: gotList[i]}, wantList[i], subset)...)
		}
		return out
	}
	if !actual.Missing && equalJSON(actual.Value, expected) {
		return nil
	}
	return []string{fmt.Sprintf("%s: actual %s, expected %s", name, actual, Typed{Value: expected})}
}

// diffObjects is diffValues for two objects.
func diffObjects(path string, got, want map[string]any, subset bool) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(want)) {
		v, ok := got[k]
		out = append(out, diffValues(checkPath(path, k), Typed{Value: v, Missing: !ok}, want[k], subset)...)
	}
	if subset {
		return out
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[k]; !ok {
			out = append(out, fmt.Sprintf("%s: unexpected, actual %s", checkPath(path, k), Typed{Value: got[k]}))
		}
	}
	return out
}

// checkPath appends a key to a gjson path, escaping the characters gjson
// gives a meaning to (as the paths of a response diff are).
func checkPath(path, key string) string { return joinPath(path, escapePathKey(key)) }
