package collections

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

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

// expect reads a step's expect: block.
func (l *loader) expect(p pair) *Expect {
	e := &Expect{Pos: l.pos(p.keyN)}
	ps, _ := l.pairs(p.value, "expect")
	for _, q := range l.known(ps, "expect", ExpectKeys.Keys) {
		switch q.key {
		case "status":
			e.Status = l.status(q)
		case "headers":
			e.Headers = l.checks(q, subjectHeader)
		case "json":
			e.JSON = l.checks(q, subjectJSON)
		case "body":
			e.Body = l.check(q, "", subjectBody)
		case "cookies":
			e.Cookies = l.checks(q, subjectCookie)
		case "duration":
			e.Duration = l.check(q, "", subjectDuration)
		case "xpath":
			e.XPath = l.checks(q, subjectMarkup)
		case "css":
			e.CSS = l.checks(q, subjectMarkup)
		case "schema":
			e.Schema = l.schema(q)
		case "snapshot":
			e.Snapshot = l.snapshot(q)
		case "assert":
			e.Asserts = l.asserts(q.value)
		}
	}
	return e
}

// checks reads the checks of a mapping of subjects: headers, JSON paths,
// cookies or queries (q.key, "xpath" or "css", says which), each compiled.
func (l *loader) checks(q pair, subj subject) []*Check {
	ps, _ := l.pairs(q.value, "expect "+q.key)
	var out []*Check
	for _, c := range ps {
		switch {
		case subj == subjectJSON && c.key == "":
			l.errorAt(c.keyN, `write a gjson path such as data.id, or "#" for the length of an array`, "empty json path")
			continue
		case subj == subjectMarkup && strings.TrimSpace(c.key) == "":
			l.errorAt(c.keyN, "", "empty %s query", q.key)
			continue
		}
		if subj == subjectJSON {
			l.checkGJSONPath(c.keyN, c.key)
		}
		var query *Query
		if subj == subjectMarkup {
			if query = l.markupQuery(q.key, c.keyN, c.key); query == nil {
				continue
			}
		}
		ch := l.check(c, c.key, subj)
		ch.Query = query
		out = append(out, ch)
	}
	return out
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
	if isString(n) && n.Value != "" && strings.Trim(n.Value, "0123456789") == "" {
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

// schema reads expect.schema: a file path or an inline schema.
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

// snapshot reads expect.snapshot: a file path, or a mapping with the
// file and the paths to ignore.
func (l *loader) snapshot(q pair) *Snapshot {
	n := q.value
	s := &Snapshot{Pos: l.pos(n)}
	switch {
	case isString(n) && n.Value != "":
		s.Path = n.Value
	case n.Kind == yaml.MappingNode:
		ps, _ := l.pairs(n, "snapshot")
		for _, p := range l.known(ps, "snapshot", SnapshotKeys.Keys) {
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

// asserts reads expect.assert: an expression or a list of them.
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
