package collections

import (
	"fmt"
	"slices"
	"sort"

	"github.com/callsheet/callsheet/eval"
)

// Exprs calls fn for every expression of the step: its request (URL, query,
// headers, body), its authorize parameters and its expected values.
func (s *Step) Exprs(fn func(*Expr)) {
	if r := s.Request(); r != nil {
		r.URL.Exprs(fn)
		for _, kv := range r.Query {
			kv.Value.Exprs(fn)
		}
		for _, kv := range r.Headers {
			kv.Value.Exprs(fn)
		}
		if b := r.Body; b != nil {
			b.JSON.Exprs(fn)
			for _, kv := range b.Fields {
				kv.Value.Exprs(fn)
			}
			for _, pt := range b.Parts {
				pt.Value.Exprs(fn)
				pt.File.Exprs(fn)
				pt.Filename.Exprs(fn)
				pt.ContentType.Exprs(fn)
				for _, kv := range pt.Headers {
					kv.Value.Exprs(fn)
				}
			}
			b.Raw.Exprs(fn)
		}
	}
	if a := s.Authorize(); a != nil {
		a.URL.Exprs(fn)
		a.ClientID.Exprs(fn)
		a.RedirectURI.Exprs(fn)
		a.Scope.Exprs(fn)
	}
	if s.If != nil {
		fn(s.If)
	}
	if f := s.Fail(); f != nil {
		f.Message.Exprs(fn)
	}
	if inc := s.Include(); inc != nil {
		for _, v := range inc.Vars {
			v.Value.Exprs(fn)
		}
	}
	s.Flow.exprs(fn)
	if e := s.Expect; e != nil {
		e.exprs(fn)
	}
}

// exprs calls fn for the expressions of the checks: their expected
// values, an inline schema and the asserts.
func (e *Expect) exprs(fn func(*Expr)) {
	for _, c := range e.Checks() {
		for _, p := range c.Predicates {
			p.Expected.Exprs(fn)
		}
	}
	if e.Schema != nil {
		e.Schema.Inline.Exprs(fn)
	}
	for _, a := range e.Asserts {
		fn(a.Expr)
	}
}

// SecretNames returns the names whose values are masked: the secrets list
// and every capture marked secret, in file order, without duplicates.
func (c *Collection) SecretNames() []string {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, n := range c.Secrets {
		add(n)
	}
	for _, s := range c.Steps {
		for _, cp := range s.Captures {
			if cp.Secret {
				add(cp.Name)
			}
		}
	}
	return out
}

// checkNames reports every expression that reads a variable which is not
// defined where the expression is evaluated, and secrets entries naming
// nothing.
func (l *loader) checkNames(c *Collection) {
	n := &nameCheck{l: l, c: c, defined: l.defined(), vars: map[string]*Var{}, capturedBy: map[string]*Step{}}
	for _, v := range c.Vars {
		n.vars[v.Name] = v
	}
	for _, s := range c.Steps {
		for _, cp := range s.Captures {
			if _, ok := n.capturedBy[cp.Name]; !ok {
				n.capturedBy[cp.Name] = s
			}
		}
	}
	n.checkVars()
	n.checkDefaultHeaders()
	captured := n.checkSteps()
	n.checkSecrets(captured)
}

// nameCheck is what checkNames knows of a collection: the names defined
// outside it, its vars by name and the first step capturing each name.
type nameCheck struct {
	l          *loader
	c          *Collection
	defined    map[string]bool
	vars       map[string]*Var
	capturedBy map[string]*Step
}

// checkVars checks that vars use only earlier vars.
func (n *nameCheck) checkVars() {
	for i, v := range n.c.Vars {
		v.Value.Exprs(func(e *Expr) {
			for _, name := range e.Names {
				if n.defined[name] {
					continue
				}
				if other := n.vars[name]; other != nil && other != v {
					if slices.Index(n.c.Vars, other) > i {
						n.l.errorf(e.Pos, len([]rune(e.Source)), "move it above, or use env.NAME", "variable %q is declared later in vars, at line %d", name, other.Pos.Line)
					}
					continue
				}
				if s, ok := n.capturedBy[name]; ok {
					n.l.errorf(e.Pos, len([]rune(e.Source)), "vars are evaluated before the first step", "%q is captured by step %q, after vars", name, s.Name)
					continue
				}
				n.l.undefined(e, name, names(n.defined, n.c.Vars[:i], nil))
			}
		})
	}
}

// checkDefaultHeaders checks that default headers use only vars.
func (n *nameCheck) checkDefaultHeaders() {
	for _, h := range n.c.Defaults.Headers {
		h.Value.Exprs(func(e *Expr) {
			for _, name := range e.Names {
				if n.defined[name] || n.vars[name] != nil {
					continue
				}
				if s, ok := n.capturedBy[name]; ok {
					n.l.errorf(e.Pos, len([]rune(e.Source)), "default headers are sent with every step: set the header on the steps after it", "%q is captured by step %q, but default headers can only use vars", name, s.Name)
					continue
				}
				n.l.undefined(e, name, names(n.defined, n.c.Vars, nil))
			}
		})
	}
}

// checkSteps checks that steps use only vars and the captures of earlier
// steps, and returns the names captured. The did-you-mean of an undefined
// name is kept up to date as captures add candidates (suggester), so many
// errors in a long file cost a comparison per new candidate, not a sort and
// a comparison with every candidate each.
func (n *nameCheck) checkSteps() map[string]bool {
	captured := map[string]bool{}
	hints := newSuggester(names(n.defined, n.c.Vars, nil))
	for _, s := range n.c.Steps {
		s.Exprs(func(e *Expr) {
			for _, name := range e.Names {
				if n.defined[name] || n.vars[name] != nil || captured[name] || s.Flow.defines(name) {
					continue
				}
				// Not captured before s, so its first capture, if any, is s or later.
				if by := n.capturedBy[name]; by != nil {
					where := fmt.Sprintf("a later step %q", by.Name)
					if by == s {
						where = "this step, after its request"
					}
					n.l.errorf(e.Pos, len([]rune(e.Source)), "a step can only use what earlier steps captured", "%q is captured by %s", name, where)
					continue
				}
				n.l.undefinedAs(e, name, hints.suggest(name))
			}
		})
		for _, cp := range s.Captures {
			if !captured[cp.Name] {
				hints.add(cp.Name)
			}
			captured[cp.Name] = true
		}
	}
	return captured
}

// checkSecrets checks that secrets name vars or captures.
func (n *nameCheck) checkSecrets(captured map[string]bool) {
	for i, name := range n.c.Secrets {
		if n.defined[name] || n.vars[name] != nil || n.capturedBy[name] != nil {
			continue
		}
		cands := names(n.defined, n.c.Vars, captured)
		hint := ""
		if len(cands) > 0 {
			hint = "secrets name vars or captures"
		}
		hint = didYouMean(name, cands, hint)
		pos := n.c.firstLine()
		if i < len(n.c.secretPos) {
			pos = n.c.secretPos[i]
		}
		n.l.errorf(pos, len([]rune(name)), hint, "secret %q is not a variable or capture", name)
	}
}

// defined is the set of names Options.Defined declares.
func (l *loader) defined() map[string]bool {
	defined := make(map[string]bool, len(l.opts.Defined))
	for _, n := range l.opts.Defined {
		defined[n] = true
	}
	return defined
}

// undefined reports an undefined name with a did-you-mean over cands.
func (l *loader) undefined(e *Expr, name string, cands []string) {
	l.undefinedAs(e, name, Suggest(name, append(cands, eval.EnvName)))
}

// undefinedAs reports an undefined name whose did-you-mean is s ("" for
// none; eval.EnvName to point at env.NAME).
func (l *loader) undefinedAs(e *Expr, name, s string) {
	hint := ""
	if s != "" {
		hint = fmt.Sprintf("did you mean %q?", s)
		if s == eval.EnvName {
			hint = "environment variables are read as env.NAME"
		}
	} else {
		hint = "declare it in vars, capture it in an earlier step, or pass --var " + name + "=…"
	}
	l.errorf(e.Pos, len([]rune(e.Source)), hint, "undefined variable %q", name)
}

// names lists the names available: defined, vars and captured, sorted.
func names(defined map[string]bool, vars []*Var, captured map[string]bool) []string {
	var out []string
	for n := range defined {
		out = append(out, n)
	}
	for _, v := range vars {
		out = append(out, v.Name)
	}
	for n := range captured {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// firstLine is the position of the collection's first line.
func (c *Collection) firstLine() Pos { return Pos{File: c.File, Line: 1, Bundled: c.Bundled} }
