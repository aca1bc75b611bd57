package collections

import "github.com/callsheet/callsheet/eval"

// exprCache compiles the expressions of one Parse: each distinct source
// once, with one eval.Compiler (whose configuration costs more to build
// than most expressions to compile). An expression written many times
// ({{ base_url }}, {{ token }}) shares one program; each use gets its own
// *Expr with its own position. Failed compilations are not cached, so
// each occurrence reports its own error.
type exprCache struct {
	compiler eval.Compiler
	m        map[string]*Expr
}

// compile returns a fresh *Expr for src at pos, compiling src only the
// first time.
func (c *exprCache) compile(src string, pos Pos) (*Expr, error) {
	if e, ok := c.m[src]; ok {
		cp := *e
		cp.Pos = pos
		return &cp, nil
	}
	p, err := c.compiler.Compile(src)
	e, err := newExpr(src, pos, p, err)
	if err != nil {
		return nil, err
	}
	if c.m == nil {
		c.m = map[string]*Expr{}
	}
	c.m[src] = e
	cp := *e
	return &cp, nil
}
