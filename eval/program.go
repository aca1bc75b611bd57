package eval

import (
	"errors"
	"math"
	"sort"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/checker"
	"github.com/expr-lang/expr/compiler"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/optimizer"
	"github.com/expr-lang/expr/vm"
)

// Program is one compiled expression (github.com/expr-lang/expr syntax),
// with what it reads. A Program is immutable and safe for concurrent use.
type Program struct {
	// Source is the expression's text.
	Source string
	// Names are the variables the expression reads, sorted, without env.
	Names []string
	// Env are the environment variables it reads through env.NAME.
	Env []EnvRef
	// Files are the literal arguments of its file() calls.
	Files   []FileArg
	program *vm.Program
}

// EnvRef is an environment variable an expression reads.
type EnvRef struct {
	Name string
	// Optional is true when the expression has a fallback (env.NAME ?? "x"),
	// so an unset variable is not an error.
	Optional bool
}

// FileArg is the literal path of a file() call: the string literal spans
// the characters (runes) From up to To of the expression's source.
type FileArg struct {
	Path     string
	From, To int
}

// SyntaxError is an expression that does not compile, at the 1-based Line
// and 0-based Column (in runes) of its source.
type SyntaxError struct {
	Line, Column int
	Msg          string
}

func (e *SyntaxError) Error() string { return e.Msg }

// Compiler compiles expressions with the template functions. Its
// configuration (the table of builtins and functions, which costs more to
// build than most expressions to compile) is built once. A Compiler is
// not safe for concurrent use.
type Compiler struct {
	config *conf.Config
}

// Compile compiles src; an expression that does not compile is a
// *SyntaxError when expr says where, else the error expr gave.
func (c *Compiler) Compile(src string) (*Program, error) {
	if c.config == nil {
		config := conf.CreateNew()
		for _, op := range options() {
			op(config)
		}
		for name := range config.Disabled {
			delete(config.Builtins, name)
		}
		config.Check()
		c.config = config
	}
	program, err := c.program(src)
	if err != nil {
		var ferr *file.Error
		if errors.As(err, &ferr) {
			return nil, &SyntaxError{Line: ferr.Line, Column: ferr.Column, Msg: ferr.Message}
		}
		return nil, err
	}
	p := &Program{Source: src, program: program}
	p.Names, p.Env = references(program.Node())
	p.Files = fileArgs(program.Node())
	return p, nil
}

// Compile compiles src with a Compiler of its own.
func Compile(src string) (*Program, error) { return new(Compiler).Compile(src) }

// program does what expr.Compile(src, options()...) does, with the
// configuration built once.
func (c *Compiler) program(src string) (*vm.Program, error) {
	tree, err := checker.ParseCheck(src, c.config)
	if err != nil {
		return nil, err
	}
	if c.config.Optimize {
		if err := optimizer.Optimize(&tree.Node, c.config); err != nil {
			var fileError *file.Error
			if errors.As(err, &fileError) {
				return nil, fileError.Bind(tree.Source)
			}
			return nil, err
		}
	}
	return compiler.Compile(tree, c.config)
}

// variable returns the name of the variable p reads when p is that
// name alone and no template function: its value is read from the scope
// as expr would read it.
func (p *Program) variable() (string, bool) {
	if !p.IsName() || runtimeFuncs[p.Source] != nil {
		return "", false
	}
	return p.Source, true
}

// IsName reports whether the expression is one variable's name alone, as
// access_token is.
func (p *Program) IsName() bool { return len(p.Names) == 1 && p.Source == p.Names[0] }

// Run evaluates p against s and returns its value, typed as Stringify and
// the comparisons expect (int64, not int). It does not check that the
// names p reads are defined: a name that is not reads as nil.
func (p *Program) Run(s *Scope) (any, error) {
	var out any
	if name, ok := p.variable(); ok {
		out = s.vars[name]
	} else {
		var err error
		if out, err = expr.Run(p.program, s.exprEnv()); err != nil {
			return nil, err
		}
	}
	out = normalize(out)
	if s.observe != nil {
		s.observe(p, out)
	}
	return out, nil
}

// Message is the text of an error of Run, without expr's position and
// source snippet, which a caller that names the expression gives already.
func Message(err error) string {
	if fe, ok := err.(*file.Error); ok {
		return fe.Message
	}
	return err.Error()
}

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
func fileArgs(n ast.Node) []FileArg {
	var out []FileArg
	var walk func(ast.Node)
	walk = func(n ast.Node) {
		switch t := n.(type) {
		case *ast.CallNode:
			id, isIdent := t.Callee.(*ast.IdentifierNode)
			if isIdent && id.Value == "file" && len(t.Arguments) == 1 {
				if s, ok := t.Arguments[0].(*ast.StringNode); ok {
					loc := s.Location()
					out = append(out, FileArg{Path: s.Value, From: loc.From, To: loc.To})
				}
			}
			walk(t.Callee)
			for _, a := range t.Arguments {
				walk(a)
			}
		case *ast.MemberNode:
			walk(t.Node)
			walk(t.Property)
		case *ast.BinaryNode:
			walk(t.Left)
			walk(t.Right)
		case *ast.VariableDeclaratorNode:
			walk(t.Value)
			walk(t.Expr)
		default:
			children(n, walk)
		}
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
