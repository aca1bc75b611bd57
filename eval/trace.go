package eval

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
)

// Substitute prints the expression with each operand replaced by its
// value, for the trace of an expression that did not hold:
//
//	len(res.json) >= 3   becomes   len([…2 items]) >= 3
//
// (short arrays and objects are written out, longer ones counted). It
// never fails: an operand that cannot be evaluated shows as <error: …>.
// mask is applied to every value and error text before it is shortened,
// so that a cut cannot leave part of a secret the mask would have replaced
// whole.
func (p *Program) Substitute(s *Scope, mask func(string) string) string {
	return substitute(p.program.Node(), s, mask, 0)
}

// maxTraceDepth bounds the recursion of substitute.
const maxTraceDepth = 20

// substitute prints n with its operands replaced by their values.
func substitute(n ast.Node, scope *Scope, mask func(string) string, depth int) string {
	if depth > maxTraceDepth {
		return n.String()
	}
	switch t := n.(type) {
	case *ast.NilNode, *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.StringNode, *ast.ConstantNode:
		return n.String()
	case *ast.BinaryNode:
		return substitute(t.Left, scope, mask, depth+1) + " " + t.Operator + " " + substitute(t.Right, scope, mask, depth+1)
	case *ast.UnaryNode:
		op := t.Operator
		if op == "not" {
			op += " "
		}
		return op + substitute(t.Node, scope, mask, depth+1)
	case *ast.CallNode:
		args := make([]string, len(t.Arguments))
		for i, a := range t.Arguments {
			args[i] = substitute(a, scope, mask, depth+1)
		}
		return t.Callee.String() + "(" + strings.Join(args, ", ") + ")"
	case *ast.BuiltinNode:
		switch t.Name {
		case "len", "int", "float", "string", "upper", "lower", "trim", "abs", "type", "keys", "values", "first", "last":
			args := make([]string, len(t.Arguments))
			for i, a := range t.Arguments {
				args[i] = substitute(a, scope, mask, depth+1)
			}
			return t.Name + "(" + strings.Join(args, ", ") + ")"
		}
	}
	return evalNode(n, scope, mask)
}

// evalNode evaluates one sub-expression and formats its value, masked.
func evalNode(n ast.Node, scope *Scope, mask func(string) string) string {
	src := n.String()
	program, err := expr.Compile(src, options()...)
	if err != nil {
		return src
	}
	v, err := expr.Run(program, scope.exprEnv())
	if err != nil {
		return "<error: " + ErrorText(err, mask) + ">"
	}
	return ShortValue(normalize(v), mask)
}

// ErrorText is the first line of an error, masked and shortened, as a
// trace shows it.
func ErrorText(err error, mask func(string) string) string {
	msg, _, _ := strings.Cut(mask(err.Error()), "\n")
	return shorten(msg, 80)
}

// ShortValue formats a value for a trace: strings quoted and cut at 40
// characters, short arrays and objects as JSON, longer ones as […N items]
// and {…N keys}; mask is applied before anything is cut.
func ShortValue(v any, mask func(string) string) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(shorten(mask(t), 40))
	case []any:
		if s := mask(JSONText(t)); len(t) <= 3 && utf8.RuneCountInString(s) <= 40 {
			return s
		}
		return fmt.Sprintf("[…%d items]", len(t))
	case map[string]any:
		if s := mask(JSONText(t)); len(t) <= 2 && utf8.RuneCountInString(s) <= 40 {
			return s
		}
		return fmt.Sprintf("{…%d keys}", len(t))
	}
	if isFunc(v) {
		return "<function>"
	}
	return shorten(mask(Stringify(v)), 40)
}

func isFunc(v any) bool {
	_, ok := v.(func(...any) (any, error))
	return ok
}

// shorten cuts s to n characters, marking the cut with an ellipsis.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
