package collections

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Types lists the names the type predicate accepts.
var Types = []string{"string", "number", "integer", "boolean", "array", "object", "null"}

// isOp reports whether key names a predicate a user may write.
func isOp(key string) bool { return PredicateKeys.Has(key) }

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

// predicate reads one predicate and its expected value, checked where it
// is written as it is (a template is checked when it is evaluated).
func (l *loader) predicate(op Op, n *yaml.Node, subj subject) *Predicate {
	n = resolve(n)
	if !l.fitsSubject(op, n, subj) {
		return nil
	}
	pr := &Predicate{Pos: l.pos(n), Op: op}
	if !(isString(n) && strings.Contains(n.Value, "{{")) && !l.literalExpected(pr, n) {
		return nil
	}
	if op == OpType && n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		// type: null, unquoted, names the JSON type.
		pr.Expected = &Value{Pos: l.pos(n), Kind: KindString, Template: Literal("null", l.pos(n))}
		return pr
	}
	pr.Expected = l.value(n)
	return pr
}

// fitsSubject reports whether op applies to the subject, with an expected
// value of a type the subject can have, recording an error when not.
func (l *loader) fitsSubject(op Op, n *yaml.Node, subj subject) bool {
	switch subj {
	case subjectStatus:
		switch op {
		case OpEq, OpNe, OpGt, OpGte, OpLt, OpLte:
			return l.statusCode(n, op == OpEq)
		case OpMatches, OpNotMatches, OpStartsWith, OpEndsWith:
			l.errorAt(n, "a status is an integer: use eq, ne, gt, gte, lt, lte, between, one_of, a list or a class such as 2xx", "predicate %s does not apply to a status", op)
			return false
		}
	case subjectHeader, subjectBody, subjectCookie:
		if isTextOp(op) && !isString(n) && !(n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" && op != OpContains) {
			what := map[subject]string{subjectHeader: "a header value", subjectBody: "the body", subjectCookie: "a cookie value"}[subj]
			hint := fmt.Sprintf("%s is text: quote the value", what)
			if n.Kind == yaml.ScalarNode {
				hint = fmt.Sprintf(`%s is text: write "%s"`, what, n.Value)
			}
			l.errorAt(n, hint, "%s expects a string, not %s", op, describe(n))
			return false
		}
	}
	return true
}

// literalExpected checks the expected value of pr written as it is, and
// compiles the pattern of matches and not_matches into pr.Pattern. It
// reports false after recording an error.
func (l *loader) literalExpected(pr *Predicate, n *yaml.Node) bool {
	op := pr.Op
	switch op {
	case OpGt, OpGte, OpLt, OpLte:
		return l.number(n, op, false)
	case OpLength:
		return l.number(n, op, true)
	case OpExists, OpIsEmpty, OpIsUUID, OpIsISODate, OpIsEmail, OpIsURL:
		_, ok := l.boolean(n, string(op))
		return ok
	case OpType:
		return l.typeName(n)
	case OpBetween:
		if n.Kind != yaml.SequenceNode || len(n.Content) != 2 {
			l.errorAt(n, "for example between: [1, 10]", "between needs a list of two numbers, not %s", describe(n))
			return false
		}
		return l.number(resolve(n.Content[0]), op, false) && l.number(resolve(n.Content[1]), op, false)
	case OpOneOf:
		if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
			l.errorAt(n, "for example one_of: [active, pending]", "one_of needs a list of values, not %s", describe(n))
			return false
		}
	case OpStartsWith, OpEndsWith:
		if !isString(n) {
			l.errorAt(n, "quote the value", "%s needs a string, not %s", op, describe(n))
			return false
		}
	case OpMatches, OpNotMatches:
		if !isString(n) {
			l.errorAt(n, "quote the pattern", "%s needs a regular expression string, not %s", op, describe(n))
			return false
		}
		re, err := regexp.Compile(n.Value)
		if err != nil {
			l.errorAt(n, "the syntax is Go's RE2", "invalid regex: %s", regexMessage(err))
			return false
		}
		pr.Pattern = re
	}
	return true
}

// predicateList reads a list of predicate mappings under a subject, all of
// which must hold. It returns ok false when n is not such a list.
func (l *loader) predicateList(n *yaml.Node, subj subject) ([]*Predicate, bool) {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		return nil, false
	}
	for _, it := range n.Content {
		it = resolve(it)
		if it.Kind != yaml.MappingNode || len(it.Content) == 0 {
			return nil, false
		}
		for i := 0; i < len(it.Content); i += 2 {
			if !isOp(resolve(it.Content[i]).Value) {
				return nil, false
			}
		}
	}
	var out []*Predicate
	for _, it := range n.Content {
		out = append(out, l.predicates(it, subj)...)
	}
	return out, true
}

// isTextOp reports whether op compares text, so that under a header, a
// cookie or the body its expected value must be a string.
func isTextOp(op Op) bool {
	switch op {
	case OpEq, OpNe, OpContains, OpNotContains, OpStartsWith, OpEndsWith:
		return true
	}
	return false
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
