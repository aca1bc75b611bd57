package convert

import (
	"slices"

	"github.com/dop251/goja/ast"
	"gopkg.in/yaml.v3"
)

// link is one word of a chai chain: .to, .not, .equal(1).
type link struct {
	name string
	call bool
	args []ast.Expression
}

// chain splits an assertion into its subject and its words, for
// pm.expect(x).… and pm.response.to.…; false for anything else.
func (s *script) chain(e ast.Expression) (jsVal, []link, bool) {
	var links []link
	for {
		switch x := e.(type) {
		case *ast.CallExpression:
			if name := calleeName(x.Callee); name == "pm.expect" || name == "expect" {
				// A second argument is the failure message.
				if len(x.ArgumentList) != 1 && len(x.ArgumentList) != 2 {
					return jsVal{}, nil, false
				}
				slices.Reverse(links)
				return s.eval(x.ArgumentList[0]), links, true
			}
			dot, ok := x.Callee.(*ast.DotExpression)
			if !ok {
				return jsVal{}, nil, false
			}
			links = append(links, link{name: string(dot.Identifier.Name), call: true, args: x.ArgumentList})
			e = dot.Left
		case *ast.DotExpression:
			if calleeName(x) == "pm.response.to" {
				slices.Reverse(links)
				return jsVal{kind: vResponse}, links, true
			}
			links = append(links, link{name: string(x.Identifier.Name)})
			e = x.Left
		default:
			return jsVal{}, nil, false
		}
	}
}

// chaiWords are the words of a chai chain that only read well.
var chaiWords = map[string]bool{
	"to": true, "be": true, "been": true, "is": true, "that": true, "which": true, "and": true,
	"has": true, "have": true, "with": true, "at": true, "of": true, "same": true, "but": true,
	"does": true, "still": true, "also": true, "deep": true, "own": true, "nested": true, "any": true, "all": true,
}

// chai is the state of a chain being read.
type chai struct {
	s       *script
	subject jsVal
	not     bool
	include bool
	deep    bool
	nested  bool
	checks  []*check
}

// assertion translates a chai assertion into checks; false when any word
// of it has no translation.
func (s *script) assertion(e ast.Expression) ([]*check, bool) {
	subject, links, ok := s.chain(e)
	if !ok || len(links) == 0 {
		return nil, false
	}
	c := &chai{s: s, subject: subject}
	for _, l := range links {
		if !c.word(l) {
			return nil, false
		}
	}
	return c.checks, len(c.checks) > 0
}

// word reads one word of the chain.
func (c *chai) word(l link) bool {
	switch {
	case l.name == "not" && !l.call:
		c.not = !c.not
		return true
	case l.name == "deep" && !l.call:
		c.deep = true
		return true
	case l.name == "nested" && !l.call:
		c.nested = true
		return true
	case (l.name == "include" || l.name == "contain" || l.name == "includes" || l.name == "contains") && !l.call:
		c.include = true
		return true
	case chaiWords[l.name] && !l.call:
		return true
	}
	if c.subject.kind == vResponse {
		return c.response(l)
	}
	return c.value(l)
}

// add records the check "subject op value", negated under not.
func (c *chai) add(op string, value *yaml.Node) bool {
	return c.addOn(c.subject, op, value)
}

func (c *chai) addOn(v jsVal, op string, value *yaml.Node) bool {
	if v.kind == vCheck {
		// pm.expect(a === b).to.be.true and its forms.
		if op != "eq" || value.ShortTag() != "!!bool" {
			return false
		}
		chk := v.chk
		if (value.Value == "false") != c.not {
			var ok bool
			if chk, ok = negate(chk); !ok {
				return false
			}
		}
		c.checks = append(c.checks, chk)
		return true
	}
	chk, ok := makeCheck(v, op, value)
	if !ok {
		return false
	}
	if c.not {
		if chk, ok = negate(chk); !ok {
			return false
		}
	}
	c.checks = append(c.checks, chk)
	return true
}

// statusWords are pm.response.to.be.<word> and the status they check.
var statusWords = map[string]string{
	"ok": "200", "accepted": "202", "badRequest": "400", "unauthorized": "401", "forbidden": "403",
	"notFound": "404", "rateLimited": "429",
	"info": "1xx", "success": "2xx", "redirection": "3xx", "clientError": "4xx", "serverError": "5xx",
}

// response reads a word of pm.response.to.… (or pm.expect(pm.response)).
func (c *chai) response(l link) bool {
	status := jsVal{kind: vStatus}
	if code, ok := statusWords[l.name]; ok && !l.call {
		if code[1] == 'x' {
			if c.not {
				return false
			}
			c.checks = append(c.checks, &check{subject: "status", pred: strNode(code)})
			return true
		}
		return c.addOn(status, "eq", numberNode(code))
	}
	args := c.args(l)
	switch {
	case l.name == "error" && !l.call && !c.not:
		return c.addOn(status, "gte", intNode(400))
	case l.name == "status" && l.call && len(args) == 1 && args[0].ShortTag() == "!!int":
		return c.addOn(status, "eq", args[0])
	case l.name == "header" && l.call && len(args) >= 1 && args[0].ShortTag() == "!!str":
		h := jsVal{kind: vHeader, path: args[0].Value}
		if len(args) == 2 {
			return c.addOn(h, "eq", args[1])
		}
		return c.addOn(h, "exists", boolNode(true))
	case l.name == "body" && l.call && len(args) == 1 && args[0].ShortTag() == "!!str":
		return c.addOn(jsVal{kind: vBody}, "eq", args[0])
	case (l.name == "body" && l.call && len(l.args) == 0) || (l.name == "withBody" && !l.call):
		return c.addOn(jsVal{kind: vBody}, "is_empty", boolNode(false))
	case l.name == "json" && !l.call:
		return c.addOn(jsVal{kind: vHeader, path: "Content-Type"}, "contains", strNode("json"))
	case l.name == "jsonBody" && l.call && len(args) >= 1 && args[0].ShortTag() == "!!str":
		p := jsVal{kind: vJSON, path: args[0].Value}
		if len(args) == 2 {
			return c.addOn(p, "eq", args[1])
		}
		return c.addOn(p, "exists", boolNode(true))
	case l.name == "jsonSchema" && l.call && len(l.args) >= 1 && !c.not:
		return c.schema(l.args[0])
	case l.name == "responseTime" && !l.call:
		c.subject = jsVal{kind: vDuration}
		return true
	}
	return false
}

// schema adds an inline JSON Schema check.
func (c *chai) schema(e ast.Expression) bool {
	n, ok := c.s.literal(e)
	if !ok || n.Kind != yaml.MappingNode {
		return false
	}
	c.checks = append(c.checks, &check{subject: "schema", pred: blockStyle(n)})
	return true
}

// blockStyle writes a literal mapping in block style, its leaves in flow.
func blockStyle(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
		n.Style = 0
		for _, c := range n.Content {
			blockStyle(c)
		}
	}
	return n
}

// args converts the literal arguments of a call; an argument that is not
// a literal (or a template of variables) ends the list.
func (c *chai) args(l link) []*yaml.Node {
	var out []*yaml.Node
	for _, a := range l.args {
		n, ok := c.s.literal(a)
		if !ok {
			if v, ok2 := expected(c.s.eval(a)); ok2 {
				n, ok = v, true
			}
		}
		if !ok {
			break
		}
		out = append(out, n)
	}
	return out
}

// comparisonWords map chai's comparison words to predicates.
var comparisonWords = map[string]string{
	"above": "gt", "gt": "gt", "greaterThan": "gt",
	"least": "gte", "gte": "gte", "greaterThanOrEqual": "gte",
	"below": "lt", "lt": "lt", "lessThan": "lt",
	"most": "lte", "lte": "lte", "lessThanOrEqual": "lte",
}

// value reads a word of pm.expect(value).…
func (c *chai) value(l link) bool {
	l = withoutMessage(l)
	args := c.args(l)
	one := l.call && len(args) == 1 && len(l.args) == 1
	if op, ok := comparisonWords[l.name]; ok && one {
		return c.add(op, args[0])
	}
	switch l.name {
	case "equal", "equals", "eq", "eql", "eqls":
		return one && c.equal(args[0])
	case "within":
		if !l.call || len(args) != 2 || c.not {
			return false
		}
		pair := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Content: args}
		return c.add("between", pair)
	case "oneOf":
		if !one || args[0].Kind != yaml.SequenceNode || c.not {
			return false
		}
		return c.add("one_of", args[0])
	case "include", "contain", "includes", "contains", "string":
		return one && c.contains(args[0])
	case "match", "matches":
		return c.match(l)
	case "property", "ownProperty", "haveOwnProperty":
		return c.property(l, args)
	case "lengthOf", "length":
		return c.length(l, args, one)
	case "keys", "key":
		return c.keys(l, args)
	case "a", "an":
		return c.typeCheck(l, args)
	case "members":
		return one && c.members(args[0])
	}
	if l.call {
		return false
	}
	return c.flag(l.name)
}

// withoutMessage drops a last string argument after the expected value,
// which is the failure message: lengthOf(1, "…"), a("object", "…").
func withoutMessage(l link) link {
	if len(l.args) == 2 && l.name != "within" && l.name != "property" && l.name != "ownProperty" && l.name != "haveOwnProperty" && l.name != "keys" {
		if _, ok := l.args[1].(*ast.StringLiteral); ok {
			l.args = l.args[:1]
		}
	}
	return l
}

// contains is include(x): a subset match of an object under json:, else
// contains.
func (c *chai) contains(x *yaml.Node) bool {
	if x.Kind == yaml.MappingNode {
		if c.not || c.subject.kind != vJSON {
			return false
		}
		return c.add("eq", x) // a subset match under json:
	}
	return c.add("contains", x)
}

// match is match(/re/), with a regular expression Go reads alike.
func (c *chai) match(l link) bool {
	re, ok := l.args[0].(*ast.RegExpLiteral)
	if !l.call || len(l.args) != 1 || !ok {
		return false
	}
	p, ok := goRegexp(re)
	return ok && c.add("matches", strNode(p))
}

// length is lengthOf(n), or .length as the subject of what follows.
func (c *chai) length(l link, args []*yaml.Node, one bool) bool {
	if !l.call {
		c.subject = c.member("#")
		return c.subject.kind != vUnknown
	}
	return one && c.add("length", args[0])
}

// members is include.members([…]): a contains check per member.
func (c *chai) members(list *yaml.Node) bool {
	if !c.include || list.Kind != yaml.SequenceNode || c.not {
		return false
	}
	for _, m := range list.Content {
		if !c.add("contains", m) {
			return false
		}
	}
	return true
}

// equal reads equal/eql: an object with deep equality also checks that
// no other key is there.
func (c *chai) equal(want *yaml.Node) bool {
	if want.Kind == yaml.MappingNode && c.subject.kind == vJSON {
		if len(want.Content) == 0 {
			return c.add("is_empty", boolNode(true))
		}
		if c.not {
			return false
		}
		return c.add("eq", want) && c.add("length", intNode(len(want.Content)/2))
	}
	return c.add("eq", want)
}

// member is the subject's element key (gjson), for JSON subjects.
func (c *chai) member(key string) jsVal {
	if c.subject.kind != vJSON {
		return jsVal{}
	}
	return jsVal{kind: vJSON, path: joinPath(c.subject.path, key)}
}

// property reads have.property(name[, value]); the chain goes on about
// the property.
func (c *chai) property(l link, args []*yaml.Node) bool {
	if !l.call || len(args) == 0 || args[0].ShortTag() != "!!str" || c.subject.kind != vJSON {
		return false
	}
	key := escapePath(args[0].Value)
	if c.nested {
		key = args[0].Value
	}
	p := c.member(key)
	switch len(l.args) {
	case 1:
		if !c.addOn(p, "exists", boolNode(true)) {
			return false
		}
	case 2:
		if len(args) != 2 || !c.addOn(p, "eq", args[1]) {
			return false
		}
	default:
		return false
	}
	c.subject = p
	return true
}

// keys reads have.keys / include.keys / have.all.keys.
func (c *chai) keys(l link, args []*yaml.Node) bool {
	if !l.call || c.subject.kind != vJSON || c.not {
		return false
	}
	if len(args) == 1 && args[0].Kind == yaml.SequenceNode {
		args = args[0].Content
	}
	if len(args) == 0 || len(args) != len(l.args) && len(l.args) != 1 {
		return false
	}
	for _, k := range args {
		if k.ShortTag() != "!!str" || !c.addOn(c.member(escapePath(k.Value)), "exists", boolNode(true)) {
			return false
		}
	}
	if !c.include {
		return c.add("length", intNode(len(args)))
	}
	return true
}

// typeCheck reads a("string"), an("array").
func (c *chai) typeCheck(l link, args []*yaml.Node) bool {
	if !l.call || len(args) != 1 || args[0].ShortTag() != "!!str" {
		return false
	}
	t := jsTypes[args[0].Value]
	switch {
	case t == "":
		return false
	case t == "undefined":
		return c.add("exists", boolNode(false))
	case c.not:
		return false
	}
	return c.add("type", strNode(t))
}

// flag reads the property words: ok, true, false, null, undefined,
// exist, empty.
func (c *chai) flag(name string) bool {
	switch name {
	case "true", "false":
		return c.add("eq", boolNode(name == "true"))
	case "null":
		return c.add("eq", scalar(nil))
	case "undefined":
		return c.add("exists", boolNode(false))
	case "exist", "exists":
		return c.add("exists", boolNode(true))
	case "empty":
		return c.add("is_empty", boolNode(true))
	case "ok":
		if c.subject.kind == vCheck {
			return c.add("eq", boolNode(true))
		}
		if c.not {
			return false
		}
		chk, ok := c.s.truth(c.subject)
		if !ok {
			if _, _, isSubject := subjectOf(c.subject); !isSubject {
				return false
			}
			chk, _ = makeCheck(c.subject, "exists", boolNode(true))
		}
		c.checks = append(c.checks, chk)
		return true
	}
	return false
}
