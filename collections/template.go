package collections

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/callsheet/callsheet/mask"
	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
)

// Template is a string scalar split into literal text and {{ expression }}
// parts. Expressions are compiled once, when the collection loads.
type Template struct {
	// Pos is the position of the scalar's first character.
	Pos Pos
	// Raw is the scalar as written.
	Raw   string
	Parts []Part
}

// Part is a piece of a template: literal text, or an expression when Expr is
// not nil.
type Part struct {
	Literal string
	Expr    *Expr
}

// Expr is one compiled {{ expression }} (github.com/expr-lang/expr syntax).
type Expr struct {
	// Pos is the position of the expression's first character.
	Pos Pos
	// Source is the expression text, without the braces and outer spaces.
	Source  string
	program *vm.Program
	// Names are the variables the expression reads, sorted, without env.
	Names []string
	// Env are the environment variables it reads through env.NAME.
	Env []EnvRef
	// files are the literal arguments of its file() calls.
	files []fileArg
}

// fileArg is the literal path of a file() call: the string literal spans
// the characters (runes) from up to to of the expression's source.
type fileArg struct {
	path     string
	from, to int
}

// EnvRef is an environment variable an expression reads.
type EnvRef struct {
	Name string
	// Optional is true when the expression has a fallback (env.NAME ?? "x"),
	// so an unset variable is not an error.
	Optional bool
}

// Literal returns a template without expressions.
func Literal(s string, pos Pos) *Template {
	return &Template{Pos: pos, Raw: s, Parts: []Part{{Literal: s}}}
}

// ParseTemplate splits s into literal text and {{ expression }} parts and
// compiles each expression. pos is the position of s's first character; the
// returned *Error points at the offending expression.
func ParseTemplate(s string, pos Pos) (*Template, error) {
	return parseTemplate(s, pos, CompileExpr)
}

// parseTemplate is ParseTemplate with the expression compiler as a
// parameter, so the loader can reuse the programs of repeated expressions.
func parseTemplate(s string, pos Pos, compile func(string, Pos) (*Expr, error)) (*Template, error) {
	t := &Template{Pos: pos, Raw: s}
	rest, offset := s, 0
	for {
		open := strings.Index(rest, "{{")
		if open < 0 {
			if rest != "" {
				t.Parts = append(t.Parts, Part{Literal: rest})
			}
			return t, nil
		}
		if open > 0 {
			t.Parts = append(t.Parts, Part{Literal: rest[:open]})
		}
		closeAt := strings.Index(rest[open+2:], "}}")
		if closeAt < 0 {
			return nil, &Error{Pos: advance(pos, s, offset+open), Len: 2, Msg: "unclosed {{ in template", Hint: `close it with "}}"`}
		}
		inner := rest[open+2 : open+2+closeAt]
		lead := len(inner) - len(strings.TrimLeft(inner, " \t\r\n"))
		src := strings.TrimSpace(inner)
		exprPos := advance(pos, s, offset+open+2+lead)
		if src == "" {
			return nil, &Error{Pos: advance(pos, s, offset+open), Len: closeAt + 4, Msg: "empty {{ }} in template"}
		}
		e, err := compile(src, exprPos)
		if err != nil {
			return nil, err
		}
		t.Parts = append(t.Parts, Part{Expr: e})
		consumed := open + 2 + closeAt + 2
		rest, offset = rest[consumed:], offset+consumed
	}
}

// advance returns the position of byte offset i of s, which starts at pos.
func advance(pos Pos, s string, i int) Pos {
	if i > len(s) {
		i = len(s)
	}
	before := s[:i]
	if nl := strings.LastIndexByte(before, '\n'); nl >= 0 {
		pos.Line += strings.Count(before, "\n")
		pos.Col = len([]rune(before[nl+1:])) + 1
		return pos
	}
	pos.Col += len([]rune(before))
	return pos
}

// CompileExpr compiles one expression found at pos.
func CompileExpr(src string, pos Pos) (*Expr, error) {
	program, err := expr.Compile(src, exprOptions()...)
	return newExpr(src, pos, program, err)
}

// newExpr wraps the result of compiling src: the *Expr, or an *Error
// pointing into src.
func newExpr(src string, pos Pos, program *vm.Program, err error) (*Expr, error) {
	if err != nil {
		epos, msg := pos, err.Error()
		var ferr *file.Error
		if errors.As(err, &ferr) {
			msg = ferr.Message
			epos = advance(pos, src, byteOffset(src, ferr.Line, ferr.Column))
		}
		return nil, &Error{Pos: epos, Msg: "invalid expression: " + msg}
	}
	e := &Expr{Pos: pos, Source: src, program: program}
	e.Names, e.Env = references(program.Node())
	e.files = fileArgs(program.Node())
	return e, nil
}

// byteOffset converts expr's 1-based line and 0-based column (in runes) to
// a byte offset in src.
func byteOffset(src string, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		nl := strings.IndexByte(src[off:], '\n')
		if nl < 0 {
			return len(src)
		}
		off += nl + 1
	}
	for i := range src[off:] {
		if col == 0 {
			return off + i
		}
		col--
	}
	return len(src)
}

// references walks an expression's syntax tree and returns the variables and
// environment variables it reads.
func references(root ast.Node) ([]string, []EnvRef) {
	v := &refVisitor{names: map[string]bool{}, env: map[string]bool{}, declared: map[string]bool{}}
	v.walk(root, false)
	names := make([]string, 0, len(v.names))
	for n := range v.names {
		if !v.declared[n] {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	env := make([]EnvRef, 0, len(v.env))
	for n, optional := range v.env {
		env = append(env, EnvRef{Name: n, Optional: optional})
	}
	sort.Slice(env, func(i, j int) bool { return env[i].Name < env[j].Name })
	return names, env
}

type refVisitor struct {
	names    map[string]bool
	env      map[string]bool // name -> optional everywhere it is read
	declared map[string]bool // let-bound names
}

// walk visits n; optional is true under the left side of ??.
func (v *refVisitor) walk(n ast.Node, optional bool) {
	switch n := n.(type) {
	case nil:
		return
	case *ast.IdentifierNode:
		if n.Value != EnvName {
			v.names[n.Value] = true
		}
	case *ast.MemberNode:
		if id, ok := n.Node.(*ast.IdentifierNode); ok && id.Value == EnvName {
			if prop, ok := n.Property.(*ast.StringNode); ok {
				prev, seen := v.env[prop.Value]
				v.env[prop.Value] = (!seen || prev) && (optional || n.Optional)
				return
			}
		}
		v.walk(n.Node, optional)
		v.walk(n.Property, false)
	case *ast.BinaryNode:
		v.walk(n.Left, n.Operator == "??")
		v.walk(n.Right, false)
	case *ast.VariableDeclaratorNode:
		v.declared[n.Name] = true
		v.walk(n.Value, false)
		v.walk(n.Expr, false)
	case *ast.CallNode:
		if _, ok := n.Callee.(*ast.IdentifierNode); !ok {
			v.walk(n.Callee, false)
		}
		for _, a := range n.Arguments {
			v.walk(a, false)
		}
	default:
		children(n, func(c ast.Node) { v.walk(c, false) })
	}
}

// fileArgs returns the literal paths of the file() calls under n.
func fileArgs(n ast.Node) []fileArg {
	var out []fileArg
	var walk func(ast.Node)
	walk = func(n ast.Node) {
		if call, ok := n.(*ast.CallNode); ok {
			id, isIdent := call.Callee.(*ast.IdentifierNode)
			if isIdent && id.Value == "file" && len(call.Arguments) == 1 {
				if s, ok := call.Arguments[0].(*ast.StringNode); ok {
					loc := s.Location()
					out = append(out, fileArg{path: s.Value, from: loc.From, to: loc.To})
				}
			}
			walk(call.Callee)
			for _, a := range call.Arguments {
				walk(a)
			}
			return
		}
		if m, ok := n.(*ast.MemberNode); ok {
			walk(m.Node)
			walk(m.Property)
			return
		}
		if b, ok := n.(*ast.BinaryNode); ok {
			walk(b.Left)
			walk(b.Right)
			return
		}
		if d, ok := n.(*ast.VariableDeclaratorNode); ok {
			walk(d.Value)
			walk(d.Expr)
			return
		}
		children(n, walk)
	}
	walk(n)
	return out
}

// children calls fn for each direct child of n.
func children(n ast.Node, fn func(ast.Node)) {
	switch n := n.(type) {
	case *ast.UnaryNode:
		fn(n.Node)
	case *ast.ChainNode:
		fn(n.Node)
	case *ast.SliceNode:
		fn(n.Node)
		fn(n.From)
		fn(n.To)
	case *ast.BuiltinNode:
		for _, a := range n.Arguments {
			fn(a)
		}
	case *ast.PredicateNode:
		fn(n.Node)
	case *ast.ConditionalNode:
		fn(n.Cond)
		fn(n.Exp1)
		fn(n.Exp2)
	case *ast.ArrayNode:
		for _, a := range n.Nodes {
			fn(a)
		}
	case *ast.MapNode:
		for _, p := range n.Pairs {
			fn(p)
		}
	case *ast.PairNode:
		fn(n.Key)
		fn(n.Value)
	case *ast.SequenceNode:
		for _, a := range n.Nodes {
			fn(a)
		}
	}
}

// Exprs calls fn for each expression of the template.
func (t *Template) Exprs(fn func(*Expr)) {
	if t == nil {
		return
	}
	for _, p := range t.Parts {
		if p.Expr != nil {
			fn(p.Expr)
		}
	}
}

// IsLiteral reports whether the template has no expressions.
func (t *Template) IsLiteral() bool {
	for _, p := range t.Parts {
		if p.Expr != nil {
			return false
		}
	}
	return true
}

// Eval renders the template. A template that is exactly one expression
// returns the expression's typed value; otherwise the parts are joined into a
// string.
func (t *Template) Eval(scope *Scope) (any, error) {
	if t == nil {
		return nil, nil
	}
	if len(t.Parts) == 1 && t.Parts[0].Expr != nil {
		return t.Parts[0].Expr.Eval(scope)
	}
	if len(t.Parts) == 0 {
		return "", nil
	}
	var b strings.Builder
	for _, p := range t.Parts {
		if p.Expr == nil {
			b.WriteString(p.Literal)
			continue
		}
		x, err := p.Expr.Eval(scope)
		if err != nil {
			return nil, err
		}
		b.WriteString(Stringify(x))
	}
	return b.String(), nil
}

// Render renders the template as text.
func (t *Template) Render(scope *Scope) (string, error) {
	x, err := t.Eval(scope)
	if err != nil {
		return "", err
	}
	return Stringify(x), nil
}

// UndefinedError reports a variable that is not defined when a template
// needs it.
type UndefinedError struct {
	Pos  Pos
	Name string
	// Env is true for an unset environment variable (env.NAME).
	Env bool
	// Suggestion is a defined name close to Name, or "".
	Suggestion string
}

// Error formats the error with its position and suggestion.
func (e *UndefinedError) Error() string {
	what := fmt.Sprintf("undefined variable %q", e.Name)
	if e.Env {
		what = fmt.Sprintf("environment variable %s is not set", e.Name)
	}
	if e.Suggestion != "" {
		return fmt.Sprintf("%s: %s (did you mean %q?)", e.Pos, what, e.Suggestion)
	}
	return fmt.Sprintf("%s: %s", e.Pos, what)
}

// EvalError reports an expression that failed while evaluating.
type EvalError struct {
	Pos    Pos
	Source string
	Err    error
}

// Error formats the error with its position and expression.
func (e *EvalError) Error() string {
	msg := e.Err.Error()
	if fe, ok := e.Err.(*file.Error); ok {
		// Without expr's own "(1:1)" and source snippet: the position and
		// the expression are already given.
		msg = fe.Message
	}
	return fmt.Sprintf("%s: evaluate {{ %s }}: %s", e.Pos, e.Source, msg)
}

// Unwrap returns the underlying error.
func (e *EvalError) Unwrap() error { return e.Err }

// MaskedCopy returns a copy of e whose expression and cause are masked by
// m, for errors.As on a masked error.
func (e *EvalError) MaskedCopy(m *mask.Masker) error {
	return &EvalError{Pos: e.Pos, Source: m.String(e.Source), Err: m.Err(e.Err)}
}

// Eval evaluates the expression against scope. Every variable it reads must
// be defined, and every environment variable it reads without a ?? fallback
// must be set.
func (e *Expr) Eval(scope *Scope) (any, error) {
	for _, n := range e.Names {
		if !scope.Has(n) {
			return nil, &UndefinedError{Pos: e.Pos, Name: n, Suggestion: Suggest(n, scope.Names())}
		}
	}
	for _, ref := range e.Env {
		if _, ok := scope.lookupEnvVar(ref.Name); !ok && !ref.Optional {
			return nil, &UndefinedError{Pos: e.Pos, Name: ref.Name, Env: true}
		}
	}
	out, err := expr.Run(e.program, scope.vars)
	if err != nil {
		return nil, &EvalError{Pos: e.Pos, Source: e.Source, Err: err}
	}
	out = normalize(out)
	if scope.observe != nil {
		scope.observe(e, out)
	}
	return out, nil
}

// IsName reports whether the expression is one variable's name alone, as
// {{ access_token }} is.
func (e *Expr) IsName() bool { return len(e.Names) == 1 && e.Source == e.Names[0] }

// normalize converts expr's results to the types Value.Render returns.
func normalize(x any) any {
	switch t := x.(type) {
	case int:
		return int64(t)
	case int8:
		return int64(t)
	case int16:
		return int64(t)
	case int32:
		return int64(t)
	case uint:
		return int64(t)
	case uint8:
		return int64(t)
	case uint16:
		return int64(t)
	case uint32:
		return int64(t)
	case uint64:
		if t > math.MaxInt64 {
			return float64(t) // as JSON decoders do, rather than wrap to a negative
		}
		return int64(t)
	case float32:
		return float64(t)
	case []any:
		out := make([]any, len(t))
		for i, it := range t {
			out[i] = normalize(it)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, it := range t {
			out[k] = normalize(it)
		}
		return out
	}
	return x
}
