package load

import (
	"math"
	"time"
)

// schedule gives the start times of an arrival-rate run: the rate moves
// linearly from start through each stage's target, and iteration i is due
// when the iterations due so far reach i (the first at 0).
type schedule struct {
	start  float64 // iterations a second at time 0
	stages []Stage
}

// newSchedule is the schedule of an arrival-rate scenario.
func newSchedule(s Scenario) schedule {
	if s.Executor == ConstantArrivalRate {
		return schedule{start: s.Rate, stages: []Stage{{Duration: s.Duration, Target: s.Rate}}}
	}
	return schedule{start: s.StartRate, stages: s.Stages}
}

// at returns when iteration i is due, or false when the stages end first.
// Over a stage from rate r0 to r1 in D seconds, n(t) = r0 t + (r1-r0)
// t²/2D iterations are due; at solves n(t) = rest for t.
func (sc schedule) at(i int64) (time.Duration, bool) {
	rest, offset, r0 := float64(i), 0.0, sc.start
	for _, st := range sc.stages {
		d := st.Duration.Seconds()
		a, b := (st.Target-r0)/(2*d), r0
		if due := a*d*d + b*d; due < rest {
			rest -= due
			offset += d
			r0 = st.Target
			continue
		}
		// The root of a t² + b t - rest = 0 in a form stable for a
		// of either sign and for a = 0.
		t := 0.0
		if rest > 0 {
			t = 2 * rest / (b + math.Sqrt(math.Max(b*b+4*a*rest, 0)))
		}
		return time.Duration((offset + math.Min(t, d)) * float64(time.Second)), true
	}
	return 0, false
}

// left counts the iterations from i on that are due before end.
func (sc schedule) left(i int64, end time.Duration) int64 {
	var n int64
	for ; ; i++ {
		if off, ok := sc.at(i); !ok || off >= end {
			return n
		}
		n++
	}
}
