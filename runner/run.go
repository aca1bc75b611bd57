package runner

import (
	"context"
	"errors"
	"fmt"
	"maps"
	mrand "math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"time"

	"github.com/callsheet/callsheet/auth"
	"github.com/callsheet/callsheet/mask"

	"github.com/callsheet/callsheet/collections"
)

// defaultTimeout bounds a request when neither the step, the collection's
// defaults nor Options set a timeout.
const defaultTimeout = 30 * time.Second

// defaultBodyLimit is how much of each body a result keeps by default.
const defaultBodyLimit = 64 << 10

// boundarySeed sets the multipart boundaries' random stream apart from
// the template functions' under one --seed.
const boundarySeed = 0x6d756c7469706172

// run is the state of one Run: the scope, the clients sharing one cookie
// jar, the masker and compiled regular expressions. It lives for one call.
type run struct {
	coll   *collections.Collection
	opts   Options
	scope  *collections.Scope
	client *http.Client // follows redirects
	// noFollow is client without redirect following, for
	// follow_redirects: false.
	noFollow *http.Client
	mask     *mask.Masker
	// secretNames are the variables and captures whose values are secret.
	secretNames map[string]bool
	// check evaluates the checks of each step, and capture stores its
	// captures.
	check   *checker
	capture *capturer
	now     func() time.Time
	// sources are the token sources of the auth profiles used so far.
	sources map[string]*auth.Source
	// imported maps the names of auth profiles declared in included files
	// to the included run that renders them (authinclude.go).
	imported map[string]*run
	// chosen says which steps Options.Select runs (nil: all; select.go).
	chosen []bool
	// raw keeps the unmasked exchanges of the steps not yet final, for
	// Options.Record and Options.Exchanges; recordings are the recorded
	// exchanges of Options.Record (record.go). Included runs share both.
	raw        map[*StepResult]*rawExchange
	recordings *[]*Exchange
	// halted is set by a fail: step: nothing more runs but finally: steps
	// (flow.go).
	halted bool
	// fin holds the results until they are final (Options.OnFinal); nil
	// in an included run, whose results go through the including run's.
	fin *finals
	// rand makes multipart boundaries: seeded with --seed, so a seeded run
	// sends the same bytes each time.
	rand *mrand.Rand
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
	rn.scope.SetRuntime(opts.Templates.runtime(c))
	rn.client.CheckRedirect = redirectPolicy(rn.mask, rn.client.CheckRedirect)
	res := &Result{Name: c.Name, File: c.File, Start: rn.now()}

	rn.restoreVars()
	err := rn.initScope()
	if err == nil {
		err = rn.choose()
	}
	res.Err = rn.mask.Err(err)
	stopped := err != nil
	fin := newFinals(c, rn.secretNames)
	rn.fin = fin
	// Every result goes through emit to fin, which keeps them in order;
	// a step's results (several for repeat:, for_each: and include:,
	// flow.go and include.go) are not held here.
	for i, s := range c.Steps {
		fin.step(i)
		if stopped || !rn.runs(i) {
			sr := &StepResult{Name: s.Name, Pos: s.Pos, Step: s, Outcome: NotRun}
			if !stopped {
				rn.unselected(i, sr)
			}
			rn.emit(sr)
		} else {
			ok := rn.runStep(ctx, s) // reports each result through OnStep
			stopped = ctx.Err() != nil || !ok && !opts.Continue || rn.halted
		}
		if !fin.secretAfter[i] {
			rn.deliver()
		}
	}
	fin.step(len(c.Steps))
	rn.finally(ctx, c)
	rn.deliver()
	rn.fin = nil
	res.Steps = fin.done
	if len(fin.dropped) > 0 {
		res.Dropped = fin.dropped
	}
	res.State, res.Exchanges = rn.state(), *rn.recordings
	res.Duration = rn.now().Sub(res.Start)
	return res
}

// newRun prepares the state of one run: a copy of client with its own
// cookie jar, sharing the Transport (and its kept-alive connections).
func newRun(client *http.Client, c *collections.Collection, opts Options) *run {
	if client == nil {
		client = http.DefaultClient
	}
	follow := *client
	follow.Jar, _ = cookiejar.New(nil) // never fails with nil options
	if follow.CheckRedirect == nil {
		follow.CheckRedirect = checkRedirect(maxRedirects(opts))
	}
	noFollow := follow
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	now := opts.Now
	if now == nil {
		now = time.Now
	}
	secretNames := map[string]bool{}
	for _, n := range c.SecretNames() {
		secretNames[n] = true
	}
	for _, n := range opts.Secrets {
		secretNames[n] = true
	}
	rn := &run{
		coll:        c,
		opts:        opts,
		scope:       collections.NewScope(opts.LookupEnv),
		client:      &follow,
		noFollow:    &noFollow,
		mask:        mask.New(),
		secretNames: secretNames,
		now:         now,
		rand:        collections.NewRand(opts.Templates.Seed^boundarySeed, opts.Templates.Seeded),
		recordings:  new([]*Exchange),
	}
	if opts.Record || opts.Exchanges {
		rn.raw = map[*StepResult]*rawExchange{}
	}
	rn.evaluators()
	return rn
}

// evaluators makes the checker and the capturer of the run's scope.
func (rn *run) evaluators() {
	rn.check = &checker{scope: rn.scope, mask: rn.mask, file: rn.coll.File, updateSnapshots: rn.opts.UpdateSnapshots}
	rn.capture = &capturer{scope: rn.scope, mask: rn.mask, secret: rn.secretNames}
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
	for _, name := range slices.Sorted(maps.Keys(rn.secretNames)) {
		if v, ok := rn.scope.Get(name); ok {
			addNamed(rn.mask, name, v)
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

// step runs one step: the request (or authorization), the checks, then the
// captures. Its result is masked before it is returned.
func (rn *run) step(ctx context.Context, s *collections.Step) (*StepResult, *subject) {
	sr := &StepResult{Name: s.Name, Pos: s.Pos, Step: s}
	start := rn.now()
	defer func() {
		sr.Duration = rn.now().Sub(start)
		rn.keep(sr)
		rn.finish(sr)
	}()
	if rn.skip(s, sr) {
		return sr, nil
	}

	var subj *subject
	var err error
	if s.Authorize() != nil {
		subj, err = rn.authorize(ctx, s, sr)
	} else {
		subj, err = rn.send(ctx, s, sr)
	}
	if err != nil {
		return rn.errored(sr, err), nil
	}

	checks, err := rn.check.checks(s.Expect, subj)
	sr.Checks = checks
	if err != nil {
		return rn.errored(sr, err), nil
	}
	sr.Outcome = Passed
	for _, c := range checks {
		if !c.Passed {
			sr.Outcome = Failed
		}
	}

	captures, err := rn.capture.captures(s.Captures, subj)
	sr.Captures = captures
	if err != nil {
		sr.Outcome = Failed
		sr.Err = err
	} else if rn.opts.Strict && len(checks) == 0 && s.Authorize() == nil {
		sr.Outcome = Failed
		sr.Err = ErrNoCheck
	}
	return sr, subj
}

// ErrNoCheck is the error of a step that Options.Strict fails because it
// checks nothing.
var ErrNoCheck = errors.New("the step checks nothing: a strict run fails it (add expect:)")

// finish cuts the bodies sr holds to the body limit and masks them, then
// masks the rest of sr. It runs after the captures, so secrets captured by
// the step are masked in its own response. The bodies of a step that
// passed are dropped unmasked when nothing keeps them (dropBodies).
func (rn *run) finish(sr *StepResult) {
	limit := rn.opts.BodyLimit
	if limit == 0 {
		limit = defaultBodyLimit
	}
	keep := rn.opts.KeepBodies || sr.Outcome != Passed || sr.Step.Flow.Until != nil // until: may fail it yet
	excerpt := func(b []byte) []byte {
		if !keep {
			return nil
		}
		return rn.mask.Prefix(b, limit)
	}
	if r := sr.Request; r != nil {
		r.Truncated = r.Truncated || len(r.Body) > limit
		r.Body = excerpt(r.Body)
	}
	if r := sr.Response; r != nil {
		r.Truncated = r.Truncated || len(r.Body) > limit
		r.Body = excerpt(r.Body)
	}
	maskFields(rn.mask, sr) // the bodies are masked already
}

// errored marks sr as Errored with err wrapped in a StepError, masked:
// until:, include: and for_each: call it after the step was masked.
func (rn *run) errored(sr *StepResult, err error) *StepResult {
	se := &StepError{Step: sr.Name, Pos: sr.Pos, Err: err}
	if sr.Request != nil {
		se.Method, se.URL = sr.Request.Method, rn.mask.String(sr.Request.URL)
	}
	sr.Outcome = Errored
	sr.Err = rn.mask.Err(se)
	return sr
}

// StepError is the runtime error of an Errored step: a connection refused,
// a timeout, a TLS failure, an undefined variable, a body over the limit. It
// reads
//
//	step "me" (first-call.yaml:31:5): GET https://host/rest/v1.0/me: <cause>
//
// Err keeps the cause's chain, so errors.Is(err, context.DeadlineExceeded)
// and errors.As(err, &urlErr) work on a StepError. A result holds it
// masked (mask.Masker.Err): errors.As then hands back its MaskedCopy.
type StepError struct {
	// Step is the step's name and Pos its position.
	Step string
	Pos  collections.Pos
	// Method and URL describe the request, masked; empty when the error came
	// before the URL was known.
	Method string
	URL    string
	Err    error
}

// Error formats the error with the step, its position and the request. A
// *url.Error cause prints only its inner error, since the request is
// already named.
func (e *StepError) Error() string {
	cause := e.Err
	if ue, ok := cause.(*url.Error); ok {
		cause = ue.Err
	}
	where := fmt.Sprintf("step %q (%s)", e.Step, e.Pos)
	if e.URL != "" {
		where += ": " + e.Method + " " + e.URL
	}
	return where + ": " + cause.Error()
}

// Unwrap returns the cause.
func (e *StepError) Unwrap() error { return e.Err }

// MaskedCopy returns a copy of e whose URL and cause are masked by m.
func (e *StepError) MaskedCopy(m *mask.Masker) error {
	c := *e
	c.URL, c.Err = m.String(e.URL), m.Err(e.Err)
	return &c
}

// finals holds a run's step results until they are final: once no later
// step can capture a secret, which might have appeared in them, nothing
// about them changes. Every result emitted goes through it (run.emit);
// results held are masked again with the secrets captured since, then
// delivered in order (run.deliver).
type finals struct {
	// secretAfter says, for each step, whether a later step (or a
	// finally: step) captures a secret; capturing whether the step
	// itself does.
	secretAfter, capturing []bool
	// streaming is set while a step runs whose results are final as
	// they are emitted: neither it nor a later step captures a secret.
	streaming bool
	// held are the results not yet delivered; done are those
	// delivered, in order.
	held []heldResult
	done []*StepResult
	// dropped counts the results Options.Summaries did not keep.
	dropped map[Outcome]int
}

// heldResult is a result waiting to be final, masked with the secrets
// known when it was emitted.
type heldResult struct {
	sr       *StepResult
	maskedBy int
}

// newFinals prepares the finals of a run of c, whose secret names are
// secret.
func newFinals(c *collections.Collection, secret map[string]bool) *finals {
	captures := func(s *collections.Step) bool {
		for _, cp := range s.Captures {
			if cp.Secret || secret[cp.Name] {
				return true
			}
		}
		return false
	}
	n := len(c.Steps)
	f := &finals{secretAfter: make([]bool, n), capturing: make([]bool, n), dropped: map[Outcome]int{}}
	later := slices.ContainsFunc(c.Finally, captures)
	for i := n - 1; i >= 0; i-- {
		f.secretAfter[i] = later
		f.capturing[i] = captures(c.Steps[i])
		later = later || f.capturing[i]
	}
	return f
}

// step notes that step i (len(secretAfter) for the finally: steps)
// begins.
func (f *finals) step(i int) {
	f.streaming = i < len(f.secretAfter) && !f.secretAfter[i] && !f.capturing[i]
}

// add takes a result just emitted, masked with secrets secrets: the run
// masks each step once its captures are done, before it emits it.
func (f *finals) add(sr *StepResult, secrets int) {
	f.held = append(f.held, heldResult{sr, secrets})
}

// deliver masks each held result again when secrets were captured since
// it was emitted, then gives it to Options.OnFinal and keeps it, or only
// counts it (Options.Summaries).
func (rn *run) deliver() {
	f := rn.fin
	for _, h := range f.held {
		if h.sr.Outcome != NotRun && h.maskedBy < rn.mask.Count() {
			maskStep(rn.mask, h.sr)
		}
		rn.record(h.sr)
		if rn.opts.OnFinal != nil {
			rn.opts.OnFinal(h.sr)
		}
		if rn.opts.Summaries && (h.sr.Outcome == Passed || h.sr.Outcome == Skipped) {
			f.dropped[h.sr.Outcome]++
			continue
		}
		f.done = append(f.done, h.sr)
	}
	clear(f.held)
	f.held = f.held[:0]
}
