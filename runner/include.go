package runner

import (
	"context"
	"fmt"
	"maps"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/eval"
)

// IncludeSeparator joins the name of an include: step and the names of the
// included steps in results: "login › token". Nested includes add one
// separator per level: "setup › login › token".
const IncludeSeparator = " › "

// include runs the steps of an include: step's collection in a scope of
// its own: the run's Options.Vars, then the included collection's vars,
// then the step's vars: (evaluated in this run's scope) over both. The
// included steps' results are named name › step and reported through
// OnStep as they end; their captures are then copied into this run's
// scope. The included collection's finally: steps run at its end. A fail:
// in the included collection stops this one too.
func (rn *run) include(ctx context.Context, s *collections.Step, name string) bool {
	inc := s.Include()
	head := &StepResult{Name: name, Pos: s.Pos, Step: s}
	if rn.skip(s, head) {
		return passed(rn.emit(head))
	}
	if s.Flow.Delay > 0 {
		if err := rn.sleep(ctx, s.Flow.Delay); err != nil {
			return passed(rn.emit(rn.errored(head, fmt.Errorf("delay: %w", err))))
		}
	}
	vars, err := rn.includeVars(inc)
	if err != nil {
		return passed(rn.emit(rn.errored(head, err)))
	}
	ch := rn.child(inc.Collection, vars, name+IncludeSeparator)
	if err := ch.initScope(); err != nil {
		return passed(rn.emit(rn.errored(head, fmt.Errorf("include %s: %w", inc.Path, err))))
	}
	rn.send.tokens.importProfiles(ch.send.tokens)
	ok := ch.runAll(ctx)
	rn.halted = rn.halted || ch.halted
	for _, cp := range s.Captures {
		if v, ok := ch.scope.Get(cp.Name); ok {
			rn.scope.Set(cp.Name, v)
		}
	}
	return ok
}

// includeVars returns the overrides of an included run: the run's
// Options.Vars with the include: step's vars: rendered in this run's scope
// over them.
func (rn *run) includeVars(inc *collections.Include) (map[string]any, error) {
	vars := maps.Clone(rn.opts.Vars)
	if vars == nil {
		vars = map[string]any{}
	}
	for _, v := range inc.Vars {
		x, err := v.Value.Render(rn.scope)
		if err != nil {
			return nil, fmt.Errorf("include %s: var %q: %w", inc.Path, v.Name, err)
		}
		vars[v.Name] = x
	}
	return vars, nil
}

// child is the run of an included collection c: it shares this run's
// clients and cookies, masker, token sources, delivery and recorder, and
// has its own scope, secrets and renderer (drawing multipart boundaries
// from the same random source). Its results are named with prefix
// (after this run's own) before their names.
func (rn *run) child(c *collections.Collection, vars map[string]any, prefix string) *run {
	ch := *rn
	ch.coll, ch.prefix = c, rn.prefix+prefix
	ch.opts.Vars = vars
	ch.opts.State, ch.opts.States, ch.opts.Select = nil, nil, Selection{}
	ch.chosen, ch.halted = nil, false
	ch.secretNames = maps.Clone(rn.secretNames)
	for _, n := range c.SecretNames() {
		ch.secretNames[n] = true
	}
	send := *rn.send
	send.collTimeout = c.Defaults.Timeout
	send.tokens = rn.send.tokens.included(c)
	ch.send = &send
	scope := eval.NewScope(rn.opts.LookupEnv)
	scope.SetRuntime(rn.opts.Templates.runtime(c))
	ch.setScope(scope)
	return &ch
}

// runAll runs the collection's steps in order, then its finally: steps,
// as Run does, reporting each result through OnStep, and reports whether
// all passed or were skipped.
func (rn *run) runAll(ctx context.Context) bool {
	all := true
	stopped := false
	for _, s := range rn.coll.Steps {
		if stopped {
			rn.emit(notRun(s))
			all = false
			continue
		}
		ok := rn.runStep(ctx, s)
		all = all && ok
		stopped = ctx.Err() != nil || rn.halted || (!ok && !rn.opts.Continue)
	}
	halted := rn.halted
	all = rn.finally(ctx, rn.coll) && all
	rn.halted = halted
	return all
}

// includedProfileRun returns a run of the included collection that
// declares the auth profile name, with its scope initialised as an
// include: step would (the include's vars: rendered in rn's scope), for
// commands that use a profile outside a run (ResolveProfile). It picks the
// declaration collections.Collection.IncludedProfile picks; nil when no
// included file declares name.
func (rn *run) includedProfileRun(name string) (*run, error) {
	steps := rn.coll.Steps
	for i := len(steps) - 1; i >= 0; i-- {
		inc := steps[i].Include()
		if inc == nil || inc.Collection == nil {
			continue
		}
		nested, _ := inc.Collection.IncludedProfile(name, len(inc.Collection.Steps))
		if nested == nil && inc.Collection.Profile(name) == nil {
			continue
		}
		vars, err := rn.includeVars(inc)
		if err != nil {
			return nil, err
		}
		ch := rn.child(inc.Collection, vars, "")
		if err := ch.initScope(); err != nil {
			return nil, fmt.Errorf("include %s: %w", inc.Path, err)
		}
		if nested != nil {
			return ch.includedProfileRun(name)
		}
		return ch, nil
	}
	return nil, nil
}
