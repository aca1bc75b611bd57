package convert

import (
	"strconv"
	"strings"

	"github.com/callsheet/callsheet/internal/lazyregexp"
	"gopkg.in/yaml.v3"
)

// A check inside an if: holds only when the condition does. It becomes an
// assert: expression, !(condition) || check, in expr-lang over res (the
// response), with the condition and the check written as expressions.
// guardExpr and checkExpr return "" for what they cannot write.

// loneTemplateRE matches a string that is one template.
var loneTemplateRE = lazyregexp.New(`^\{\{\s*([^{}]+?)\s*\}\}$`)

// pathExpr writes a gjson path of the JSON body as an expression over
// res.json: a.0.b is res.json.a[0].b, a.# is len(res.json.a).
func pathExpr(path string) string {
	if path == "" || path == "@this" {
		return "res.json"
	}
	var keys []string
	var cur strings.Builder
	for i := 0; i < len(path); i++ {
		switch c := path[i]; {
		case c == '\\' && i+1 < len(path):
			i++
			cur.WriteByte(path[i])
		case c == '.':
			keys = append(keys, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	keys = append(keys, cur.String())
	out := "res.json"
	for i := 0; i < len(keys); i++ {
		k := keys[i]
		switch {
		case k == "@reverse" && i+1 < len(keys) && keys[i+1] == "0":
			out = "last(" + out + ")"
			i++
		case strings.ContainsAny(k, "#@|") && k != "#":
			return "" // a gjson query or modifier
		case k == "#":
			out = "len(" + out + ")"
		case isIndex(k):
			out += "[" + k + "]"
		case isIdent(k):
			out += "." + k
		default:
			out += "[" + strconv.Quote(k) + "]"
		}
	}
	return out
}

func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// subjectExpr writes what a check looks at as an expression.
func subjectExpr(c *check) string {
	switch c.subject {
	case "json":
		return pathExpr(c.key)
	case "status":
		return "res.status"
	case "duration":
		return "res.duration"
	case "body":
		return "res.body"
	case "headers":
		return "res.headers[" + strconv.Quote(strings.ToLower(c.key)) + "]"
	case "expr":
		return c.key
	}
	return ""
}

// literalExpr writes a YAML literal as an expr-lang literal.
func literalExpr(n *yaml.Node) string {
	switch n.Kind {
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!str":
			if m := loneTemplateRE.FindStringSubmatch(n.Value); m != nil {
				return "(" + m[1] + ")"
			}
			if strings.Contains(n.Value, "{{") {
				return ""
			}
			return strconv.Quote(n.Value)
		case "!!null":
			return "nil"
		}
		return n.Value
	case yaml.SequenceNode:
		parts := make([]string, len(n.Content))
		for i, it := range n.Content {
			if parts[i] = literalExpr(it); parts[i] == "" {
				return ""
			}
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return ""
}

// checkExpr writes a check as a boolean expression.
func checkExpr(c *check) string {
	x := subjectExpr(c)
	if strings.Contains(x, "res.json") && c.subject == "json" && pathExpr(c.key) == "" {
		return ""
	}
	if x == "" {
		return ""
	}
	p := c.pred
	if p.Kind == yaml.SequenceNode { // all must hold
		parts := make([]string, len(p.Content))
		for i, it := range p.Content {
			if parts[i] = checkExpr(&check{c.subject, c.key, it}); parts[i] == "" {
				return ""
			}
		}
		return "(" + strings.Join(parts, " && ") + ")"
	}
	op, val := "eq", p
	if p.Kind == yaml.MappingNode && len(p.Content) == 2 {
		op, val = p.Content[0].Value, p.Content[1]
	}
	if op == "exists" {
		return existsExpr(c, val.Value == "true")
	}
	lit := literalExpr(val)
	if lit == "" {
		return ""
	}
	switch op {
	case "eq":
		return x + " == " + lit
	case "ne":
		return x + " != " + lit
	case "gt":
		return x + " > " + lit
	case "gte":
		return x + " >= " + lit
	case "lt":
		return x + " < " + lit
	case "lte":
		return x + " <= " + lit
	case "matches":
		return x + " matches " + lit
	case "not_matches":
		return "!(" + x + " matches " + lit + ")"
	case "length":
		return "len(" + x + ") == " + lit
	case "one_of":
		return x + " in " + lit
	case "contains":
		return "(type(" + x + `) == "string" ? ` + x + " contains " + lit + " : " + lit + " in " + x + ")"
	case "type":
		return typeExpr(x, val.Value)
	case "is_empty":
		return "(len(" + x + ") == 0) == " + val.Value
	}
	return ""
}

// existsExpr writes that a JSON path (or header) is there, or not.
func existsExpr(c *check, want bool) string {
	var e string
	switch c.subject {
	case "json":
		i := strings.LastIndexByte(c.key, '.')
		for i > 0 && c.key[i-1] == '\\' {
			i = strings.LastIndexByte(c.key[:i-1], '.')
		}
		parent, last := "", c.key
		if i >= 0 {
			parent, last = c.key[:i], c.key[i+1:]
		}
		last = strings.ReplaceAll(last, `\`, "")
		if isIndex(last) {
			e = "len(" + pathExpr(parent) + ") > " + last
		} else {
			e = strconv.Quote(last) + " in " + pathExpr(parent)
		}
	case "headers":
		e = strconv.Quote(strings.ToLower(c.key)) + " in res.headers"
	case "expr":
		e = c.key + " != nil"
	default:
		return ""
	}
	if !want {
		return "!(" + e + ")"
	}
	return e
}

// typeExpr writes a type check with expr's type() names.
func typeExpr(x, t string) string {
	switch t {
	case "string":
		return "type(" + x + `) == "string"`
	case "integer":
		return "type(" + x + `) == "int"`
	case "number":
		return "type(" + x + `) in ["int", "float"]`
	case "boolean":
		return "type(" + x + `) == "bool"`
	case "array":
		return "type(" + x + `) == "array"`
	case "object":
		return "type(" + x + `) == "map"`
	case "null":
		return x + " == nil"
	}
	return ""
}

// condExpr writes a JavaScript condition as an expression: a check, or a
// value read as JavaScript reads it (truthy).
func condExpr(v jsVal) string {
	switch v.kind {
	case vCond:
		return v.tmpl
	case vCheck:
		return checkExpr(v.chk)
	case vJSON:
		if v.path == "#" || strings.HasSuffix(v.path, ".#") {
			return pathExpr(v.path) + " > 0"
		}
		return pathExpr(v.path) + ` not in [nil, false, 0, ""]`
	case vTemplate:
		if isIdent(v.tmpl) {
			return v.tmpl + ` not in [nil, false, 0, ""]`
		}
	}
	return ""
}

// notExpr writes the negation of the expression e, simply where it can.
func notExpr(e string) string {
	if strings.HasPrefix(e, "!(") && strings.HasSuffix(e, ")") && balanced(e[2:len(e)-1]) {
		return e[2 : len(e)-1]
	}
	if x, ok := strings.CutSuffix(e, ` not in [nil, false, 0, ""]`); ok && balanced(x) {
		return x + ` in [nil, false, 0, ""]`
	}
	if x, ok := strings.CutSuffix(e, " > 0"); ok && strings.HasPrefix(x, "len(") && balanced(x) {
		return x + " == 0"
	}
	return "!(" + e + ")"
}

// balanced reports whether the parentheses of e pair up.
func balanced(e string) bool {
	depth := 0
	for _, r := range e {
		switch r {
		case '(':
			depth++
		case ')':
			if depth--; depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}
