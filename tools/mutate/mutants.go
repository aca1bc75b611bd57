package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
)

// A mutant is one small change to a file: the bytes [start, end) replaced
// by repl.
type mutant struct {
	file       string // as given in the target, slash-separated
	fn         string // the enclosing function, "" outside functions
	line, col  int
	start, end int
	repl       string
	desc       string // what changed, such as "== -> !="
	ignore     string // why a mutate:ignore comment leaves it out, or ""
}

// apply returns src with the mutant's change.
func (m mutant) apply(src []byte) []byte {
	out := make([]byte, 0, len(src)+len(m.repl))
	out = append(out, src[:m.start]...)
	out = append(out, m.repl...)
	return append(out, src[m.end:]...)
}

// swaps are the operator replacements: comparisons, their boundaries, the
// logical operators and arithmetic.
var swaps = map[token.Token]token.Token{
	token.EQL: token.NEQ, token.NEQ: token.EQL,
	token.LSS: token.LEQ, token.LEQ: token.LSS,
	token.GTR: token.GEQ, token.GEQ: token.GTR,
	token.LAND: token.LOR, token.LOR: token.LAND,
	token.ADD: token.SUB, token.SUB: token.ADD,
	token.MUL: token.QUO, token.QUO: token.MUL, token.REM: token.MUL,
	token.INC: token.DEC, token.DEC: token.INC,
}

// ignoreTag starts a comment that leaves mutants out:
//
//	x := a + b // mutate:ignore REASON
//	// mutate:ignore "DESC" ["DESC"...] REASON
//	x := a + b
//
// A comment after code applies to its own line, a comment alone on its
// line to the first line after the comments around it (so that several
// can stand before one line). Without DESC it leaves out every mutant
// starting on that line; with DESCs, Go strings, only those whose change
// starts with one of them (such as "+ -> -" or "removed call"). REASON, required, says
// why the mutant changes no behaviour a test could observe; the report
// lists it.
const ignoreTag = "mutate:ignore"

// An ignore is one mutate:ignore comment.
type ignore struct {
	pos    token.Pos // of the comment
	line   int       // the line it applies to
	descs  []string  // the prefixes of the changes it applies to; none for all
	reason string
	used   bool
}

// ignores reads the mutate:ignore comments of a file.
func ignores(fset *token.FileSet, src []byte, groups []*ast.CommentGroup) ([]*ignore, error) {
	var out []*ignore
	for _, g := range groups {
		for _, c := range g.List {
			text, ok := strings.CutPrefix(c.Text, "//")
			if !ok {
				continue
			}
			rest, ok := strings.CutPrefix(strings.TrimSpace(text), ignoreTag)
			if !ok {
				continue
			}
			p := fset.Position(c.Pos())
			ig := &ignore{pos: c.Pos(), line: p.Line}
			if len(strings.TrimSpace(string(src[p.Offset-p.Column+1:p.Offset]))) == 0 {
				ig.line = fset.Position(g.End()).Line + 1 // alone: the line after the comments
			}
			rest = strings.TrimSpace(rest)
			for strings.HasPrefix(rest, `"`) {
				q, err := strconv.QuotedPrefix(rest)
				if err != nil {
					return nil, fmt.Errorf("%s: %s: bad change %s", p, ignoreTag, rest)
				}
				desc, _ := strconv.Unquote(q)
				ig.descs = append(ig.descs, desc)
				rest = strings.TrimSpace(rest[len(q):])
			}
			if rest == "" {
				return nil, fmt.Errorf("%s: %s needs a reason", p, ignoreTag)
			}
			ig.reason = rest
			out = append(out, ig)
		}
	}
	return out, nil
}

// matches reports whether the comment applies to the change desc.
func (ig *ignore) matches(desc string) bool {
	if len(ig.descs) == 0 {
		return true
	}
	return slices.ContainsFunc(ig.descs, func(p string) bool { return strings.HasPrefix(desc, p) })
}

// applyIgnores marks the mutants that igs leave out. A comment inside the
// mutated code (walked) that leaves out no mutant is an error: the code it
// excused has changed.
func applyIgnores(fset *token.FileSet, ms []mutant, igs []*ignore, walked []ast.Node) error {
	for i := range ms {
		for _, ig := range igs {
			if ms[i].line == ig.line && ig.matches(ms[i].desc) {
				ms[i].ignore, ig.used = ig.reason, true
				break
			}
		}
	}
	for _, ig := range igs {
		inside := slices.ContainsFunc(walked, func(n ast.Node) bool { return n.Pos() <= ig.pos && ig.pos < n.End() })
		if inside && !ig.used {
			return fmt.Errorf("%s: %s leaves out no mutant", fset.Position(ig.pos), ignoreTag)
		}
	}
	return nil
}

// finder collects the mutants of one file.
type finder struct {
	fset  *token.FileSet
	file  string
	src   []byte
	stack []ast.Node // from the file down to the node being visited
	out   []mutant
}

// findMutants lists the mutants of src, the file named file, in source
// order. With funcs, only the bodies of the functions and methods so named
// ("name" or "Type.name") are mutated; without, the whole file is, imports
// and struct tags aside. It is an error for a named function to be absent.
// Mutants that a mutate:ignore comment names (see ignores) are marked with
// its reason.
func findMutants(file string, src []byte, funcs []string) ([]mutant, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.SkipObjectResolution|parser.ParseComments)
	if err != nil {
		return nil, err
	}
	fd := &finder{fset: fset, file: file, src: src}
	seen := map[string]bool{}
	var walked []ast.Node
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			name := funcName(d)
			if len(funcs) == 0 || slices.Contains(funcs, name) {
				seen[name] = true
				fd.walk(d)
				walked = append(walked, d)
			}
		case *ast.GenDecl:
			if len(funcs) == 0 && d.Tok != token.IMPORT {
				fd.walk(d)
				walked = append(walked, d)
			}
		}
	}
	for _, name := range funcs {
		if !seen[name] {
			return nil, fmt.Errorf("%s: no function %s", file, name)
		}
	}
	ms := dedupe(fd.out)
	igs, err := ignores(fset, src, f.Comments)
	if err != nil {
		return nil, err
	}
	return ms, applyIgnores(fset, ms, igs, walked)
}

// funcName is "name" for a function and "Type.name" for a method.
func funcName(d *ast.FuncDecl) string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return d.Name.Name
	}
	t := d.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if ix, ok := t.(*ast.IndexExpr); ok { // a generic receiver
		t = ix.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + d.Name.Name
	}
	return d.Name.Name
}

// walk visits n and everything under it, keeping the stack of ancestors.
func (fd *finder) walk(n ast.Node) {
	ast.Inspect(n, func(n ast.Node) bool {
		if n == nil {
			fd.stack = fd.stack[:len(fd.stack)-1]
			return false
		}
		fd.stack = append(fd.stack, n)
		fd.visit(n)
		return true
	})
}

// visit adds the mutants of one node.
func (fd *finder) visit(n ast.Node) {
	switch n := n.(type) {
	case *ast.BinaryExpr:
		fd.binary(n)
	case *ast.UnaryExpr:
		if n.Op == token.NOT || n.Op == token.SUB {
			fd.add(n.Pos(), n.X.Pos(), "", "removed unary "+n.Op.String())
		}
	case *ast.IncDecStmt:
		fd.add(n.TokPos, n.TokPos+2, swaps[n.Tok].String(), n.Tok.String()+" -> "+swaps[n.Tok].String())
	case *ast.Ident:
		if n.Name == "true" || n.Name == "false" {
			flip := map[string]string{"true": "false", "false": "true"}[n.Name]
			fd.add(n.Pos(), n.End(), flip, n.Name+" -> "+flip)
		}
	case *ast.BasicLit:
		fd.literal(n)
	case *ast.IfStmt:
		fd.negate(n.Cond, "if condition negated")
	case *ast.ForStmt:
		if n.Cond != nil {
			fd.negate(n.Cond, "loop condition negated")
		}
	case *ast.BlockStmt:
		fd.statements(n.List)
		fd.earlyReturn(n)
	case *ast.CaseClause:
		fd.statements(n.Body)
	case *ast.CommClause:
		fd.statements(n.Body)
	case *ast.ReturnStmt:
		fd.returns(n)
	}
}

// binary swaps the operator of x, except + on a string literal, which
// could not compile.
func (fd *finder) binary(x *ast.BinaryExpr) {
	to, ok := swaps[x.Op]
	if !ok || (x.Op == token.ADD && (isString(x.X) || isString(x.Y))) {
		return
	}
	fd.add(x.OpPos, x.OpPos+token.Pos(len(x.Op.String())), to.String(), x.Op.String()+" -> "+to.String())
}

func isString(e ast.Expr) bool {
	lit, ok := e.(*ast.BasicLit)
	return ok && lit.Kind == token.STRING
}

// literal changes an integer constant (0 -> 1, 1 -> 0, n -> n+1) or a
// string one (emptied, or "" -> "mutated"), leaving struct tags and import
// paths alone.
func (fd *finder) literal(lit *ast.BasicLit) {
	switch lit.Kind {
	case token.INT:
		if to, ok := nextInt(lit.Value); ok {
			fd.add(lit.Pos(), lit.End(), to, lit.Value+" -> "+to)
		}
	case token.STRING:
		if field, ok := fd.parent().(*ast.Field); ok && field.Tag == lit {
			return
		}
		s, err := strconv.Unquote(lit.Value)
		if err != nil || s != "" {
			fd.add(lit.Pos(), lit.End(), `""`, short(lit.Value)+` -> ""`)
		} else if _, ok := fd.parent().(*ast.BinaryExpr); ok { // s == "" and the like
			fd.add(lit.Pos(), lit.End(), `"mutated"`, `"" -> "mutated"`)
		}
	}
}

// nextInt is the changed integer literal, in the literal's base: 0 -> 1,
// 1 -> 0, n -> n+1.
func nextInt(lit string) (string, bool) {
	n, err := strconv.ParseInt(strings.ReplaceAll(lit, "_", ""), 0, 64)
	if err != nil {
		return "", false
	}
	to := n + 1
	if n == 1 {
		to = 0
	}
	lower := strings.ToLower(lit)
	for _, p := range []struct {
		prefix string
		base   int
	}{{"0x", 16}, {"0o", 8}, {"0b", 2}} {
		if strings.HasPrefix(lower, p.prefix) {
			return lit[:2] + strconv.FormatInt(to, p.base), true
		}
	}
	if len(lit) > 1 && lit[0] == '0' {
		return "0" + strconv.FormatInt(to, 8), true
	}
	return strconv.FormatInt(to, 10), true
}

// negate wraps a condition in !( ), unless an operator swap or the removal
// of a ! already gives the same mutant.
func (fd *finder) negate(cond ast.Expr, desc string) {
	if b, ok := cond.(*ast.BinaryExpr); ok && (b.Op == token.EQL || b.Op == token.NEQ) {
		return
	}
	if isNot(cond) {
		return
	}
	fd.add(cond.Pos(), cond.End(), "!("+fd.text(cond)+")", desc)
}

// statements removes, one at a time, each statement of list that does
// something by itself: a call, an assignment to something other than _, a
// send, a defer, a go, a break or a continue.
func (fd *finder) statements(list []ast.Stmt) {
	for _, s := range list {
		kind := ""
		switch s := s.(type) {
		case *ast.ExprStmt:
			if _, ok := s.X.(*ast.CallExpr); ok {
				kind = "call"
			}
		case *ast.AssignStmt:
			if s.Tok != token.DEFINE && !allBlank(s.Lhs) {
				kind = "assignment"
			}
		case *ast.SendStmt:
			kind = "send"
		case *ast.DeferStmt:
			kind = "defer"
		case *ast.GoStmt:
			kind = "go statement"
		case *ast.BranchStmt:
			if s.Tok == token.BREAK || s.Tok == token.CONTINUE {
				kind = s.Tok.String()
			}
		}
		if kind != "" {
			fd.add(s.Pos(), s.End(), "", "removed "+kind+": "+short(fd.text(s)))
		}
	}
}

func allBlank(exprs []ast.Expr) bool {
	for _, e := range exprs {
		if id, ok := e.(*ast.Ident); !ok || id.Name != "_" {
			return false
		}
	}
	return true
}

// earlyReturn makes a function body return at once: its zero values, or
// its named results as they start.
func (fd *finder) earlyReturn(body *ast.BlockStmt) {
	ft := fd.funcTypeOf(body)
	if ft == nil || len(body.List) == 0 {
		return
	}
	if _, ok := body.List[0].(*ast.ReturnStmt); ok {
		return
	}
	ret := "return"
	if ft.Results != nil && len(ft.Results.List) > 0 && len(ft.Results.List[0].Names) == 0 {
		var zeros []string
		for _, f := range ft.Results.List {
			zeros = append(zeros, "*new("+fd.text(f.Type)+")")
		}
		ret += " " + strings.Join(zeros, ", ")
	}
	fd.add(body.Lbrace+1, body.Lbrace+1, " "+ret+";", "function returns at once ("+ret+")")
}

// funcTypeOf is the type of the function whose body is body, or nil when
// body is not a function body.
func (fd *finder) funcTypeOf(body *ast.BlockStmt) *ast.FuncType {
	switch f := fd.parent().(type) {
	case *ast.FuncDecl:
		return f.Type
	case *ast.FuncLit:
		return f.Type
	}
	return nil
}

// returns mutates the results of a return statement: a bool result is
// negated and an error result becomes nil.
func (fd *finder) returns(r *ast.ReturnStmt) {
	types := fd.resultTypes()
	if len(types) != len(r.Results) {
		return // a bare return, or a call returning several values
	}
	for i, e := range r.Results {
		switch types[i] {
		case "bool":
			if !isBoolLiteral(e) && !isComparison(e) && !isNot(e) {
				fd.add(e.Pos(), e.End(), "!("+fd.text(e)+")", "returned bool negated")
			}
		case "error":
			if id, ok := e.(*ast.Ident); !ok || id.Name != "nil" {
				fd.add(e.Pos(), e.End(), "nil", "returned error replaced by nil")
			}
		}
	}
}

// resultTypes are the result types, one per value, of the innermost
// function around the node being visited.
func (fd *finder) resultTypes() []string {
	for i := len(fd.stack) - 1; i >= 0; i-- {
		var ft *ast.FuncType
		switch f := fd.stack[i].(type) {
		case *ast.FuncDecl:
			ft = f.Type
		case *ast.FuncLit:
			ft = f.Type
		default:
			continue
		}
		if ft.Results == nil {
			return nil
		}
		var types []string
		for _, f := range ft.Results.List {
			for range max(1, len(f.Names)) {
				types = append(types, fd.text(f.Type))
			}
		}
		return types
	}
	return nil
}

func isBoolLiteral(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && (id.Name == "true" || id.Name == "false")
}

func isNot(e ast.Expr) bool {
	u, ok := e.(*ast.UnaryExpr)
	return ok && u.Op == token.NOT
}

func isComparison(e ast.Expr) bool {
	b, ok := e.(*ast.BinaryExpr)
	return ok && (b.Op == token.EQL || b.Op == token.NEQ)
}

// add records the mutant replacing [from, to) by repl.
func (fd *finder) add(from, to token.Pos, repl, desc string) {
	p := fd.fset.Position(from)
	fd.out = append(fd.out, mutant{
		file: fd.file, fn: fd.function(), line: p.Line, col: p.Column,
		start: p.Offset, end: fd.fset.Position(to).Offset, repl: repl, desc: desc,
	})
}

// function names the function declaration around the visited node.
func (fd *finder) function() string {
	for _, n := range fd.stack {
		if d, ok := n.(*ast.FuncDecl); ok {
			return funcName(d)
		}
	}
	return ""
}

// parent is the node above the visited one.
func (fd *finder) parent() ast.Node {
	if len(fd.stack) < 2 {
		return nil
	}
	return fd.stack[len(fd.stack)-2]
}

// text is the source of n.
func (fd *finder) text(n ast.Node) string {
	return string(fd.src[fd.fset.Position(n.Pos()).Offset:fd.fset.Position(n.End()).Offset])
}

// short is s on one line, at most 40 bytes.
func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return s
}

// dedupe drops mutants that make the same change as an earlier one and
// sorts them by position.
func dedupe(ms []mutant) []mutant {
	slices.SortStableFunc(ms, func(a, b mutant) int { return a.start - b.start })
	type change struct {
		start, end int
		repl       string
	}
	seen := map[change]bool{}
	out := ms[:0]
	for _, m := range ms {
		c := change{m.start, m.end, m.repl}
		if !seen[c] {
			seen[c] = true
			out = append(out, m)
		}
	}
	return out
}
