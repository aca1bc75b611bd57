package load

import (
	"context"
	"time"

	"github.com/callsheet/callsheet/runner"
)

// user is one virtual user: it runs iterations one after another, each a
// run of the collection with its own scope, captures and cookie jar.
type user struct {
	e    *engine
	opts runner.Options
	// lag is how late the iteration under way started after its
	// intended start (arrival-rate runs), added to its corrected
	// latencies.
	lag time.Duration
}

func (e *engine) newUser() *user {
	u := &user{e: e, opts: e.t.Options}
	// A step that passed is counted (OnMeasure) and nothing else: it is
	// neither kept, masked nor handed on; the others are read whole for
	// their failure messages.
	u.opts.Summaries = true
	u.opts.CountPassed = true
	u.opts.NoState = true // no iteration's state is saved
	u.opts.KeepBodies = false
	u.opts.OnFinal = nil
	u.opts.OnMeasure = func(m runner.Measure) { e.col.measure(m, u.lag) }
	u.opts.OnStep = e.col.failure
	return u
}

// iterate runs the collection once; due is its intended start, zero when
// the user starts it as soon as it can.
func (u *user) iterate(ctx context.Context, due time.Time) {
	u.lag = 0
	if !due.IsZero() {
		u.lag = max(time.Since(due), 0)
		u.e.watch.late(u.lag)
	}
	u.e.col.vus.Add(1)
	u.e.t.Runner.Run(ctx, u.e.t.Collection, u.opts)
	u.e.col.vus.Add(-1)
	u.e.col.iteration()
}
