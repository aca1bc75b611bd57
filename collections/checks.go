package collections

import (
	"regexp"
	"strings"

	"github.com/andybalholm/cascadia"
	"github.com/antchfx/xpath"
	"gopkg.in/yaml.v3"
)

// The predicates beyond the comparisons of the first version. Every
// predicate applies under every subject.
const (
	OpBetween     Op = "between"      // a number within [low, high], inclusive
	OpNotContains Op = "not_contains" // the negation of contains
	OpStartsWith  Op = "starts_with"  // a string prefix
	OpEndsWith    Op = "ends_with"    // a string suffix
	OpNotMatches  Op = "not_matches"  // the negation of matches
	OpIsEmpty     Op = "is_empty"     // "", [], {} or null (true), or not (false)
	OpOneOf       Op = "one_of"       // equal, typed, to one of the listed values
	OpIsUUID      Op = "is_uuid"      // an RFC 9562 UUID in its textual form
	OpIsISODate   Op = "is_iso_date"  // an ISO 8601 date or date-time
	OpIsEmail     Op = "is_email"     // an e-mail address (RFC 5322 addr-spec)
	OpIsURL       Op = "is_url"       // an absolute URL with a scheme and a host
)

// The capture sources beyond json, header, status, body and regex.
const (
	// FromCookie takes the value of the response cookie named Capture.Query.
	FromCookie CaptureSource = iota + 100
	// FromDuration takes the response time in milliseconds (an integer).
	FromDuration
	// FromURL takes the final URL, after redirects.
	FromURL
	// FromRedirects takes the number of redirects followed (an integer).
	FromRedirects
	// FromXPath takes the result of the XPath expression Capture.Query on
	// an HTML or XML body: the text of the first node, or a number, string
	// or boolean for expressions such as count(//li).
	FromXPath
	// FromCSS takes the text of the first element matching the CSS
	// selector Capture.Query on an HTML body.
	FromCSS
)

// Schema is a JSON Schema the JSON body must validate against: a file
// (Path, relative to the collection's folder) or a schema written inline.
type Schema struct {
	Pos Pos
	// Path is the schema file; empty for an inline schema.
	Path string
	// Inline is the schema written in YAML; nil for a file.
	Inline *Value
}

// Snapshot compares the response body with a stored file, created on the
// first run and rewritten by callsheet run --update-snapshots.
type Snapshot struct {
	Pos Pos
	// Path is the snapshot file, relative to the collection's folder.
	Path string
	// Ignore lists gjson paths whose values are set to null on both sides
	// before comparing, such as ids and timestamps.
	Ignore []string
}

// Assert is one expr-lang expression over the response that must be true.
// It reads res.status, res.headers, res.json, res.body, res.duration,
// res.cookies, vars and earlier captures.
type Assert struct {
	Pos  Pos
	Expr *Expr
}

// ResName is the variable through which assert expressions read the
// response.
const ResName = "res"

// extraExpectKeys are the expect keys handled in this file.
var extraExpectKeys = []string{"cookies", "duration", "xpath", "css", "schema", "snapshot", "assert"}

// extraExpect reads one of the extraExpectKeys into e.
func (l *loader) extraExpect(e *Expect, q pair) {
	switch q.key {
	case "cookies":
		cs, _ := l.pairs(q.value, "expect cookies")
		for _, c := range cs {
			e.Cookies = append(e.Cookies, l.check(c, c.key, subjectCookie))
		}
	case "duration":
		e.Duration = l.check(q, "", subjectDuration)
	case "xpath", "css":
		qs, _ := l.pairs(q.value, "expect "+q.key)
		for _, c := range qs {
			if strings.TrimSpace(c.key) == "" {
				l.errorAt(c.keyN, "", "empty %s query", q.key)
				continue
			}
			if !l.markupQuery(q.key, c.keyN, c.key) {
				continue
			}
			ch := l.check(c, c.key, subjectMarkup)
			if q.key == "xpath" {
				e.XPath = append(e.XPath, ch)
			} else {
				e.CSS = append(e.CSS, ch)
			}
		}
	case "schema":
		e.Schema = l.schema(q)
	case "snapshot":
		e.Snapshot = l.snapshot(q)
	case "assert":
		e.Asserts = l.asserts(q.value)
	}
}

func (l *loader) schema(q pair) *Schema {
	n := q.value
	s := &Schema{Pos: l.pos(n)}
	switch {
	case isString(n) && n.Value != "":
		s.Path = n.Value
	case n.Kind == yaml.MappingNode:
		s.Inline = l.value(n)
	default:
		l.errorAt(n, "write a file path such as schemas/user.json, or the schema inline as a mapping", "schema must be a file path or a mapping, not %s", describe(n))
		return nil
	}
	return s
}

var snapshotKeys = []string{"file", "ignore"}

func (l *loader) snapshot(q pair) *Snapshot {
	n := q.value
	s := &Snapshot{Pos: l.pos(n)}
	switch {
	case isString(n) && n.Value != "":
		s.Path = n.Value
	case n.Kind == yaml.MappingNode:
		ps, _ := l.pairs(n, "snapshot")
		for _, p := range l.known(ps, "snapshot", snapshotKeys) {
			switch p.key {
			case "file":
				s.Path, _ = l.str(p.value, "snapshot file")
			case "ignore":
				s.Ignore = l.stringList(p.value, "snapshot ignore")
			}
		}
		if s.Path == "" {
			l.errorAt(q.keyN, "for example snapshot: {file: snapshots/user.json, ignore: [id]}", "snapshot has no file")
			return nil
		}
	default:
		l.errorAt(n, "write a file path such as snapshots/user.json", "snapshot must be a file path or a mapping, not %s", describe(n))
		return nil
	}
	return s
}

// stringList reads a list of non-empty strings.
func (l *loader) stringList(n *yaml.Node, what string) []string {
	n = resolve(n)
	if n.Kind != yaml.SequenceNode {
		l.errorAt(n, "", "%s must be a list of strings, not %s", what, describe(n))
		return nil
	}
	var out []string
	for _, it := range n.Content {
		if s, ok := l.str(resolve(it), what+" entry"); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (l *loader) asserts(n *yaml.Node) []*Assert {
	n = resolve(n)
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	var out []*Assert
	for _, it := range items {
		it = resolve(it)
		if e := l.expression(it, "assert", ResName); e != nil {
			out = append(out, &Assert{Pos: e.Pos, Expr: e})
		}
	}
	return out
}

// condition reads a step's if: expression.
func (l *loader) condition(n *yaml.Node) *Expr {
	return l.expression(resolve(n), "if", "")
}

// expression compiles a string scalar holding one expression, written bare
// or inside {{ }}. The name hidden is provided at run time and is left out
// of the expression's Names.
func (l *loader) expression(n *yaml.Node, what, hidden string) *Expr {
	if !isString(n) {
		l.errorAt(n, `write an expression such as res.status == 200, quoted when it starts with a special character`, "%s must be an expression string, not %s", what, describe(n))
		return nil
	}
	pos, _ := l.contentPos(n)
	src := n.Value
	trimmed := strings.TrimSpace(src)
	if strings.HasPrefix(trimmed, "{{") && strings.HasSuffix(trimmed, "}}") && strings.Count(trimmed, "{{") == 1 {
		lead := strings.Index(src, "{{") + 2
		inner := src[lead:strings.LastIndex(src, "}}")]
		lead += len(inner) - len(strings.TrimLeft(inner, " \t"))
		pos = advance(pos, src, lead)
		src = strings.TrimSpace(inner)
	} else {
		lead := len(src) - len(strings.TrimLeft(src, " \t"))
		pos = advance(pos, src, lead)
		src = trimmed
	}
	if src == "" {
		l.errorAt(n, "", "empty %s expression", what)
		return nil
	}
	e, err := l.compile(src, pos)
	if err != nil {
		if ce, ok := err.(*Error); ok {
			l.errs = append(l.errs, ce)
		} else {
			l.errorAt(n, "", "%v", err)
		}
		return nil
	}
	if hidden != "" {
		names := e.Names[:0:0]
		for _, name := range e.Names {
			if name != hidden {
				names = append(names, name)
			}
		}
		e.Names = names
	}
	return e
}

// extraCapture reads the capture sources of this file into c.
func (l *loader) extraCapture(c *Capture, p pair) bool {
	switch p.key {
	case "cookie", "xpath", "css":
		s, ok := l.str(p.value, p.key)
		if !ok || strings.TrimSpace(s) == "" {
			if ok {
				l.errorAt(p.value, "", "%s must not be empty", p.key)
			}
			return false
		}
		if p.key != "cookie" && !l.markupQuery(p.key, p.value, s) {
			return false
		}
		c.Query = s
		switch p.key {
		case "cookie":
			c.Source = FromCookie
		case "xpath":
			c.Source = FromXPath
		default:
			c.Source = FromCSS
		}
	default: // duration, url, redirects
		b, good := l.boolean(p.value, p.key)
		if good && !b {
			l.errorAt(p.value, "remove the key or write true", "%s: false captures nothing", p.key)
			return false
		}
		switch p.key {
		case "duration":
			c.Source = FromDuration
		case "url":
			c.Source = FromURL
		default:
			c.Source = FromRedirects
		}
		return good
	}
	return true
}

// markupQuery compiles an XPath expression (kind "xpath") or a CSS
// selector (kind "css") with the libraries the runner uses, so that a bad
// query fails the load rather than every run. Queries are not templates:
// the runner uses them as written. It reports false after recording an
// error at n.
func (l *loader) markupQuery(kind string, n *yaml.Node, query string) bool {
	var err error
	what, hint := "XPath", "XPath 1.0, for example //code[@id='token'] or count(//li)"
	if kind == "xpath" {
		_, err = xpath.Compile(query)
	} else {
		_, err = cascadia.Compile(query)
		what, hint = "CSS selector", "for example code#token or ul > li.active"
	}
	if err == nil {
		return true
	}
	if strings.Contains(query, "{{") {
		hint = "templates are not expanded in xpath and css queries"
	}
	l.errorAt(n, hint, "invalid %s: %s", what, strings.TrimSuffix(err.Error(), "."))
	return false
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

// extraPredicate validates the literal expected value of the predicates of
// this file. It reports false after recording an error.
func (l *loader) extraPredicate(op Op, n *yaml.Node, templ bool) bool {
	if templ {
		return true
	}
	switch op {
	case OpBetween:
		if n.Kind != yaml.SequenceNode || len(n.Content) != 2 {
			l.errorAt(n, "for example between: [1, 10]", "between needs a list of two numbers, not %s", describe(n))
			return false
		}
		for _, it := range n.Content {
			if !l.number(resolve(it), op, false) {
				return false
			}
		}
	case OpOneOf:
		if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
			l.errorAt(n, "for example one_of: [active, pending]", "one_of needs a list of values, not %s", describe(n))
			return false
		}
	case OpStartsWith, OpEndsWith, OpNotContains:
		if op != OpNotContains && !isString(n) {
			l.errorAt(n, "quote the value", "%s needs a string, not %s", op, describe(n))
			return false
		}
	case OpNotMatches:
		if !isString(n) {
			l.errorAt(n, "quote the pattern", "not_matches needs a regular expression string, not %s", describe(n))
			return false
		}
		if _, err := regexp.Compile(n.Value); err != nil {
			l.errorAt(n, "the syntax is Go's RE2", "invalid regex: %s", regexMessage(err))
			return false
		}
	case OpIsEmpty, OpIsUUID, OpIsISODate, OpIsEmail, OpIsURL:
		_, ok := l.boolean(n, string(op))
		return ok
	}
	return true
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

// extraExprs calls fn for the expressions of the checks of this file.
func (e *Expect) extraExprs(fn func(*Expr)) {
	checks := append([]*Check{e.Duration}, e.Cookies...)
	checks = append(append(checks, e.XPath...), e.CSS...)
	for _, c := range checks {
		if c == nil {
			continue
		}
		for _, p := range c.Predicates {
			p.Expected.Exprs(fn)
		}
	}
	if e.Schema != nil {
		e.Schema.Inline.Exprs(fn)
	}
	for _, a := range e.Asserts {
		fn(a.Expr)
	}
}
