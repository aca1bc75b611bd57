package convert

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
	"github.com/dop251/goja/token"
	"gopkg.in/yaml.v3"
)

// Postman scripts are JavaScript. The importer parses them with goja's
// parser (a maintained ECMAScript parser, so that multi-line statements,
// comments and nesting read as JavaScript does) and evaluates the
// statements symbolically: a value is known as what it reads from the
// response (a JSON path, the status, a header…), as a literal, or as the
// check a comparison makes. Statements that assert or set something
// become checks and captures; the rest are kept as text.

// valKind says what a JavaScript value is known to be.
type valKind int

const (
	vUnknown  valKind = iota
	vResponse         // pm.response, the subject of pm.response.to.*
	vJSON             // the JSON body, at path
	vStatus           // the status code
	vStatusText
	vDuration // the response time, ms
	vBody     // the body text
	vHeader   // the header named path
	vHeaders  // pm.response.headers
	vCookie   // the cookie named path
	vLiteral  // lit
	vCheck    // the boolean outcome of chk
	vTemplate // a value the collection computes: tmpl, a template
	vSchema   // a JSON Schema literal, lit
	vCond     // a condition the collection can evaluate: tmpl, an expression
	vExpr     // a value of the response only an expression reads: tmpl
)

// jsVal is what the translator knows about a JavaScript value.
type jsVal struct {
	kind valKind
	// text is set on a JSON value turned into text (toString()): it may
	// be captured, but compares unlike the value.
	text bool
	path string
	lit  *yaml.Node
	chk  *check
	tmpl string
}

// check is one translated assertion: a subject of expect: ("status",
// "json", "headers", "body", "duration", "cookies", "schema") with its key
// (the path or header name) and the expected value or predicate set.
type check struct {
	subject string
	key     string
	pred    *yaml.Node
}

// subjectOf returns the expect: subject and key that v reads, if any.
func subjectOf(v jsVal) (subject, key string, ok bool) {
	switch v.kind {
	case vJSON:
		return "json", v.path, true
	case vStatus:
		return "status", "", true
	case vDuration:
		return "duration", "", true
	case vBody:
		return "body", "", true
	case vHeader:
		return "headers", v.path, true
	case vCookie:
		return "cookies", v.path, true
	case vExpr:
		return "expr", v.tmpl, true
	}
	return "", "", false
}

// predicate returns a one-predicate mapping {op: value}.
func predicate(op string, value *yaml.Node) *yaml.Node {
	m := flowMapping()
	add(m, op, value)
	return m
}

// makeCheck builds the check "v op value"; false when v is not a subject.
func makeCheck(v jsVal, op string, value *yaml.Node) (*check, bool) {
	subject, key, ok := subjectOf(v)
	if !ok || v.text {
		return nil, false
	}
	if subject == "json" && key == "" {
		// The whole body: gjson's "@this".
		key = "@this"
	}
	if op == "eq" && value.Kind == yaml.ScalarNode {
		return &check{subject, key, value}, true
	}
	return &check{subject, key, predicate(op, value)}, true
}

// negations maps each predicate to the one that holds when it does not.
var negations = map[string]string{
	"eq": "ne", "ne": "eq", "gt": "lte", "gte": "lt", "lt": "gte", "lte": "gt",
	"contains": "not_contains", "not_contains": "contains", "matches": "not_matches", "not_matches": "matches",
}

// negate returns the check that holds when c does not; false when the
// format has no word for it.
func negate(c *check) (*check, bool) {
	p := c.pred
	if p.Kind == yaml.ScalarNode {
		return &check{c.subject, c.key, predicate("ne", p)}, true
	}
	if p.Kind != yaml.MappingNode || len(p.Content) != 2 {
		return nil, false
	}
	op, val := p.Content[0].Value, p.Content[1]
	switch op {
	case "exists", "is_empty":
		if val.ShortTag() == "!!bool" {
			flip := "true"
			if val.Value == "true" {
				flip = "false"
			}
			return &check{c.subject, c.key, predicate(op, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: flip})}, true
		}
	}
	if n, ok := negations[op]; ok {
		return &check{c.subject, c.key, predicate(n, val)}, true
	}
	return nil, false
}

// boolNode returns a YAML boolean.
func boolNode(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(b)}
}

// intNode returns a YAML integer.
func intNode(n int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(n)}
}

// script is the translation of one Postman script (a test or pre-request
// event) of one request.
type script struct {
	b      *builder
	step   string
	src    string
	listen string
	// scopes binds JavaScript names to what they hold, innermost last.
	scopes []map[string]jsVal
	// guard is set inside an if: whose condition the script does not
	// assert: checks there hold only when the conditions in guards (as
	// expressions) do; unknownGuard is set when one of them has none.
	guard        bool
	guards       []string
	unknownGuard bool
	out          scriptOut
}

// scriptOut is what translating a script gave.
type scriptOut struct {
	checks   []*check
	captures []pmCapture
	sets     []pmSet
	// left are the statements not translated, as written.
	left []string
	// lines counts the statements that assert or set something, and
	// translated those translated; counted is set when they are counted
	// already (a script applied to several requests).
	lines, translated int
	counted           bool
}

// pmCapture is a pm.*.set of a value read from the response.
type pmCapture struct {
	name string
	node *yaml.Node
	// conditional captures keep the variable's value when the source
	// finds nothing.
	conditional bool
}

// pmSet is a pm.*.set of a value the collection can compute: a literal or
// a template.
type pmSet struct {
	name  string
	value *yaml.Node
}

// translateScript translates the JavaScript src of a Postman event.
func (b *builder) translateScript(src, listen, step string) scriptOut {
	s := &script{b: b, step: step, src: src, listen: listen, scopes: []map[string]jsVal{{}}}
	prog, err := parser.ParseFile(nil, "", src, 0)
	if err != nil {
		for _, l := range strings.Split(src, "\n") {
			if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "//") {
				s.out.left = append(s.out.left, t)
				s.out.lines++
			}
		}
		return s.out
	}
	s.block(prog.Body)
	return s.out
}

// text returns the source of node n on one line.
func (s *script) text(n ast.Node) string {
	from, to := int(n.Idx0())-1, int(n.Idx1())-1
	if from < 0 || to > len(s.src) || from >= to {
		return ""
	}
	t := strings.Join(strings.Fields(s.src[from:to]), " ")
	return strings.TrimSuffix(t, ";")
}

// leave records n as a statement not translated.
func (s *script) leave(n ast.Node) {
	s.out.lines++
	s.out.left = append(s.out.left, s.text(n))
}

// done records a statement as translated.
func (s *script) done() {
	s.out.lines++
	s.out.translated++
}

// lookup returns what the name is bound to.
func (s *script) lookup(name string) (jsVal, bool) {
	for i := len(s.scopes) - 1; i >= 0; i-- {
		if v, ok := s.scopes[i][name]; ok {
			return v, true
		}
	}
	return jsVal{}, false
}

// bind binds name in the innermost scope.
func (s *script) bind(name string, v jsVal) { s.scopes[len(s.scopes)-1][name] = v }

// block runs statements in a scope of their own. After an if whose
// branch returns, the statements that follow hold only when its condition
// does not; after a return, nothing runs.
func (s *script) block(list []ast.Statement) {
	s.scopes = append(s.scopes, map[string]jsVal{})
	oldGuard, oldGuards, oldUnknown := s.guard, s.guards, s.unknownGuard
	for _, st := range list {
		if _, ok := st.(*ast.ReturnStatement); ok {
			break
		}
		s.statement(st)
		if ifs, ok := st.(*ast.IfStatement); ok && ifs.Alternate == nil && returns(ifs.Consequent) {
			e := condExpr(s.eval(ifs.Test))
			s.guard = true
			s.guards = append(slices.Clone(s.guards), notExpr(e))
			s.unknownGuard = s.unknownGuard || e == ""
		}
	}
	s.guard, s.guards, s.unknownGuard = oldGuard, oldGuards, oldUnknown
	s.scopes = s.scopes[:len(s.scopes)-1]
}

// returns reports whether a statement ends in a return.
func returns(st ast.Statement) bool {
	switch x := st.(type) {
	case *ast.ReturnStatement:
		return true
	case *ast.BlockStatement:
		return len(x.List) > 0 && returns(x.List[len(x.List)-1])
	}
	return false
}

// statement translates one statement.
func (s *script) statement(st ast.Statement) {
	switch x := st.(type) {
	case *ast.EmptyStatement, *ast.ReturnStatement:
	case *ast.BlockStatement:
		s.block(x.List)
	case *ast.VariableStatement:
		s.bindings(x.List, st)
	case *ast.LexicalDeclaration:
		s.bindings(x.List, st)
	case *ast.ExpressionStatement:
		s.expressionStatement(x.Expression, st)
	case *ast.IfStatement:
		s.ifStatement(x)
	case *ast.TryStatement:
		s.statement(x.Body)
		if x.Finally != nil {
			s.statement(x.Finally)
		}
	default:
		s.leave(st)
	}
}

// bindings binds declared names to what their initialisers read.
func (s *script) bindings(list []*ast.Binding, st ast.Statement) {
	for _, bd := range list {
		id, ok := bd.Target.(*ast.Identifier)
		if !ok {
			s.leave(st)
			return
		}
		var v jsVal
		if bd.Initializer != nil {
			v = s.eval(bd.Initializer)
		}
		s.bind(string(id.Name), v)
	}
}

// expressionStatement translates a statement made of one expression: a
// pm.test, an assertion, a variable set, a tests[…] assignment.
func (s *script) expressionStatement(e ast.Expression, st ast.Statement) {
	switch x := e.(type) {
	case *ast.CallExpression:
		name := calleeName(x.Callee)
		switch {
		case name == "client.assert" && len(x.ArgumentList) >= 1:
			if c, ok := s.truth(s.eval(x.ArgumentList[0])); ok {
				s.addChecks([]*check{c}, st)
				return
			}
		case (name == "pm.test" || name == "test") && len(x.ArgumentList) == 1:
			return // a test without a function checks nothing
		case name == "pm.test" || name == "test" || name == "client.test":
			if len(x.ArgumentList) >= 2 {
				if body, ok := functionBody(x.ArgumentList[len(x.ArgumentList)-1]); ok {
					s.block(body)
					return
				}
			}
		case strings.HasPrefix(name, "console.") || name == "client.log":
			return // writes to Postman's console, checks nothing
		case setterName(name) != "":
			s.set(x, st)
			return
		}
	case *ast.AssignExpression:
		if s.testsAssign(x) {
			return
		}
		if id, ok := x.Left.(*ast.Identifier); ok && x.Operator == token.ASSIGN {
			s.bind(string(id.Name), s.eval(x.Right))
			return
		}
	case *ast.SequenceExpression:
		for _, e := range x.Sequence {
			s.expressionStatement(e, &ast.ExpressionStatement{Expression: e})
		}
		return
	}
	if cs, ok := s.assertion(e); ok {
		s.addChecks(cs, st)
		return
	}
	s.leave(st)
}

// addChecks records the checks of a statement, unless the statement runs
// only under a condition: then it is left as written.
func (s *script) addChecks(cs []*check, st ast.Statement) {
	if !s.guard {
		s.out.checks = append(s.out.checks, cs...)
		s.done()
		return
	}
	if s.unknownGuard {
		s.leave(st)
		return
	}
	var out []*check
	for _, c := range cs {
		e := checkExpr(c)
		if e == "" {
			s.leave(st)
			return
		}
		out = append(out, &check{subject: "assert", pred: str(notExpr(strings.Join(s.guards, " && ")) + " || " + e)})
	}
	s.out.checks = append(s.out.checks, out...)
	s.done()
}

// testsAssign translates the legacy tests["name"] = condition.
func (s *script) testsAssign(x *ast.AssignExpression) bool {
	br, ok := x.Left.(*ast.BracketExpression)
	if !ok || calleeName(br.Left) != "tests" || x.Operator != token.ASSIGN {
		return false
	}
	st := &ast.ExpressionStatement{Expression: x}
	v := s.eval(x.Right)
	c, ok := s.truth(v)
	if !ok {
		s.leave(st)
		return true
	}
	if key, ok := br.Member.(*ast.StringLiteral); ok {
		// tests["name"] read back later is the same check.
		s.bind("tests["+string(key.Value)+"]", jsVal{kind: vCheck, chk: c})
	}
	s.addChecks([]*check{c}, st)
	return true
}

// truth returns the check that a value used as a condition makes: a
// comparison's check, or "is truthy" for a value read from the response.
func (s *script) truth(v jsVal) (*check, bool) {
	switch v.kind {
	case vCheck:
		return v.chk, true
	case vHeader, vCookie:
		c, _ := makeCheck(v, "exists", boolNode(true))
		return c, true
	case vJSON:
		return truthy(v), true
	}
	return nil, false
}

// truthy is the check that a JSON value is truthy in JavaScript: present,
// and not null, false, 0 or "".
func truthy(v jsVal) *check {
	list := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
	list.Content = append(list.Content,
		predicate("exists", boolNode(true)),
		predicate("ne", scalar(nil)),
		predicate("ne", boolNode(false)),
		predicate("ne", intNode(0)),
		predicate("ne", strNode("")))
	c, _ := makeCheck(v, "eq", list)
	c.pred = list
	return c
}

// strNode returns a string scalar, quoted as YAML needs.
func strNode(s string) *yaml.Node { return str(s) }

// ifStatement translates an if: its condition guards what it holds,
// unless the condition is a check the script asserts anyway (the step
// fails when it does not hold, as the script's test does).
func (s *script) ifStatement(x *ast.IfStatement) {
	cond := s.eval(x.Test)
	asserted := cond.kind == vCheck && s.asserted(cond.chk)
	e := condExpr(cond)
	oldGuard, oldGuards, oldUnknown := s.guard, s.guards, s.unknownGuard
	restore := func() { s.guard, s.guards, s.unknownGuard = oldGuard, oldGuards, oldUnknown }
	if !asserted {
		s.guard = true
		s.guards = append(slices.Clone(oldGuards), e)
		s.unknownGuard = oldUnknown || e == ""
	}
	s.statement(x.Consequent)
	restore()
	if x.Alternate != nil {
		s.guard = true
		s.guards = append(slices.Clone(oldGuards), notExpr(e))
		s.unknownGuard = oldUnknown || e == ""
		s.statement(x.Alternate)
		restore()
	}
}

// asserted reports whether the script already asserts c.
func (s *script) asserted(c *check) bool {
	for _, have := range s.out.checks {
		if have.subject == c.subject && have.key == c.key && sameNode(have.pred, c.pred) {
			return true
		}
	}
	return false
}

// sameNode reports whether two YAML nodes write the same.
func sameNode(a, b *yaml.Node) bool {
	x, err1 := yaml.Marshal(a)
	y, err2 := yaml.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

// calleeName returns a dotted name (pm.environment.set) for a chain of
// identifiers, or "".
func calleeName(e ast.Expression) string {
	switch x := e.(type) {
	case *ast.Identifier:
		return string(x.Name)
	case *ast.DotExpression:
		if l := calleeName(x.Left); l != "" {
			return l + "." + string(x.Identifier.Name)
		}
	}
	return ""
}

// functionBody returns the statements of a function or arrow function
// literal.
func functionBody(e ast.Expression) ([]ast.Statement, bool) {
	switch f := e.(type) {
	case *ast.FunctionLiteral:
		return f.Body.List, true
	case *ast.ArrowFunctionLiteral:
		switch body := f.Body.(type) {
		case *ast.BlockStatement:
			return body.List, true
		case *ast.ExpressionBody:
			return []ast.Statement{&ast.ExpressionStatement{Expression: body.Expression}}, true
		}
	}
	return nil, false
}

// set translates pm.environment.set(name, value) and its kin: a value read
// from the response becomes a capture (kept when it finds nothing, under a
// condition); a literal or computed value a variable.
func (s *script) set(x *ast.CallExpression, st ast.Statement) {
	if len(x.ArgumentList) != 2 {
		s.leave(st)
		return
	}
	key, ok := x.ArgumentList[0].(*ast.StringLiteral)
	if !ok {
		s.leave(st)
		return
	}
	name := varName(string(key.Value))
	v := s.eval(x.ArgumentList[1])
	if node, ok := captureNode(v); ok {
		s.out.captures = append(s.out.captures, pmCapture{name: name, node: node, conditional: s.guard})
		s.done()
		return
	}
	if s.guard {
		s.leave(st)
		return
	}
	switch v.kind {
	case vLiteral:
		s.out.sets = append(s.out.sets, pmSet{name, v.lit})
	case vTemplate:
		s.out.sets = append(s.out.sets, pmSet{name, str("{{ " + v.tmpl + " }}")})
	default:
		s.leave(st)
		return
	}
	s.done()
}

// captureNode returns the capture source of a value read from the
// response.
func captureNode(v jsVal) (*yaml.Node, bool) {
	src := func(key string, value *yaml.Node) *yaml.Node {
		m := flowMapping()
		add(m, key, value)
		return m
	}
	switch v.kind {
	case vJSON:
		if v.path == "" {
			return src("body", boolNode(true)), true
		}
		return str(v.path), true
	case vHeader:
		return src("header", str(v.path)), true
	case vStatus:
		return src("status", boolNode(true)), true
	case vBody:
		return src("body", boolNode(true)), true
	case vCookie:
		return src("cookie", str(v.path)), true
	case vDuration:
		return src("duration", boolNode(true)), true
	}
	return nil, false
}
