package collections

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

var expectKeys = append([]string{"status", "headers", "json", "body"}, extraExpectKeys...)

// Types lists the names the type predicate accepts.
var Types = []string{"string", "number", "integer", "boolean", "array", "object", "null"}

// subject tells which part of the response a check reads; it decides which
// predicates and expected values make sense.
type subject int

const (
	subjectStatus subject = iota
	subjectHeader
	subjectJSON
	subjectBody
	subjectCookie
	subjectDuration
	// subjectMarkup is an XPath or CSS query on an HTML or XML body.
	subjectMarkup
)

func (l *loader) expect(p pair) *Expect {
	e := &Expect{Pos: l.pos(p.keyN)}
	ps, _ := l.pairs(p.value, "expect")
	for _, q := range l.known(ps, "expect", expectKeys) {
		switch q.key {
		case "status":
			e.Status = l.status(q)
		case "headers":
			hs, _ := l.pairs(q.value, "expect headers")
			for _, h := range hs {
				e.Headers = append(e.Headers, l.check(h, h.key, subjectHeader))
			}
		case "json":
			js, _ := l.pairs(q.value, "expect json")
			for _, j := range js {
				if j.key == "" {
					l.errorAt(j.keyN, `write a gjson path such as data.id, or "#" for the length of an array`, "empty json path")
					continue
				}
				l.checkGJSONPath(j.keyN, j.key)
				e.JSON = append(e.JSON, l.check(j, j.key, subjectJSON))
			}
		case "body":
			e.Body = l.check(q, "", subjectBody)
		default:
			l.extraExpect(e, q)
		}
	}
	return e
}

// check builds the check of one subject from its value: a predicate set or
// an expected value.
func (l *loader) check(p pair, name string, subj subject) *Check {
	return &Check{Pos: l.pos(p.keyN), Subject: name, Predicates: l.predicates(p.value, subj)}
}

// status builds the status check. An integer is compared for equality; a
// class ("2xx") or a list of codes and classes becomes OpStatusIn.
func (l *loader) status(p pair) *Check {
	c := &Check{Pos: l.pos(p.keyN)}
	n := p.value
	if list, ok := l.predicateList(resolve(n), subjectStatus); ok {
		// A list of predicate mappings: all must hold.
		c.Predicates = list
		return c
	}
	switch {
	case n.Kind == yaml.SequenceNode:
		ok := len(n.Content) > 0
		if !ok {
			l.errorAt(n, "for example status: [200, 201]", "status list is empty")
		}
		for _, it := range n.Content {
			it = resolve(it)
			if isString(it) && isStatusClass(it.Value) {
				continue
			}
			if !l.statusCode(it, true) {
				ok = false
			}
		}
		if ok {
			c.Predicates = []*Predicate{{Pos: l.pos(n), Op: OpStatusIn, Expected: l.value(n)}}
		}
	case isString(n) && isStatusClass(n.Value):
		c.Predicates = []*Predicate{{Pos: l.pos(n), Op: OpStatusIn, Expected: l.value(n)}}
	default:
		c.Predicates = l.predicates(n, subjectStatus)
	}
	return c
}

// isStatusClass reports whether s is 1xx … 5xx.
func isStatusClass(s string) bool {
	return len(s) == 3 && s[0] >= '1' && s[0] <= '5' && strings.EqualFold(s[1:], "xx")
}

// statusCode checks an expected status: an integer from 100 to 599 or a
// template.
func (l *loader) statusCode(n *yaml.Node, classes bool) bool {
	n = resolve(n)
	if isString(n) && strings.Contains(n.Value, "{{") {
		return true
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!int" {
		var code int64
		if err := n.Decode(&code); err == nil && code >= 100 && code <= 599 {
			return true
		}
		l.errorAt(n, "HTTP status codes go from 100 to 599", "invalid status code %s", n.Value)
		return false
	}
	hint := "write a number such as 200"
	if classes {
		hint += `, or a class such as 2xx`
	}
	if isString(n) && n.Value != "" && allDigits(n.Value) {
		hint = fmt.Sprintf("write %s without quotes: statuses are integers", n.Value)
	}
	l.errorAt(n, hint, "invalid status %s", describeValue(n))
	return false
}

// describeValue quotes a scalar's text for messages, or describes a node.
func describeValue(n *yaml.Node) string {
	if isString(n) {
		return fmt.Sprintf("%q", n.Value)
	}
	if n.Kind == yaml.ScalarNode {
		return n.Value
	}
	return describe(n)
}

// isOp reports whether key names a predicate a user may write.
func isOp(key string) bool {
	for _, op := range Ops {
		if string(op) == key {
			return true
		}
	}
	return false
}

func opNames() []string {
	names := make([]string, len(Ops))
	for i, op := range Ops {
		names[i] = string(op)
	}
	return names
}

// suggestOp returns the predicate a one-key mapping probably meant, or "".
// It is stricter than Suggest so that short object keys such as id or name
// are not taken for misspelt predicates.
func suggestOp(key string) string {
	s := Suggest(key, opNames())
	if s == "" || 2*editDistance(strings.ToLower(key), s) >= len(key) {
		return ""
	}
	return s
}

// predicates reads the value of a subject: a mapping whose keys are all
// predicates, or an expected value compared for equality.
func (l *loader) predicates(n *yaml.Node, subj subject) []*Predicate {
	n = resolve(n)
	if list, ok := l.predicateList(n, subj); ok {
		return list
	}
	if n.Kind == yaml.MappingNode && len(n.Content) > 0 {
		ps, _ := l.pairs(n, "predicates")
		var opKeys int
		for _, p := range ps {
			if isOp(p.key) {
				opKeys++
			}
		}
		switch {
		case opKeys == len(ps):
			var out []*Predicate
			for _, p := range ps {
				if pr := l.predicate(Op(p.key), p.value, subj); pr != nil {
					out = append(out, pr)
				}
			}
			return out
		case opKeys > 0:
			for _, p := range ps {
				if !isOp(p.key) {
					hint := didYouMean(p.key, opNames(), "predicates: "+strings.Join(opNames(), ", ")+"; to expect an object, write eq: {…}")
					l.errorAt(p.keyN, hint, "unknown predicate %q beside other predicates", p.key)
				}
			}
			return nil
		case len(ps) == 1:
			if s := suggestOp(ps[0].key); s != "" {
				l.errorAt(ps[0].keyN, fmt.Sprintf("did you mean %q? (to expect an object, write eq: {…})", s), "unknown predicate %q", ps[0].key)
				return nil
			}
		}
	}
	if pr := l.predicate(OpEq, n, subj); pr != nil {
		return []*Predicate{pr}
	}
	return nil
}

// predicate validates the expected value of one predicate where it is a
// literal.
func (l *loader) predicate(op Op, n *yaml.Node, subj subject) *Predicate {
	n = resolve(n)
	templ := isString(n) && strings.Contains(n.Value, "{{")
	ok := true
	switch subj {
	case subjectStatus:
		switch op {
		case OpEq, OpNe, OpGt, OpGte, OpLt, OpLte:
			ok = l.statusCode(n, op == OpEq)
		case OpMatches, OpNotMatches, OpStartsWith, OpEndsWith:
			l.errorAt(n, "a status is an integer: use eq, ne, gt, gte, lt, lte, between, one_of, a list or a class such as 2xx", "predicate %s does not apply to a status", op)
			ok = false
		}
	case subjectHeader, subjectBody, subjectCookie:
		if isTextOp(op) && !isString(n) && !(n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" && op != OpContains) {
			what := "a header value"
			switch subj {
			case subjectBody:
				what = "the body"
			case subjectCookie:
				what = "a cookie value"
			}
			hint := fmt.Sprintf("%s is text: quote the value", what)
			if n.Kind == yaml.ScalarNode {
				hint = fmt.Sprintf(`%s is text: write "%s"`, what, n.Value)
			}
			l.errorAt(n, hint, "%s expects a string, not %s", op, describe(n))
			ok = false
		}
	}
	if ok {
		switch op {
		case OpGt, OpGte, OpLt, OpLte:
			ok = templ || l.number(n, op, false)
		case OpLength:
			ok = templ || l.number(n, op, true)
		case OpExists:
			if !templ {
				_, ok = l.boolean(n, "exists")
			}
		case OpType:
			if !templ {
				ok = l.typeName(n)
			}
		case OpBetween, OpOneOf, OpStartsWith, OpEndsWith, OpNotContains, OpNotMatches,
			OpIsEmpty, OpIsUUID, OpIsISODate, OpIsEmail, OpIsURL:
			ok = l.extraPredicate(op, n, templ)
		case OpMatches:
			if !isString(n) {
				l.errorAt(n, "quote the pattern", "matches needs a regular expression string, not %s", describe(n))
				ok = false
			} else if !templ {
				if _, err := regexp.Compile(n.Value); err != nil {
					l.errorAt(n, "the syntax is Go's RE2", "invalid regex: %s", regexMessage(err))
					ok = false
				}
			}
		}
	}
	if !ok {
		return nil
	}
	if op == OpType && n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		// type: null, unquoted, names the JSON type.
		return &Predicate{Pos: l.pos(n), Op: op, Expected: &Value{Pos: l.pos(n), Kind: KindString, Template: Literal("null", l.pos(n))}}
	}
	return &Predicate{Pos: l.pos(n), Op: op, Expected: l.value(n)}
}

// number checks the literal expected value of a numeric predicate.
func (l *loader) number(n *yaml.Node, op Op, whole bool) bool {
	if n.Kind == yaml.ScalarNode {
		switch n.ShortTag() {
		case "!!int":
			var i int64
			if whole && (n.Decode(&i) != nil || i < 0) {
				l.errorAt(n, "", "%s must not be negative", op)
				return false
			}
			return true
		case "!!float":
			if !whole || isBigInteger(n.Value) {
				return true
			}
		}
	}
	want := "a number"
	if whole {
		want = "a whole number"
	}
	hint := ""
	if isString(n) && n.Value != "" {
		hint = fmt.Sprintf("write %s without quotes, or use a template", n.Value)
	}
	l.errorAt(n, hint, "%s needs %s, not %s", op, want, describe(n))
	return false
}

// typeName checks the expected value of the type predicate.
func (l *loader) typeName(n *yaml.Node) bool {
	if isString(n) && slices.Contains(Types, n.Value) || n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" && n.Value == "null" {
		return true
	}
	hint := "types: " + strings.Join(Types, ", ")
	if isString(n) {
		hint = didYouMean(n.Value, Types, hint)
	}
	l.errorAt(n, hint, "unknown type %s", describeValue(n))
	return false
}
