package collections

import "sort"

// EnvUse is one read of an environment variable through env.NAME in a
// collection.
type EnvUse struct {
	Name string
	// Pos is the position of the expression that reads it, Len its
	// length in characters.
	Pos Pos
	Len int
	// Optional is true when the expression has a fallback (env.NAME ?? "x").
	Optional bool
}

// EnvUses lists, in file order, the reads of environment variables a run
// of c may evaluate: in the vars that given does not override (an
// overridden var's template is never evaluated), the default headers, the
// steps (finally: included) and the auth profiles. The files that include:
// steps name are not read.
func (c *Collection) EnvUses(given func(name string) bool) []EnvUse {
	var out []EnvUse
	add := func(e *Expr) {
		for _, ref := range e.Env {
			out = append(out, EnvUse{Name: ref.Name, Pos: e.Pos, Len: len([]rune(e.Source)), Optional: ref.Optional})
		}
	}
	for _, v := range c.Vars {
		if given == nil || !given(v.Name) {
			v.Value.Exprs(add)
		}
	}
	for _, h := range c.Defaults.Headers {
		h.Value.Exprs(add)
	}
	for _, s := range append(append([]*Step{}, c.Steps...), c.Finally...) {
		s.Exprs(add)
	}
	for _, p := range c.Auth {
		p.Templates(func(_ string, t *Template) { t.Exprs(add) })
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Pos, out[j].Pos
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
	return out
}

// MissingEnv returns an error for each environment variable c reads
// without a fallback that lookup does not find, all of them at once, at
// the first place each is read; given reports the variables defined
// outside the collection (see EnvUses). It returns nil when none is
// missing.
func (c *Collection) MissingEnv(given func(name string) bool, lookup func(string) (string, bool)) ErrorList {
	var errs ErrorList
	seen := map[string]bool{}
	for _, u := range c.EnvUses(given) {
		if u.Optional || seen[u.Name] {
			continue
		}
		seen[u.Name] = true
		if _, ok := lookup(u.Name); ok {
			continue
		}
		errs = append(errs, &Error{
			Pos:  u.Pos,
			Len:  u.Len,
			Msg:  "environment variable " + u.Name + " is not set",
			Hint: "export " + u.Name + "=…, or put " + u.Name + "=… in the --env-file",
		})
	}
	return errs
}
