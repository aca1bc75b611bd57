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
	u.opts.Summaries = true // keep nothing of a passed step
	u.opts.KeepBodies = false
	u.opts.OnFinal = nil
	u.opts.OnStep = func(sr *runner.StepResult) { e.col.step(sr, u.lag) }
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
