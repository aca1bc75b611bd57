package collections

import (
	"fmt"
	"strings"

	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/mask"
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

// Expr is one {{ expression }} of a collection, at its position. What it
// computes is its compiled eval.Program, shared by every Expr of the same
// source.
type Expr struct {
	// Pos is the position of the expression's first character.
	Pos Pos
	// Source is the expression text, without the braces and outer spaces.
	Source string
	// Names are the variables the expression reads, sorted, without env
	// and without the names its use provides at run time (res).
	Names []string
	// Env are the environment variables it reads through env.NAME.
	Env     []eval.EnvRef
	program *eval.Program
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
	p, err := eval.Compile(src)
	return newExpr(src, pos, p, err)
}

// newExpr wraps the result of compiling src: the *Expr, or an *Error
// pointing into src.
func newExpr(src string, pos Pos, p *eval.Program, err error) (*Expr, error) {
	if err != nil {
		epos, msg := pos, err.Error()
		if se, ok := err.(*eval.SyntaxError); ok {
			epos = advance(pos, src, byteOffset(src, se.Line, se.Column))
		}
		return nil, &Error{Pos: epos, Msg: "invalid expression: " + msg}
	}
	return &Expr{Pos: pos, Source: src, Names: p.Names, Env: p.Env, program: p}, nil
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
func (t *Template) Eval(scope *eval.Scope) (any, error) {
	if t == nil {
		return nil, nil
	}
	if len(t.Parts) == 1 && t.Parts[0].Expr != nil {
		return t.Parts[0].Expr.Eval(scope)
	}
	if len(t.Parts) == 0 {
		return "", nil
	}
	// The parts' texts first, then one string of their length.
	var first [8]string
	texts, size := first[:0], 0
	for _, p := range t.Parts {
		text := p.Literal
		if p.Expr != nil {
			x, err := p.Expr.Eval(scope)
			if err != nil {
				return nil, err
			}
			text = eval.Stringify(x)
		}
		texts, size = append(texts, text), size+len(text)
	}
	var b strings.Builder
	b.Grow(size)
	for _, text := range texts {
		b.WriteString(text)
	}
	return b.String(), nil
}

// Render renders the template as text.
func (t *Template) Render(scope *eval.Scope) (string, error) {
	x, err := t.Eval(scope)
	if err != nil {
		return "", err
	}
	return eval.Stringify(x), nil
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
	// Without expr's own "(1:1)" and source snippet: the position and the
	// expression are already given.
	return fmt.Sprintf("%s: evaluate {{ %s }}: %s", e.Pos, e.Source, eval.Message(e.Err))
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
func (e *Expr) Eval(scope *eval.Scope) (any, error) {
	for _, n := range e.Names {
		if !scope.Has(n) {
			return nil, &UndefinedError{Pos: e.Pos, Name: n, Suggestion: Suggest(n, scope.Names())}
		}
	}
	for _, ref := range e.Env {
		if _, ok := scope.LookupEnv(ref.Name); !ok && !ref.Optional {
			return nil, &UndefinedError{Pos: e.Pos, Name: ref.Name, Env: true}
		}
	}
	out, err := e.program.Run(scope)
	if err != nil {
		return nil, &EvalError{Pos: e.Pos, Source: e.Source, Err: err}
	}
	return out, nil
}

// IsName reports whether the expression is one variable's name alone, as
// {{ access_token }} is.
func (e *Expr) IsName() bool { return len(e.Names) == 1 && e.Source == e.Names[0] }

// TraceMasked explains the value of the expression in three steps, as runn
// does: the expression as written, the expression with each operand
// replaced by its value (eval.Program.Substitute), and the result. For
//
//	len(res.json) >= 3
//
// it returns ["len(res.json) >= 3", "len([…2 items]) >= 3", "false"]. It
// never fails. mask is applied to every value and error text before it is
// shortened; a nil mask masks nothing.
func (e *Expr) TraceMasked(scope *eval.Scope, mask func(string) string) []string {
	if mask == nil {
		mask = func(s string) string { return s }
	}
	out := []string{e.Source}
	if e.program != nil {
		if sub := e.program.Substitute(scope, mask); sub != e.Source {
			out = append(out, sub)
		}
	}
	result, err := e.Eval(scope)
	if err != nil {
		return append(out, "<error: "+eval.ErrorText(err, mask)+">")
	}
	return append(out, eval.ShortValue(result, mask))
}
