package load

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/runner"
)

// Test is one load test: a collection, the scenario that drives it and
// the thresholds its summary must meet.
type Test struct {
	Collection *collections.Collection
	// Scenario is the whole test's, completed (Scenario.Complete);
	// Segment says which share of it this process runs.
	Scenario Scenario
	Segment  Segment
	// Thresholds are evaluated on the summary at the end and, after
	// AbortAfter (when not 0), at every tick: the first that fails then
	// stops the test.
	Thresholds []Threshold
	AbortAfter time.Duration
	// Runner runs each iteration with Options: every user's iterations
	// have their own scope, captures and cookie jar. Give Options one
	// TokenCache (auth.MemoryCache or auth.FileCache) so that the users
	// share the auth profiles' tokens.
	Runner  *runner.Runner
	Options runner.Options
	// Tick is the width of the time series' intervals and how often
	// Progress is called; 0 means a second.
	Tick time.Duration
	// Progress, when set, is called every tick from the clock's
	// goroutine, and once more as the test ends.
	Progress func(Progress)
}

// Progress is what a running test reports every tick.
type Progress struct {
	Elapsed time.Duration
	// Point is the interval just closed.
	Point *Point
	// Requests, HTTPErrors, Iterations and Dropped are totals so far.
	Requests, HTTPErrors, Iterations, Dropped int64
	// CPU is the share of the generator's CPUs (GOMAXPROCS) it used in
	// the interval; -1 when not measured.
	CPU float64
}

// cpuBound is the share of its CPUs above which the generator counts as
// CPU-bound, and cpuBoundTicks how many intervals in a row make a warning.
const (
	cpuBound      = 0.9
	cpuBoundTicks = 3
	// lateWarning is how late, at the 99th percentile, iterations of an
	// arrival-rate run may start before a warning says so.
	lateWarning = 10 * time.Millisecond
)

// Run runs the test and returns its summary; an error only when the test
// could not start. Cancelling ctx stops the test: nothing more starts,
// iterations under way are cancelled, and the summary says it was
// interrupted.
func (t *Test) Run(ctx context.Context) (*Summary, error) {
	if t.Collection == nil || t.Runner == nil {
		return nil, errors.New("load: a test needs a collection and a runner")
	}
	sc := t.Scenario.Share(t.Segment)
	e := newEngine(t, sc)
	e.run(ctx)
	return e.summary(), nil
}

// engine is the state of one Run.
type engine struct {
	t    *Test
	sc   Scenario
	col  *collector
	tick time.Duration
	// soft ends when no iteration may start; hard cancels those under
	// way.
	soft, hard         context.Context
	stopSoft, stopHard context.CancelFunc
	aborted            string
	interrupted        bool
	watch              watch
	end                time.Time
}

func newEngine(t *Test, sc Scenario) *engine {
	tick := t.Tick
	if tick <= 0 {
		tick = time.Second
	}
	return &engine{t: t, sc: sc, tick: tick, watch: watch{cpu: cpuTime, procs: runtime.GOMAXPROCS(0)}}
}

// run drives the scenario until it ends, is aborted or ctx is done.
func (e *engine) run(ctx context.Context) {
	start := time.Now()
	e.col = newCollector(start, e.sc.Executor.arrival())
	e.hard, e.stopHard = context.WithCancel(context.WithoutCancel(ctx))
	defer e.stopHard()
	var cancel context.CancelFunc
	e.soft, cancel = context.WithDeadline(ctx, start.Add(e.sc.Duration))
	e.stopSoft = cancel
	defer cancel()

	e.watch.begin(start)
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.drive()
	}()
	e.clock(ctx, done)
	e.end = time.Now()
	e.report(e.end, e.col.tick(e.end))
}

// clock closes an interval every tick until the executor is done, and
// stops the test when ctx is done, the graceful stop has passed or a
// threshold fails under abort-on-fail.
func (e *engine) clock(ctx context.Context, done <-chan struct{}) {
	ticker := time.NewTicker(e.tick)
	defer ticker.Stop()
	var grace <-chan time.Time
	for {
		select {
		case <-done:
			return
		case <-e.soft.Done():
			e.col.stopping.Store(true)
			if ctx.Err() != nil && !e.interrupted && e.aborted == "" {
				e.interrupted = true
				e.aborted = "interrupted"
				e.stopHard()
			}
			if grace == nil {
				grace = time.After(e.sc.GracefulStop)
			}
		case <-grace:
			e.stopHard()
			grace = make(chan time.Time) // fire once
		case now := <-ticker.C:
			e.onTick(now)
		}
	}
}

// onTick closes an interval, reports progress and checks the thresholds
// under abort-on-fail.
func (e *engine) onTick(now time.Time) {
	e.report(now, e.col.tick(now))
	if e.t.AbortAfter <= 0 || now.Sub(e.col.start) < e.t.AbortAfter || e.aborted != "" {
		return
	}
	s := e.col.snapshot()
	s.Scenario, s.Seconds = e.sc, now.Sub(e.col.start).Seconds()
	s.finish()
	s.Evaluate(e.t.Thresholds)
	for _, r := range s.Thresholds {
		if !r.Passed {
			e.aborted = fmt.Sprintf("threshold %q failed at %s (%s)", r.Threshold, now.Sub(e.col.start).Round(time.Second), r.Shown)
			e.col.stopping.Store(true)
			e.stopSoft()
			e.stopHard()
			return
		}
	}
}

// report samples the CPU and gives Progress the interval p just closed
// at now, with the totals so far.
func (e *engine) report(now time.Time, p *Point) {
	cpu := e.watch.sample(now)
	if e.t.Progress == nil {
		return
	}
	e.col.mu.Lock()
	var req, errs int64
	for _, s := range e.col.steps {
		req += s.Requests
		errs += s.HTTPErrors
	}
	iters := e.col.iterations
	e.col.mu.Unlock()
	e.t.Progress(Progress{
		Elapsed: now.Sub(e.col.start), Point: p, Requests: req, HTTPErrors: errs,
		Iterations: iters, Dropped: e.col.dropped.Load(), CPU: cpu,
	})
}

// summary is the summary of the finished run, thresholds evaluated.
func (e *engine) summary() *Summary {
	s := e.col.snapshot()
	s.Collection, s.File = e.t.Collection.Name, e.t.Collection.File
	s.Scenario = e.t.Scenario
	s.Segments = []Segment{e.t.Segment}
	if e.t.Segment.Whole() {
		s.Segments = []Segment{{K: 1, N: 1}}
	}
	s.Start = e.col.start
	s.Seconds = e.end.Sub(e.col.start).Seconds()
	s.Aborted = e.aborted
	s.Warnings = e.watch.warnings(e.col)
	s.finish()
	s.Evaluate(e.t.Thresholds)
	return s
}
