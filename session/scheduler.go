package session

import (
	"context"
	"errors"
	"sync"

	"github.com/callsheet/callsheet/runner"
)

// Summary is what a session's runs came to.
type Summary struct {
	// Verdict is the worst verdict of the results: Passed, Failed or
	// Errored (see Verdict).
	Verdict runner.Outcome
	// Interrupted is set when the context was cancelled (Ctrl-C):
	// nothing more was sent, and the units not reached were not run.
	Interrupted bool
	// TimedOut is set when Options.MaxTime expired: the step under way
	// errored with a *runner.MaxTimeError, the rest were not run.
	TimedOut bool
}

// Run runs the units of the plan with r, up to Workers at once, and gives
// every unit to consumers, and to the state saver and the watch when the
// options ask for them (before the others). Each consumer gets each step
// of a unit as it becomes final, and the results in plan order; then its
// End. With Bail, nothing more starts after a unit that did not pass, and
// the units running are cancelled: their steps cancelled are not run
// (their finally: steps still run). When ctx is done nothing more starts
// either. A unit that never starts has every step not run. The error
// joins those of the consumers' End.
func (s *Session) Run(ctx context.Context, r *runner.Runner, consumers ...Consumer) (Summary, error) {
	if s.state != nil {
		consumers = append([]Consumer{s.state}, consumers...)
	}
	if s.opts.Watch != nil {
		consumers = append([]Consumer{s.opts.Watch}, consumers...)
	}
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if err := s.resolveRemote(ctx, r.Client); err != nil {
		return Summary{}, err // nothing sent (arazzo_remote.go)
	}
	sc := &scheduler{s: s, r: r, consumers: consumers, needs: needsOf(consumers), parent: ctx}
	sc.ctx, sc.bail = context.WithCancel(ctx)
	defer sc.bail()
	sc.verdict = runner.Passed
	if s.Workers() == 1 {
		for _, u := range s.units {
			sc.deliver(sc.run(u))
		}
	} else {
		sc.parallel()
	}
	var errs []error
	for _, c := range consumers {
		errs = append(errs, c.End())
	}
	sum := Summary{Verdict: sc.verdict}
	if ctx.Err() != nil {
		var mt *runner.MaxTimeError
		sum.TimedOut = errors.As(context.Cause(ctx), &mt)
		sum.Interrupted = !sum.TimedOut
	}
	return sum, errors.Join(errs...)
}

// bound limits ctx to MaxTime, for the whole session: every unit, however
// many run at once.
func (s *Session) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	if s.opts.MaxTime <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeoutCause(ctx, s.opts.MaxTime, &runner.MaxTimeError{D: s.opts.MaxTime})
}

// scheduler runs the units of one Run.
type scheduler struct {
	s         *Session
	r         *runner.Runner
	consumers []Consumer
	needs     runner.Needs
	// parent is the session's context; ctx is cancelled by bail too.
	parent, ctx context.Context
	bail        context.CancelFunc
	mu          sync.Mutex
	stopped     bool // a unit failed under Bail
	verdict     runner.Outcome
}

// parallel runs the units with Workers goroutines and delivers the
// results in plan order, each as soon as the units before it are
// delivered.
func (sc *scheduler) parallel() {
	units := sc.s.units
	runs := make([][]Run, len(units))
	results := make([]*runner.Result, len(units))
	next, finished := make(chan int), make(chan int)
	go func() {
		defer close(next)
		for i := range units {
			next <- i
		}
	}()
	var wg sync.WaitGroup
	for range sc.s.Workers() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				runs[i], results[i] = sc.run(units[i])
				finished <- i
			}
		}()
	}
	ready := make([]bool, len(units))
	for i := range units {
		for !ready[i] {
			ready[<-finished] = true
		}
		sc.deliver(runs[i], results[i])
		runs[i], results[i] = nil, nil // delivered: not needed again
	}
	wg.Wait()
}

// run starts the consumers' runs of u and runs it, unless the session
// stopped (Bail, or ctx done): its steps are then all not run.
func (sc *scheduler) run(u *Unit) ([]Run, *runner.Result) {
	runs := make([]Run, len(sc.consumers))
	for i, c := range sc.consumers {
		runs[i] = c.Start(u)
	}
	sc.mu.Lock()
	skip := sc.stopped || sc.ctx.Err() != nil
	sc.mu.Unlock()
	if skip {
		return runs, notRun(u)
	}
	var lives []Live
	for _, r := range runs {
		if l, ok := r.(Live); ok {
			lives = append(lives, l)
			l.Begin()
		}
	}
	opts := sc.s.runOptions(u, sc.needs)
	opts.OnStep = func(st *runner.StepResult) {
		if sc.ctx.Err() != nil && sc.parent.Err() == nil {
			bailed(st)
		}
		for _, l := range lives {
			l.Progress(st)
		}
	}
	opts.OnFinal = func(st *runner.StepResult) {
		for _, r := range runs {
			r.Step(st)
		}
	}
	res := u.run(sc.ctx, sc.r, opts)
	for _, l := range lives {
		l.Done()
	}
	res.Name = u.Name()
	if sc.s.opts.Bail && Verdict(res) != runner.Passed {
		sc.mu.Lock()
		sc.stopped = true
		sc.mu.Unlock()
		sc.bail() // stop the units still running
	}
	return runs, res
}

// deliver gives a unit's result to the consumers' runs.
func (sc *scheduler) deliver(runs []Run, res *runner.Result) {
	switch v := Verdict(res); {
	case v == runner.Errored, v == runner.Failed && sc.verdict == runner.Passed:
		sc.verdict = v
	}
	for _, r := range runs {
		r.Result(res)
	}
}

// notRun is the result of a unit that never started: every step not run.
func notRun(u *Unit) *runner.Result {
	res := &runner.Result{Name: u.Name(), File: u.Collection.File}
	for _, s := range u.Collection.Steps {
		res.Steps = append(res.Steps, &runner.StepResult{Name: s.Name, Pos: s.Pos, Step: s, Outcome: runner.NotRun})
	}
	return res
}

// bailed marks a step that Bail cancelled as not run: it did not fail,
// another unit did.
func bailed(s *runner.StepResult) {
	if s.Outcome == runner.Errored && errors.Is(s.Err, context.Canceled) {
		s.Outcome, s.Err = runner.NotRun, nil
	}
}
