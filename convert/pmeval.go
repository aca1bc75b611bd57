package convert

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/callsheet/callsheet/internal/lazyregexp"
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"
	"gopkg.in/yaml.v3"
)

// namedValues are the dotted names of the Postman sandbox that read the
// response, in the pm API and in the legacy one.
var namedValues = map[string]valKind{
	"pm.response":              vResponse,
	"pm.response.code":         vStatus,
	"responseCode.code":        vStatus,
	"pm.response.status":       vStatusText,
	"responseCode.name":        vStatusText,
	"pm.response.responseTime": vDuration,
	"responseTime":             vDuration,
	"responseBody":             vBody,
	"pm.response.headers":      vHeaders,
	"responseHeaders":          vHeaders,
	// The JetBrains HTTP Client's response handlers.
	"response.body":   vJSON,
	"response.status": vStatus,
	// Bruno's scripts, tests and assertions.
	"res.status":       vStatus,
	"res.body":         vJSON,
	"res.headers":      vHeaders,
	"res.responseTime": vDuration,
}

// namedCalls are calls without arguments that read the response.
var namedCalls = map[string]valKind{
	"pm.response.json": vJSON, "pm.response.text": vBody,
	"res.getStatus": vStatus, "res.getBody": vJSON, "res.getResponseTime": vDuration, "res.getHeaders": vHeaders,
}

// getters read a variable; their one argument is its name.
var getters = map[string]bool{
	"pm.environment.get": true, "pm.variables.get": true, "pm.collectionVariables.get": true,
	"pm.globals.get": true, "pm.iterationData.get": true,
	"postman.getEnvironmentVariable": true, "postman.getGlobalVariable": true,
	"client.global.get": true, "bru.getVar": true, "bru.getEnvVar": true,
}

// setterName returns "set" for the calls that set a variable, else "".
func setterName(name string) string {
	switch name {
	case "pm.environment.set", "pm.collectionVariables.set", "pm.globals.set", "pm.variables.set",
		"postman.setEnvironmentVariable", "postman.setGlobalVariable", "client.global.set",
		"bru.setVar", "bru.setEnvVar":
		return "set"
	}
	return ""
}

// eval returns what an expression is known to hold.
func (s *script) eval(e ast.Expression) jsVal {
	if name := calleeName(e); name != "" {
		if v, ok := s.lookup(name); ok {
			return v
		}
		// A name the script binds hides the sandbox's of the same root
		// (a variable named response or res).
		root, _, _ := strings.Cut(name, ".")
		_, bound := s.lookup(root)
		if k, ok := namedValues[name]; ok && !bound {
			return jsVal{kind: k}
		}
		if !bound {
			for _, prefix := range []string{"environment.", "globals.", "data."} {
				if rest, ok := strings.CutPrefix(name, prefix); ok && !strings.Contains(rest, ".") {
					return s.varRef(rest)
				}
			}
		}
	}
	switch x := e.(type) {
	case *ast.CallExpression:
		return s.call(x)
	case *ast.DotExpression:
		return s.member(s.eval(x.Left), string(x.Identifier.Name), false)
	case *ast.BracketExpression:
		switch m := x.Member.(type) {
		case *ast.StringLiteral:
			if key, ok := x.Left.(*ast.Identifier); ok && key.Name == "tests" {
				v, _ := s.lookup("tests[" + string(m.Value) + "]")
				return v
			}
			return s.member(s.eval(x.Left), string(m.Value), false)
		case *ast.NumberLiteral:
			return s.member(s.eval(x.Left), m.Literal, true)
		}
	case *ast.BinaryExpression:
		return s.binary(x)
	case *ast.UnaryExpression:
		return s.unary(x)
	case *ast.TemplateLiteral:
		return s.templateLiteral(x)
	case *ast.NewExpression:
		if calleeName(x.Callee) == "Date" && len(x.ArgumentList) == 0 {
			return jsVal{kind: vTemplate, tmpl: "now()"}
		}
	}
	if n, ok := s.literal(e); ok {
		return jsVal{kind: vLiteral, lit: n}
	}
	return jsVal{}
}

// varRef is the value of the collection variable name.
func (s *script) varRef(name string) jsVal {
	v := varName(name)
	s.b.use(v)
	return jsVal{kind: vTemplate, tmpl: v}
}

// member reads key (an index when index is set) of v.
func (s *script) member(v jsVal, key string, index bool) jsVal {
	switch v.kind {
	case vHeaders:
		return jsVal{kind: vHeader, path: key}
	case vExpr:
		switch {
		case key == "length" && !index:
			return jsVal{kind: vExpr, tmpl: "len(" + v.tmpl + ")"}
		case index:
			return jsVal{kind: vExpr, tmpl: v.tmpl + "[" + key + "]"}
		case isIdent(key):
			return jsVal{kind: vExpr, tmpl: v.tmpl + "?." + key}
		}
		return jsVal{kind: vExpr, tmpl: v.tmpl + "?.[" + strconv.Quote(key) + "]"}
	case vJSON:
		if key == "length" && !index {
			if strings.HasSuffix(v.path, ")#") {
				return jsVal{kind: vJSON, path: v.path + "|#"}
			}
			return jsVal{kind: vJSON, path: joinPath(v.path, "#")}
		}
		if !index {
			key = escapePath(key)
		}
		return jsVal{kind: vJSON, path: joinPath(v.path, key)}
	case vTemplate:
		if key == "length" {
			return jsVal{kind: vTemplate, tmpl: "len(" + v.tmpl + ")"}
		}
		if index {
			return jsVal{kind: vTemplate, tmpl: v.tmpl + "[" + key + "]"}
		}
		if isIdent(key) {
			return jsVal{kind: vTemplate, tmpl: v.tmpl + "." + key}
		}
	}
	return jsVal{}
}

// joinPath appends a gjson path element.
func joinPath(path, elem string) string {
	if path == "" {
		return elem
	}
	return path + "." + elem
}

// escapePath escapes the characters gjson reads as syntax in a key.
func escapePath(key string) string {
	var b strings.Builder
	for _, r := range key {
		if strings.ContainsRune(`.*?#@|\!=<>%`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

var identRE = lazyregexp.New(`^[A-Za-z_][A-Za-z0-9_]*$`)

func isIdent(s string) bool { return identRE.MatchString(s) }

// call evaluates a function call.
func (s *script) call(x *ast.CallExpression) jsVal {
	name := calleeName(x.Callee)
	root, _, _ := strings.Cut(name, ".")
	if _, bound := s.lookup(root); bound {
		return s.method(x)
	}
	if k, ok := namedCalls[name]; ok && len(x.ArgumentList) == 0 {
		return jsVal{kind: k}
	}
	if name == "JSON.parse" && len(x.ArgumentList) == 1 && s.eval(x.ArgumentList[0]).kind == vBody {
		return jsVal{kind: vJSON}
	}
	if v, ok := s.namedArgCall(name, x); ok {
		return v
	}
	if v, ok := s.valueCall(name, x); ok {
		return v
	}
	return s.method(x)
}

// stringArg is the i-th argument of x when it is a string literal.
func stringArg(x *ast.CallExpression, i int) (string, bool) {
	if i < len(x.ArgumentList) {
		if sl, ok := x.ArgumentList[i].(*ast.StringLiteral); ok {
			return string(sl.Value), true
		}
	}
	return "", false
}

// namedArgCall reads the calls that name a header, a cookie or a variable
// in a string: pm.response.headers.get("X"), pm.environment.get("x").
func (s *script) namedArgCall(name string, x *ast.CallExpression) (jsVal, bool) {
	v, ok := stringArg(x, 0)
	if !ok {
		return jsVal{}, false
	}
	switch {
	case name == "pm.response.headers.get" || name == "postman.getResponseHeader" || name == "response.headers.valueOf" || name == "res.getHeader":
		return jsVal{kind: vHeader, path: v}, true
	case name == "pm.response.headers.has":
		c, _ := makeCheck(jsVal{kind: vHeader, path: v}, "exists", boolNode(true))
		return jsVal{kind: vCheck, chk: c}, true
	case name == "pm.cookies.get":
		return jsVal{kind: vCookie, path: v}, true
	case name == "pm.cookies.has":
		chk, _ := makeCheck(jsVal{kind: vCookie, path: v}, "exists", boolNode(true))
		return jsVal{kind: vCheck, chk: chk}, true
	case name == "bru.getProcessEnv":
		return jsVal{kind: vTemplate, tmpl: "env." + v}, true
	case getters[name]:
		return s.varRef(v), true
	case name == "pm.variables.replaceIn":
		return jsVal{kind: vTemplate, tmpl: templateExpr(s.b.template(v, s.step))}, true
	}
	return jsVal{}, false
}

// valueCall reads the calls of JavaScript's library that have a template
// function or a check: Date.now(), parseInt(x), Array.isArray(x)….
func (s *script) valueCall(name string, x *ast.CallExpression) (jsVal, bool) {
	switch {
	case name == "Date.now":
		return jsVal{kind: vTemplate, tmpl: "now().UnixMilli()"}, true
	case name == "Array.isArray" || name == "Number.isInteger":
		if len(x.ArgumentList) == 1 {
			t := map[string]string{"Array.isArray": "array", "Number.isInteger": "integer"}[name]
			if c, ok := makeCheck(s.eval(x.ArgumentList[0]), "type", strNode(t)); ok {
				return jsVal{kind: vCheck, chk: c}, true
			}
		}
	case name == "String" && len(x.ArgumentList) == 1:
		return s.eval(x.ArgumentList[0]), true
	case (name == "parseInt" || name == "Number" || name == "parseFloat") && len(x.ArgumentList) >= 1:
		if v := s.eval(x.ArgumentList[0]); v.kind == vTemplate {
			fn := map[string]string{"parseInt": "int", "Number": "float", "parseFloat": "float"}[name]
			return jsVal{kind: vTemplate, tmpl: fn + "(" + v.tmpl + ")"}, true
		}
	case name == "uuid.v4" || name == "crypto.randomUUID":
		return jsVal{kind: vTemplate, tmpl: "uuid()"}, true
	case name == "_.random" && len(x.ArgumentList) == 2:
		lo, ok1 := s.literal(x.ArgumentList[0])
		hi, ok2 := s.literal(x.ArgumentList[1])
		if ok1 && ok2 && lo.ShortTag() == "!!int" && hi.ShortTag() == "!!int" {
			return jsVal{kind: vTemplate, tmpl: "random_int(" + lo.Value + ", " + hi.Value + ")"}, true
		}
	}
	return jsVal{}, false
}

// method evaluates a call of a method of a value: hasOwnProperty,
// includes, has, test, toString and the Date and Math forms.
func (s *script) method(x *ast.CallExpression) jsVal {
	dot, ok := x.Callee.(*ast.DotExpression)
	if !ok {
		return jsVal{}
	}
	m := string(dot.Identifier.Name)
	var lit *yaml.Node
	if len(x.ArgumentList) == 1 {
		lit, _ = s.literal(x.ArgumentList[0])
	}
	if re, ok := dot.Left.(*ast.RegExpLiteral); ok && m == "test" && len(x.ArgumentList) == 1 {
		return s.regexpTest(re, x.ArgumentList[0])
	}
	if calleeName(dot.Left) == "Math.random" {
		return jsVal{}
	}
	recv := s.eval(dot.Left)
	switch m {
	case "hasOwnProperty":
		return hasOwnProperty(recv, lit)
	case "pop", "shift":
		if recv.kind == vJSON && len(x.ArgumentList) == 0 {
			if m == "pop" {
				return jsVal{kind: vJSON, path: joinPath(recv.path, "@reverse.0")}
			}
			return jsVal{kind: vJSON, path: joinPath(recv.path, "0")}
		}
	case "find", "filter":
		if recv.kind == vJSON && len(x.ArgumentList) == 1 {
			return s.findFilter(m, recv, x.ArgumentList[0])
		}
	case "includes", "has":
		if lit != nil {
			if c, ok := makeCheck(recv, "contains", lit); ok {
				return jsVal{kind: vCheck, chk: c}
			}
		}
	default:
		return stringMethod(m, recv)
	}
	return jsVal{}
}

// regexpTest is /re/.test(arg): a matches check.
func (s *script) regexpTest(re *ast.RegExpLiteral, arg ast.Expression) jsVal {
	if pattern, ok := goRegexp(re); ok {
		if c, ok := makeCheck(s.eval(arg), "matches", strNode(pattern)); ok {
			return jsVal{kind: vCheck, chk: c}
		}
	}
	return jsVal{}
}

// hasOwnProperty is recv.hasOwnProperty(lit) of the headers or a JSON
// value: an exists check.
func hasOwnProperty(recv jsVal, lit *yaml.Node) jsVal {
	if lit == nil || lit.ShortTag() != "!!str" {
		return jsVal{}
	}
	switch recv.kind {
	case vHeaders:
		c, _ := makeCheck(jsVal{kind: vHeader, path: lit.Value}, "exists", boolNode(true))
		return jsVal{kind: vCheck, chk: c}
	case vJSON:
		c, _ := makeCheck(jsVal{kind: vJSON, path: joinPath(recv.path, escapePath(lit.Value))}, "exists", boolNode(true))
		return jsVal{kind: vCheck, chk: c}
	}
	return jsVal{}
}

// findFilter is recv.find(fn) or recv.filter(fn) (m): a JSON path query
// when fn's predicate is one, else an expression.
func (s *script) findFilter(m string, recv jsVal, fn ast.Expression) jsVal {
	q, e, ok := s.queryOf(fn)
	switch {
	case !ok:
		return jsVal{}
	case e != "":
		return jsVal{kind: vExpr, tmpl: m + "(" + pathExpr(recv.path) + ", " + e + ")"}
	case m == "filter":
		return jsVal{kind: vJSON, path: joinPath(recv.path, "#("+q+")#")}
	}
	return jsVal{kind: vJSON, path: joinPath(recv.path, "#("+q+")")}
}

// stringMethod reads the methods of strings and dates that have a
// template function: toLowerCase(), toISOString()….
func stringMethod(m string, recv jsVal) jsVal {
	switch m {
	case "toString", "toLowerCase", "toUpperCase", "trim":
		if recv.kind == vTemplate {
			fn := map[string]string{"toString": "string", "toLowerCase": "lower", "toUpperCase": "upper", "trim": "trim"}[m]
			return jsVal{kind: vTemplate, tmpl: fn + "(" + recv.tmpl + ")"}
		}
		if m == "toString" && recv.kind == vJSON {
			recv.text = true
			return recv
		}
	case "toISOString":
		if recv.kind == vTemplate && recv.tmpl == "now()" {
			return jsVal{kind: vTemplate, tmpl: `now() | format("2006-01-02T15:04:05.000Z07:00")`}
		}
	case "getTime", "valueOf":
		if recv.kind == vTemplate && recv.tmpl == "now()" {
			return jsVal{kind: vTemplate, tmpl: "now().UnixMilli()"}
		}
	}
	return jsVal{}
}

// comparisons maps JavaScript comparison operators to predicates, with
// the predicate that holds when the operands are swapped.
var comparisons = map[token.Token][2]string{
	token.STRICT_EQUAL: {"eq", "eq"}, token.EQUAL: {"eq", "eq"},
	token.STRICT_NOT_EQUAL: {"ne", "ne"}, token.NOT_EQUAL: {"ne", "ne"},
	token.LESS: {"lt", "gt"}, token.LESS_OR_EQUAL: {"lte", "gte"},
	token.GREATER: {"gt", "lt"}, token.GREATER_OR_EQUAL: {"gte", "lte"},
}

// binary evaluates comparisons into checks; a || b falls back to a.
func (s *script) binary(x *ast.BinaryExpression) jsVal {
	switch x.Operator {
	case token.LOGICAL_OR:
		if l := s.eval(x.Left); l.kind == vJSON {
			return l // responseJSON.user || {}
		}
		return jsVal{}
	case token.PLUS:
		return s.concat(x)
	case token.IN:
		if key, ok := x.Left.(*ast.StringLiteral); ok {
			if r := s.eval(x.Right); r.kind == vJSON {
				c, _ := makeCheck(jsVal{kind: vJSON, path: joinPath(r.path, escapePath(string(key.Value)))}, "exists", boolNode(true))
				return jsVal{kind: vCheck, chk: c}
			}
		}
		return jsVal{}
	}
	ops, ok := comparisons[x.Operator]
	if !ok {
		return jsVal{}
	}
	if v, ok := s.typeofCheck(x, ops[0]); ok {
		return v
	}
	if v, ok := s.indexOfCheck(x); ok {
		return v
	}
	if v, ok := s.undefinedCheck(x); ok {
		return v
	}
	l, r := s.eval(x.Left), s.eval(x.Right)
	if _, _, ok := subjectOf(l); !ok {
		l, r, ops[0] = r, l, ops[1]
	}
	want, ok := expected(r)
	if !ok {
		return jsVal{}
	}
	if c, ok := makeCheck(l, ops[0], want); ok {
		return jsVal{kind: vCheck, chk: c}
	}
	return jsVal{}
}

// expected returns the expected value a check compares with: a literal,
// or a template of collection variables.
func expected(v jsVal) (*yaml.Node, bool) {
	switch v.kind {
	case vLiteral:
		return v.lit, true
	case vTemplate:
		return str("{{ " + v.tmpl + " }}"), true
	}
	return nil, false
}

// typeofCheck reads typeof x === "type".
func (s *script) typeofCheck(x *ast.BinaryExpression, op string) (jsVal, bool) {
	u, ok := x.Left.(*ast.UnaryExpression)
	lit, ok2 := x.Right.(*ast.StringLiteral)
	if !ok || !ok2 || u.Operator != token.TYPEOF || (op != "eq" && op != "ne") {
		return jsVal{}, false
	}
	t := jsTypes[string(lit.Value)]
	v := s.eval(u.Operand)
	if t == "" || op == "ne" && t != "undefined" {
		return jsVal{}, true
	}
	var c *check
	if t == "undefined" {
		c, ok = makeCheck(v, "exists", boolNode(op == "ne"))
	} else {
		c, ok = makeCheck(v, "type", strNode(t))
	}
	if !ok {
		return jsVal{}, true
	}
	return jsVal{kind: vCheck, chk: c}, true
}

// jsTypes maps JavaScript and chai type names to the format's.
var jsTypes = map[string]string{
	"string": "string", "number": "number", "boolean": "boolean", "array": "array",
	"object": "object", "null": "null", "undefined": "undefined",
}

// indexOfCheck reads x.indexOf(s) !== -1, > -1 and >= 0 (contains) and
// === -1, < 0 (does not contain).
func (s *script) indexOfCheck(x *ast.BinaryExpression) (jsVal, bool) {
	call, ok := x.Left.(*ast.CallExpression)
	if !ok {
		return jsVal{}, false
	}
	dot, ok := call.Callee.(*ast.DotExpression)
	if !ok || dot.Identifier.Name != "indexOf" || len(call.ArgumentList) != 1 {
		return jsVal{}, false
	}
	n, ok := s.literal(x.Right)
	lit, ok2 := s.literal(call.ArgumentList[0])
	if !ok || !ok2 {
		return jsVal{}, true
	}
	var op string
	switch {
	case (x.Operator == token.STRICT_NOT_EQUAL || x.Operator == token.NOT_EQUAL) && n.Value == "-1",
		x.Operator == token.GREATER && n.Value == "-1", x.Operator == token.GREATER_OR_EQUAL && n.Value == "0":
		op = "contains"
	case (x.Operator == token.STRICT_EQUAL || x.Operator == token.EQUAL) && n.Value == "-1", x.Operator == token.LESS && n.Value == "0":
		op = "not_contains"
	default:
		return jsVal{}, true
	}
	if c, ok := makeCheck(s.eval(dot.Left), op, lit); ok {
		return jsVal{kind: vCheck, chk: c}, true
	}
	return jsVal{}, true
}

// unary evaluates !check (its negation) and !!value (its truth).
func (s *script) unary(x *ast.UnaryExpression) jsVal {
	if x.Operator != token.NOT {
		if x.Operator == token.MINUS {
			if n, ok := x.Operand.(*ast.NumberLiteral); ok {
				return jsVal{kind: vLiteral, lit: numberNode("-" + n.Literal)}
			}
		}
		return jsVal{}
	}
	v := s.eval(x.Operand)
	if inner, ok := x.Operand.(*ast.UnaryExpression); ok && inner.Operator == token.NOT {
		if c, ok := s.truth(s.eval(inner.Operand)); ok {
			return jsVal{kind: vCheck, chk: c}
		}
		return jsVal{}
	}
	if v.kind == vCheck {
		if c, ok := negate(v.chk); ok {
			return jsVal{kind: vCheck, chk: c}
		}
	}
	if e := condExpr(v); e != "" {
		return jsVal{kind: vCond, tmpl: notExpr(e)}
	}
	return jsVal{}
}

// concat evaluates a + b over templates and literals as a template.
func (s *script) concat(x *ast.BinaryExpression) jsVal {
	l, r := s.exprOf(s.eval(x.Left)), s.exprOf(s.eval(x.Right))
	if l == "" || r == "" {
		return jsVal{}
	}
	return jsVal{kind: vTemplate, tmpl: l + " + " + r}
}

// exprOf writes a template or literal value as an expr-lang expression,
// or "" when it is neither.
func (s *script) exprOf(v jsVal) string {
	switch v.kind {
	case vTemplate:
		if strings.Contains(v.tmpl, " ") && !strings.HasSuffix(v.tmpl, ")") {
			return "(" + v.tmpl + ")"
		}
		return v.tmpl
	case vLiteral:
		if v.lit.Kind != yaml.ScalarNode {
			return ""
		}
		if v.lit.ShortTag() == "!!str" {
			return strconv.Quote(v.lit.Value)
		}
		return v.lit.Value
	}
	return ""
}

// templateLiteral evaluates `text ${expr}` as a template.
func (s *script) templateLiteral(x *ast.TemplateLiteral) jsVal {
	if x.Tag != nil {
		return jsVal{}
	}
	var parts []string
	for i, el := range x.Elements {
		if t := string(el.Parsed); t != "" {
			parts = append(parts, strconv.Quote(t))
		}
		if i < len(x.Expressions) {
			e := s.exprOf(s.eval(x.Expressions[i]))
			if e == "" {
				return jsVal{}
			}
			parts = append(parts, "string("+e+")")
		}
	}
	if len(parts) == 0 {
		return jsVal{kind: vLiteral, lit: strNode("")}
	}
	return jsVal{kind: vTemplate, tmpl: strings.Join(parts, " + ")}
}

// templateExpr turns a converted template string ("a {{ x }}") into one
// expression.
func templateExpr(t string) string {
	var parts []string
	rest := t
	for rest != "" {
		i := strings.Index(rest, "{{")
		if i < 0 {
			parts = append(parts, strconv.Quote(rest))
			break
		}
		if i > 0 {
			parts = append(parts, strconv.Quote(rest[:i]))
		}
		j := strings.Index(rest[i:], "}}")
		if j < 0 {
			parts = append(parts, strconv.Quote(rest[i:]))
			break
		}
		parts = append(parts, "string("+strings.TrimSpace(rest[i+2:i+j])+")")
		rest = rest[i+j+2:]
	}
	if len(parts) == 1 && strings.HasPrefix(parts[0], "string(") {
		return strings.TrimSuffix(strings.TrimPrefix(parts[0], "string("), ")")
	}
	return strings.Join(parts, " + ")
}

// numberNode returns a number scalar with its text.
func numberNode(text string) *yaml.Node {
	tag := "!!int"
	if strings.ContainsAny(text, ".eE") {
		tag = "!!float"
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: text}
}

// literal converts a JavaScript literal (string, number, boolean, null,
// array or object of literals) into a YAML node; templates in strings
// become callsheet templates.
func (s *script) literal(e ast.Expression) (*yaml.Node, bool) {
	switch x := e.(type) {
	case *ast.StringLiteral:
		return strNode(s.b.template(string(x.Value), s.step)), true
	case *ast.NumberLiteral:
		if _, err := strconv.ParseFloat(x.Literal, 64); err != nil {
			return nil, false
		}
		return numberNode(x.Literal), true
	case *ast.BooleanLiteral:
		return boolNode(x.Value), true
	case *ast.NullLiteral:
		return scalar(nil), true
	case *ast.UnaryExpression:
		if n, ok := x.Operand.(*ast.NumberLiteral); ok && x.Operator == token.MINUS {
			return numberNode("-" + n.Literal), true
		}
	case *ast.ArrayLiteral:
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
		for _, it := range x.Value {
			n, ok := s.literal(it)
			if !ok {
				return nil, false
			}
			seq.Content = append(seq.Content, n)
		}
		return seq, true
	case *ast.ObjectLiteral:
		m := flowMapping()
		for _, p := range x.Value {
			kp, ok := p.(*ast.PropertyKeyed)
			if !ok || kp.Computed {
				return nil, false
			}
			var key string
			switch k := kp.Key.(type) {
			case *ast.StringLiteral:
				key = string(k.Value)
			case *ast.Identifier:
				key = string(k.Name)
			default:
				return nil, false
			}
			v, ok := s.literal(kp.Value)
			if !ok {
				return nil, false
			}
			add(m, key, v)
		}
		return m, true
	case *ast.Identifier:
		if x.Name == "undefined" {
			return nil, false
		}
		if v, ok := s.lookup(string(x.Name)); ok && (v.kind == vLiteral || v.kind == vSchema) {
			return v.lit, true
		}
	}
	return nil, false
}

// goRegexp converts a JavaScript regular expression literal to RE2
// syntax; false when RE2 cannot read it or a flag has no equivalent.
func goRegexp(re *ast.RegExpLiteral) (string, bool) {
	prefix := ""
	for _, f := range re.Flags {
		switch f {
		case 'i', 'm', 's':
			prefix += string(f)
		case 'g', 'u':
		default:
			return "", false
		}
	}
	p := re.Pattern
	if prefix != "" {
		p = "(?" + prefix + ")" + p
	}
	if _, err := regexp.Compile(p); err != nil {
		return "", false
	}
	return p, true
}

// undefinedCheck reads x === undefined (absent) and x !== undefined.
func (s *script) undefinedCheck(x *ast.BinaryExpression) (jsVal, bool) {
	l, r := x.Left, x.Right
	if id, ok := l.(*ast.Identifier); ok && id.Name == "undefined" {
		l, r = r, l
	}
	id, ok := r.(*ast.Identifier)
	if !ok || id.Name != "undefined" {
		return jsVal{}, false
	}
	var want bool
	switch x.Operator {
	case token.STRICT_EQUAL, token.EQUAL:
	case token.STRICT_NOT_EQUAL, token.NOT_EQUAL:
		want = true
	default:
		return jsVal{}, true
	}
	c, ok := makeCheck(s.eval(l), "exists", boolNode(want))
	if !ok {
		return jsVal{}, true
	}
	return jsVal{kind: vCheck, chk: c}, true
}

// queryOf converts a callback x => x.key === value (an arrow function or
// a function returning the comparison) into a gjson query, key=="value",
// for a literal value, or into an expr-lang predicate, .key == name, for
// a variable's.
func (s *script) queryOf(fn ast.Expression) (query, pred string, ok bool) {
	param, body := funcParts(fn)
	if param == "" || body == nil {
		return "", "", false
	}
	if and, ok := body.(*ast.BinaryExpression); ok && and.Operator == token.LOGICAL_AND {
		var preds []string
		for _, side := range []ast.Expression{and.Left, and.Right} {
			p, ok := s.predicateOf(param, side)
			if !ok {
				return "", "", false
			}
			preds = append(preds, p)
		}
		return "", strings.Join(preds, " && "), true
	}
	cmp, isCmp := body.(*ast.BinaryExpression)
	if !isCmp || (cmp.Operator != token.STRICT_EQUAL && cmp.Operator != token.EQUAL) {
		return "", "", false
	}
	rest, isKey := strings.CutPrefix(calleeName(cmp.Left), param+".")
	if !isKey {
		return "", "", false
	}
	if v := s.eval(cmp.Right); v.kind == vTemplate {
		return "", "." + strings.ReplaceAll(rest, ".", "?.") + " == " + v.tmpl, true
	}
	lit, isLit := s.literal(cmp.Right)
	if !isLit || lit.Kind != yaml.ScalarNode || strings.Contains(lit.Value, "{{") {
		return "", "", false
	}
	value := lit.Value
	if lit.ShortTag() == "!!str" {
		value = strconv.Quote(value)
	}
	return rest + "==" + value, "", true
}

// funcParts are the one parameter of the function literal fn and the
// expression it returns; "" and nil for any other function.
func funcParts(fn ast.Expression) (param string, body ast.Expression) {
	switch f := fn.(type) {
	case *ast.ArrowFunctionLiteral:
		if eb, ok := f.Body.(*ast.ExpressionBody); ok {
			body = eb.Expression
		} else if bs, ok := f.Body.(*ast.BlockStatement); ok {
			body = returned(bs.List)
		}
		param = oneParam(f.ParameterList)
	case *ast.FunctionLiteral:
		body = returned(f.Body.List)
		param = oneParam(f.ParameterList)
	}
	return param, body
}

// returned is what a body of one return statement returns, else nil.
func returned(list []ast.Statement) ast.Expression {
	if len(list) == 1 {
		if rs, ok := list[0].(*ast.ReturnStatement); ok {
			return rs.Argument
		}
	}
	return nil
}

// oneParam is the name of the only parameter of a list, else "".
func oneParam(pl *ast.ParameterList) string {
	if pl != nil && len(pl.List) == 1 {
		if id, ok := pl.List[0].Target.(*ast.Identifier); ok {
			return string(id.Name)
		}
	}
	return ""
}

// predicateOf writes param.key === value as an expr-lang predicate over
// the element, .key == value.
func (s *script) predicateOf(param string, e ast.Expression) (string, bool) {
	if and, ok := e.(*ast.BinaryExpression); ok && and.Operator == token.LOGICAL_AND {
		l, ok1 := s.predicateOf(param, and.Left)
		r, ok2 := s.predicateOf(param, and.Right)
		return l + " && " + r, ok1 && ok2
	}
	if rest, ok := strings.CutPrefix(calleeName(e), param+"."); ok {
		// A member read as a condition: it is there and truthy.
		return "." + strings.ReplaceAll(rest, ".", "?.") + ` not in [nil, false, 0, ""]`, true
	}
	cmp, ok := e.(*ast.BinaryExpression)
	if !ok || (cmp.Operator != token.STRICT_EQUAL && cmp.Operator != token.EQUAL && cmp.Operator != token.STRICT_NOT_EQUAL && cmp.Operator != token.NOT_EQUAL) {
		return "", false
	}
	rest, ok := strings.CutPrefix(calleeName(cmp.Left), param+".")
	if !ok {
		return "", false
	}
	var value string
	if v := s.eval(cmp.Right); v.kind == vTemplate {
		value = v.tmpl
	} else if lit, ok := s.literal(cmp.Right); ok {
		if value = literalExpr(lit); value == "" {
			return "", false
		}
	} else {
		return "", false
	}
	op := " == "
	if cmp.Operator == token.STRICT_NOT_EQUAL || cmp.Operator == token.NOT_EQUAL {
		op = " != "
	}
	return "." + strings.ReplaceAll(rest, ".", "?.") + op + value, true
}
