package convert

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/lazyregexp"
)

// azSubject is what a check reads, as an Arazzo runtime expression.
type azSubject struct {
	expr string
	// status, header, json or body.
	kind string
	// count is set for a JSON check of an array's length (gjson's #): expr
	// is then the pointer expression of the array.
	count bool
}

// azCheck is a check with the subject it reads.
type azCheck struct {
	subj azSubject
	c    *collections.Check
}

// criteria writes a step's checks as success criteria: a simple
// condition, or a regex one where text must match exactly (Arazzo's ==
// compares strings without case). What Arazzo cannot check is noted.
func (x *azExporter) criteria(s *collections.Step) *yaml.Node {
	crit := sequence()
	e := s.Expect
	if e == nil {
		return crit
	}
	var checks []azCheck
	if e.Status != nil {
		checks = append(checks, azCheck{azSubject{expr: "$statusCode", kind: "status"}, e.Status})
	}
	for _, c := range e.Headers {
		checks = append(checks, azCheck{azSubject{expr: "$response.header." + c.Subject, kind: "header"}, c})
	}
	for _, c := range e.JSON {
		ptr, count, ok := azPointer(c.Subject)
		if !ok {
			x.note(s.Name, fmt.Sprintf("the JSON check %s has no JSON pointer form", c.Subject))
			continue
		}
		checks = append(checks, azCheck{azSubject{expr: "$response.body" + azHash(ptr), kind: "json", count: count}, c})
	}
	if e.Body != nil {
		checks = append(checks, azCheck{azSubject{expr: "$response.body", kind: "body"}, e.Body})
	}
	for _, ch := range checks {
		for _, p := range ch.c.Predicates {
			crit.Content = append(crit.Content, x.predicate(ch.subj, p, s.Name)...)
		}
	}
	x.uncheckable(e, s.Name)
	return crit
}

// uncheckable notes the checks Arazzo has no criteria for.
func (x *azExporter) uncheckable(e *collections.Expect, step string) {
	for _, c := range []struct {
		n    int
		what string
	}{
		{len(e.Cookies), "cookies:"}, {boolInt(e.Duration != nil), "duration:"}, {len(e.XPath), "xpath:"},
		{len(e.CSS), "css:"}, {boolInt(e.Schema != nil), "schema:"}, {boolInt(e.Snapshot != nil), "snapshot:"},
		{len(e.Asserts), "assert:"},
	} {
		if c.n > 0 {
			x.note(step, c.what+" checks have no Arazzo form")
		}
	}
}

// azHash writes a JSON pointer as the fragment of a body expression.
func azHash(ptr string) string {
	if ptr == "" {
		return ""
	}
	return "#" + ptr
}

// azPathRE matches the gjson paths that are plain keys and indexes.
var azPathRE = lazyregexp.New(`^(?:[^.*?|@#()\\]|\\.)+(?:\.(?:[^.*?|@#()\\]|\\.)+)*$`)

// azPointer converts a plain gjson path (keys and indexes, \-escapes, a
// last # for an array's length) to a JSON pointer. count is set for #.
func azPointer(path string) (ptr string, count, ok bool) {
	if path == "@this" {
		return "", false, true
	}
	if path == "#" {
		return "", true, true
	}
	if rest, found := strings.CutSuffix(path, ".#"); found {
		path, count = rest, true
	}
	if !azPathRE.MatchString(path) {
		return "", false, false
	}
	var tokens []string
	var cur strings.Builder
	for i := 0; i < len(path); i++ {
		switch c := path[i]; {
		case c == '\\' && i+1 < len(path):
			i++
			cur.WriteByte(path[i])
		case c == '.':
			tokens = append(tokens, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	tokens = append(tokens, cur.String())
	for _, t := range tokens {
		ptr += "/" + strings.NewReplacer("~", "~0", "/", "~1").Replace(t)
	}
	return ptr, count, true
}

// azExpected is a predicate's expected value: a simple-condition operand
// (a literal, or a runtime expression), and for a string literal its
// text.
type azExpected struct {
	operand  string
	text     string
	isString bool
	isExpr   bool
}

// expected reads an expected value; ok is false for text with
// expressions embedded, lists and maps.
func (x *azExporter) expected(v *collections.Value, step string) (azExpected, bool) {
	switch v.Kind {
	case collections.KindString:
		if v.Template.IsLiteral() && !x.holdsSecret(v.Template.Raw) {
			return azExpected{operand: azQuote(v.Template.Raw), text: v.Template.Raw, isString: true}, true
		}
		if s, whole := x.text(v.Template, step); whole {
			return azExpected{operand: s, isExpr: true}, true
		}
		return azExpected{}, false
	case collections.KindList, collections.KindMap:
		return azExpected{}, false
	}
	return azExpected{operand: scalarText(v)}, true
}

// holdsSecret reports whether text holds the value of a secret var.
func (x *azExporter) holdsSecret(text string) bool {
	for value := range x.secretValues {
		if strings.Contains(text, value) {
			return true
		}
	}
	return false
}

// azQuote writes a simple condition's string literal.
func azQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func simpleCriterion(cond string) *yaml.Node {
	n := flowMapping()
	add(n, "condition", str(cond))
	return n
}

func regexCriterion(context, pattern string) *yaml.Node {
	n := flowMapping()
	add(n, "context", str(context))
	add(n, "condition", str(pattern))
	add(n, "type", str("regex"))
	return n
}

// predicate translates one predicate into criteria.
func (x *azExporter) predicate(subj azSubject, p *collections.Predicate, step string) []*yaml.Node {
	if subj.count {
		return x.countPredicate(subj, p, step)
	}
	if subj.kind == "header" && azHasNumber(p.Expected) {
		x.note(step, fmt.Sprintf("%s of %s with a number: callsheet fails it (headers are text), Arazzo compares the header as a number", p.Op, azWhat(subj)))
	}
	switch p.Op {
	case collections.OpEq:
		return x.equal(subj, p.Expected, step)
	case collections.OpNe, collections.OpGt, collections.OpGte, collections.OpLt, collections.OpLte:
		ops := map[collections.Op]string{collections.OpNe: "!=", collections.OpGt: ">", collections.OpGte: ">=", collections.OpLt: "<", collections.OpLte: "<="}
		if e, ok := x.expected(p.Expected, step); ok {
			return []*yaml.Node{simpleCriterion(subj.expr + " " + ops[p.Op] + " " + e.operand)}
		}
	case collections.OpBetween:
		if lo, hi, ok := x.pair(p.Expected, step); ok {
			return []*yaml.Node{simpleCriterion(fmt.Sprintf("%s >= %s && %s <= %s", subj.expr, lo, subj.expr, hi))}
		}
	case collections.OpExists:
		if p.Expected.Kind == collections.KindBool {
			return []*yaml.Node{simpleCriterion(subj.expr + map[bool]string{true: " != null", false: " == null"}[p.Expected.Bool])}
		}
	case collections.OpOneOf, collections.OpStatusIn:
		if cond, ok := x.anyOf(subj, p.Expected, step); ok {
			return []*yaml.Node{simpleCriterion(cond)}
		}
	case collections.OpContains, collections.OpStartsWith, collections.OpEndsWith, collections.OpMatches, collections.OpIsUUID:
		if n := x.pattern(subj, p, step); n != nil {
			return []*yaml.Node{n}
		}
	case collections.OpType:
		if p.Expected.Kind == collections.KindString && p.Expected.Template.Raw == "null" {
			return []*yaml.Node{simpleCriterion(subj.expr + " == null")}
		}
		x.note(step, fmt.Sprintf("Arazzo cannot test JSON types: type %s of %s is checked as present", p.Expected.Template.Raw, azWhat(subj)))
		return []*yaml.Node{simpleCriterion(subj.expr + " != null")}
	}
	x.note(step, fmt.Sprintf("%s of %s has no Arazzo criterion", p.Op, azWhat(subj)))
	return nil
}

// azHasNumber reports whether an expected value is or lists a number.
func azHasNumber(v *collections.Value) bool {
	switch v.Kind {
	case collections.KindInt, collections.KindFloat:
		return true
	case collections.KindList:
		for _, it := range v.Items {
			if azHasNumber(it) {
				return true
			}
		}
	}
	return false
}

// azWhat names a check's subject in notes.
func azWhat(subj azSubject) string {
	switch subj.kind {
	case "status":
		return "the status"
	case "body":
		return "the body"
	}
	return strings.TrimPrefix(strings.TrimPrefix(subj.expr, "$response."), "body#")
}

// equal translates eq: exact text by a regex, numbers, booleans, null and
// expressions by a simple condition, a JSON object or list member by
// member (callsheet's eq on an object checks the members it lists).
func (x *azExporter) equal(subj azSubject, v *collections.Value, step string) []*yaml.Node {
	switch {
	case subj.kind == "json" && v.Kind == collections.KindMap:
		var out []*yaml.Node
		for i, k := range v.Keys {
			member := azSubject{expr: azChild(subj.expr, k), kind: "json"}
			out = append(out, x.equal(member, v.Fields[i], step)...)
		}
		return out
	case subj.kind == "json" && v.Kind == collections.KindList:
		var out []*yaml.Node
		for i, it := range v.Items {
			out = append(out, x.equal(azSubject{expr: azChild(subj.expr, strconv.Itoa(i)), kind: "json"}, it, step)...)
		}
		return append(out, simpleCriterion(azChild(subj.expr, strconv.Itoa(len(v.Items)))+" == null"))
	}
	e, ok := x.expected(v, step)
	if !ok {
		x.note(step, fmt.Sprintf("eq of %s with %s has no Arazzo criterion", azWhat(subj), describeValue(v)))
		return nil
	}
	if e.isString && e.text == "" && subj.kind == "body" {
		return []*yaml.Node{simpleCriterion("$response.body == null")}
	}
	if e.isString {
		return []*yaml.Node{regexCriterion(subj.expr, "^"+regexp.QuoteMeta(e.text)+"$")}
	}
	return []*yaml.Node{simpleCriterion(subj.expr + " == " + e.operand)}
}

// azChild is the body expression of a member of the value expr reads.
func azChild(expr, key string) string {
	tok := strings.NewReplacer("~", "~0", "/", "~1").Replace(key)
	if strings.Contains(expr, "#") {
		return expr + "/" + tok
	}
	return expr + "#/" + tok
}

func describeValue(v *collections.Value) string {
	switch v.Kind {
	case collections.KindList:
		return "a list"
	case collections.KindMap:
		return "a mapping"
	}
	return "text with expressions"
}

// pair reads the [low, high] of between.
func (x *azExporter) pair(v *collections.Value, step string) (lo, hi string, ok bool) {
	if v.Kind != collections.KindList || len(v.Items) != 2 {
		return "", "", false
	}
	a, okA := x.expected(v.Items[0], step)
	b, okB := x.expected(v.Items[1], step)
	return a.operand, b.operand, okA && okB
}

// anyOf translates one_of and a status list: equal to any value, or in
// a status class such as 4xx.
func (x *azExporter) anyOf(subj azSubject, v *collections.Value, step string) (string, bool) {
	items := v.Items
	if v.Kind != collections.KindList {
		items = []*collections.Value{v}
	}
	var alts []string
	for _, it := range items {
		if it.Kind == collections.KindString && subj.kind == "status" && len(it.Template.Raw) == 3 && strings.HasSuffix(strings.ToLower(it.Template.Raw), "xx") {
			c := it.Template.Raw[0:1]
			alts = append(alts, fmt.Sprintf("%s >= %s00 && %s <= %s99", subj.expr, c, subj.expr, c))
			continue
		}
		e, ok := x.expected(it, step)
		if !ok {
			return "", false
		}
		alts = append(alts, subj.expr+" == "+e.operand)
	}
	if len(alts) == 1 {
		return alts[0], true
	}
	for i, a := range alts {
		if strings.Contains(a, "&&") {
			alts[i] = "(" + a + ")"
		}
	}
	return strings.Join(alts, " || "), true
}

// azUUID is callsheet's is_uuid pattern.
const azUUID = `^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`

// pattern translates the predicates on text into a regex criterion.
func (x *azExporter) pattern(subj azSubject, p *collections.Predicate, step string) *yaml.Node {
	if p.Op == collections.OpIsUUID {
		if p.Expected.Kind == collections.KindBool && p.Expected.Bool {
			return regexCriterion(subj.expr, azUUID)
		}
		return nil
	}
	if p.Expected.Kind != collections.KindString {
		return nil
	}
	var text string
	if p.Expected.Template.IsLiteral() && !x.holdsSecret(p.Expected.Template.Raw) {
		text = p.Expected.Template.Raw
		if p.Op != collections.OpMatches {
			text = regexp.QuoteMeta(text)
		}
	} else {
		s, whole := x.text(p.Expected.Template, step)
		if whole {
			s = "{" + s + "}"
		}
		x.note(step, fmt.Sprintf("%s of %s: Arazzo puts the value into the regular expression as it is", p.Op, azWhat(subj)))
		text = s
	}
	switch p.Op {
	case collections.OpStartsWith:
		text = "^" + text
	case collections.OpEndsWith:
		text += "$"
	}
	return regexCriterion(subj.expr, text)
}

// countPredicate checks the length of a JSON array (gjson's #) through
// the elements that must and must not exist.
func (x *azExporter) countPredicate(subj azSubject, p *collections.Predicate, step string) []*yaml.Node {
	n, err := strconv.Atoi(scalarText(p.Expected))
	if p.Expected.Kind != collections.KindInt || err != nil || n < 0 {
		x.note(step, fmt.Sprintf("%s of the length of %s has no Arazzo criterion", p.Op, azWhat(subj)))
		return nil
	}
	has := func(i int) string { return azChild(subj.expr, strconv.Itoa(i)) + " != null" }
	lacks := func(i int) string { return azChild(subj.expr, strconv.Itoa(i)) + " == null" }
	var conds []string
	switch {
	case p.Op == collections.OpEq && n == 0, p.Op == collections.OpLt && n == 1, p.Op == collections.OpLte && n == 0:
		conds = []string{lacks(0)}
	case p.Op == collections.OpEq:
		conds = []string{has(n-1) + " && " + lacks(n)}
	case p.Op == collections.OpGte && n > 0:
		conds = []string{has(n - 1)}
	case p.Op == collections.OpGte:
		return nil
	case p.Op == collections.OpGt:
		conds = []string{has(n)}
	case p.Op == collections.OpLt && n > 1:
		conds = []string{lacks(n - 1)}
	case p.Op == collections.OpLte:
		conds = []string{lacks(n)}
	default:
		x.note(step, fmt.Sprintf("%s of the length of %s has no Arazzo criterion", p.Op, azWhat(subj)))
		return nil
	}
	var out []*yaml.Node
	for _, c := range conds {
		out = append(out, simpleCriterion(c))
	}
	return out
}

// azStatuses are the response statuses a step's status check expects,
// for the generated description: codes, and classes as 2XX.
func azStatuses(e *collections.Expect) []string {
	if e == nil || e.Status == nil {
		return nil
	}
	var out []string
	for _, p := range e.Status.Predicates {
		items := []*collections.Value{p.Expected}
		if p.Expected.Kind == collections.KindList {
			items = p.Expected.Items
		}
		if p.Op != collections.OpEq && p.Op != collections.OpStatusIn && p.Op != collections.OpOneOf {
			continue
		}
		for _, it := range items {
			switch it.Kind {
			case collections.KindInt:
				out = append(out, strconv.FormatInt(it.Int, 10))
			case collections.KindString:
				out = append(out, strings.ToUpper(it.Template.Raw))
			}
		}
	}
	return out
}
