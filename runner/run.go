package runner

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/mask"
)

// defaultBodyLimit is how much of each body a result keeps by default.
const defaultBodyLimit = 64 << 10

// boundarySeed sets the multipart boundaries' random stream apart from
// the template functions' under one --seed.
const boundarySeed = 0x6d756c7469706172

// run is one Run of a collection: the steps in order and their control
// flow, over the pieces that do the work (renderer, sender, checker,
// capturer, delivery, recorder). It lives for one call; an include: step
// runs the included collection in a run of its own (include.go).
type run struct {
	coll  *collections.Collection
	opts  Options
	scope *eval.Scope
	mask  *mask.Masker
	// secretNames are the variables and captures whose values are secret;
	// the capturer adds the captures found secret.
	secretNames map[string]bool

	render  renderer
	send    *sender
	check   checker
	capture capturer
	// contract checks responses against OpenAPI descriptions (nil when
	// the collection names none); included runs share it.
	contract *contracts
	// out takes each result and delivers it once final; rec records the
	// exchanges. Included runs share both.
	out *delivery
	rec *recorder

	// prefix goes before the names of the results of an included run:
	// "login › ".
	prefix string
	// chosen says which steps Options.Select runs (nil: all; select.go).
	chosen []bool
	// halted is set by a fail: step: nothing more runs but finally: steps
	// (flow.go).
	halted bool
	now    func() time.Time
}

// Run runs the steps of c in order and returns what happened. It stops at
// the first step that fails or errors, unless opts.Continue is set, and
// stops when ctx is done. Run never returns nil; a run that could not start
// (a variable failed to evaluate) has Result.Err set and every step NotRun.
//
// Each call has its own scope and cookie jar, so a Runner may run several
// collections at once.
func (r *Runner) Run(ctx context.Context, c *collections.Collection, opts Options) *Result {
	ctx, cancel := withMaxTime(ctx, opts.MaxTime)
	defer cancel()
	rn := newRun(r.Client, c, opts)
	res := &Result{Name: c.Name, File: c.File, Start: rn.now()}
	rn.restoreVars()
	var err error
	if rn.contract, err = r.contracts.get(ctx, c, rn.mask); err == nil {
		err = rn.initScope()
	}
	if err == nil {
		err = rn.choose()
	}
	res.Err = rn.mask.Err(err)
	// The secret names are known once the state is restored.
	rn.out = newDelivery(c, rn.secretNames, opts, rn.mask, rn.rec)
	rn.steps(ctx, err != nil)
	res.Steps, res.Exchanges = rn.out.done, rn.rec.made()
	if !rn.opts.NoState {
		res.State = rn.state()
	}
	res.Dropped, res.Unseen = rn.out.counts()
	res.Duration = rn.now().Sub(res.Start)
	return res
}

// steps runs the collection's steps in order, then its finally: steps;
// stopped says the run could not start, and none runs. Each result goes
// through rn.out, which keeps them in order; a step's results (several
// for repeat:, for_each: and include:) are not held here.
func (rn *run) steps(ctx context.Context, stopped bool) {
	for i, s := range rn.coll.Steps {
		rn.out.begin(i)
		if stopped || !rn.runs(i) {
			sr := notRun(s)
			if !stopped {
				rn.unselected(i, sr)
			}
			rn.emit(sr)
		} else {
			ok := rn.runStep(ctx, s)
			stopped = ctx.Err() != nil || !ok && !rn.opts.Continue || rn.halted
		}
		rn.out.end(i)
	}
	rn.out.begin(len(rn.coll.Steps))
	rn.finally(ctx, rn.coll)
	rn.out.deliver()
}

// newRun prepares a run of c: its scope, its masker and the pieces that
// do the work.
func newRun(client *http.Client, c *collections.Collection, opts Options) *run {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	rn := &run{coll: c, opts: opts, mask: mask.New(), secretNames: map[string]bool{}, now: now}
	for _, names := range [][]string{c.SecretNames(), opts.Secrets} {
		for _, n := range names {
			rn.secretNames[n] = true
		}
	}
	rn.send = newSender(client, opts, rn.mask, now)
	rn.send.collTimeout = c.Defaults.Timeout
	rn.send.tokens = &tokens{coll: c, mask: rn.mask, opts: opts.AuthOptions, person: opts.Person,
		client: rn.send.follow, now: now}
	rn.rec = newRecorder(opts.Retention, rn.mask)
	scope := eval.NewScope(opts.LookupEnv)
	scope.SetRuntime(opts.Templates.runtime(c))
	rn.setScope(scope)
	return rn
}

// setScope makes scope the run's scope, and that of its renderer, checker
// and capturer.
func (rn *run) setScope(scope *eval.Scope) {
	rn.scope = scope
	rand := rn.render.rand // one stream of boundaries for the run and its includes
	if rand == nil && rn.opts.Templates.Seeded {
		rand = eval.NewRand(rn.opts.Templates.Seed^boundarySeed, true)
	} // else seeded from crypto/rand at the first boundary
	rn.render = renderer{scope: scope, coll: rn.coll, computed: rn.opts.Exchanges, secret: rn.secretNames, rand: rand}
	rn.send.tokens.render = &rn.render
	rn.check = checker{scope: scope, mask: rn.mask, file: rn.coll.File, updateSnapshots: rn.opts.UpdateSnapshots}
	rn.capture = capturer{scope: scope, mask: rn.mask, secret: rn.secretNames, named: rn.rec != nil}
}

// initScope sets the overrides, then evaluates the collection's vars in
// order, skipping those that are overridden (so their templates, and the
// environment variables they read, are never evaluated). It then registers
// the values of secret variables with the masker.
func (rn *run) initScope() error {
	for name, v := range rn.opts.Vars {
		rn.scope.Set(name, normalizeInt(v))
	}
	for _, v := range rn.coll.Vars {
		if _, overridden := rn.opts.Vars[v.Name]; overridden {
			continue
		}
		x, err := v.Value.Render(rn.scope)
		if err != nil {
			return fmt.Errorf("var %q: %w", v.Name, err)
		}
		rn.scope.Set(v.Name, x)
	}
	if len(rn.secretNames) > 0 {
		for _, name := range slices.Sorted(maps.Keys(rn.secretNames)) {
			if v, ok := rn.scope.Get(name); ok {
				addSecret(rn.mask, rn.rec != nil, name, v)
			}
		}
	}
	// A code given with --var code=… is an authorization code, and secret
	// from the start, when an authorize step takes it.
	if v, ok := rn.opts.Vars[codeVar]; ok && takesCode(rn.coll) {
		addValue(rn.mask, v)
	}
	return nil
}

// normalizeInt converts Go ints, which callers may put in Options.Vars, to
// the int64 that templates and comparisons expect.
func normalizeInt(v any) any {
	switch n := v.(type) {
	case int:
		return int64(n)
	case int32:
		return int64(n)
	}
	return v
}

// emit hands sr, named with the run's prefix, to the run's delivery and
// returns it.
func (rn *run) emit(sr *StepResult) *StepResult {
	sr.Name = rn.prefix + sr.Name
	return rn.out.emit(sr)
}
