package console

import (
	"maps"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/runner"
)

// knownValues are the values a step line may show in a URL that was not
// sent (a step not run, skipped, or an authorize step whose code was
// given): the variables of the run that are not secret.
type knownValues map[string]any

// givenValues are the values known before a run of c: those given outside
// it (outer), and its vars that are written literally or name a known
// value. Nothing is evaluated that could differ from the run's own value
// (functions, the environment) and no secret is kept.
func givenValues(c *collections.Collection, outer map[string]any, secrets []string) knownValues {
	known := knownValues(maps.Clone(outer))
	if known == nil {
		known = knownValues{}
	}
	for _, v := range c.Vars {
		if _, given := outer[v.Name]; given || v.Value == nil {
			continue
		}
		plain := true
		v.Value.Exprs(func(e *collections.Expr) {
			if _, ok := known[e.Source]; !e.IsName() || !ok {
				plain = false
			}
		})
		if !plain {
			continue
		}
		scope := eval.NewScope(nil)
		for name, x := range known {
			scope.Set(name, x)
		}
		if x, err := v.Value.Render(scope); err == nil {
			known[v.Name] = x
		}
	}
	known.forget(append(c.SecretNames(), secrets...))
	return known
}

// finalValues are the values a run ended with (runner.Result.State),
// without its secrets, or nil when it kept none.
func finalValues(c *collections.Collection, st *runner.State, secrets []string) knownValues {
	if st == nil {
		return nil
	}
	known := knownValues{}
	maps.Copy(known, st.Vars)
	maps.Copy(known, st.Captures)
	known.forget(append(append(c.SecretNames(), secrets...), st.SecretNames()...))
	return known
}

// forget drops the values of names.
func (k knownValues) forget(names []string) {
	for _, n := range names {
		delete(k, n)
	}
}

// render writes t with each {{ name }} whose value is known replaced by
// it; every other expression stays as written.
func (k knownValues) render(t *collections.Template) string {
	if t == nil {
		return ""
	}
	var out []byte
	for _, p := range t.Parts {
		if p.Expr == nil {
			out = append(out, p.Literal...)
			continue
		}
		if x, ok := k[p.Expr.Source]; ok && p.Expr.IsName() {
			out = append(out, eval.Stringify(x)...)
			continue
		}
		out = append(out, "{{ "+p.Expr.Source+" }}"...)
	}
	return string(out)
}
