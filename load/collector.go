package load

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/callsheet/callsheet/load/hist"
	"github.com/callsheet/callsheet/runner"
)

// maxSamples bounds the distinct failure messages kept per step.
const maxSamples = 5

// collector gathers what the users of a running test measure. Users
// record from their own goroutines; the clock's goroutine closes an
// interval every tick.
type collector struct {
	start     time.Time
	corrected bool
	// stopping is set once the test is ending: steps cut short then are
	// not errors of the server.
	stopping atomic.Bool
	dropped  atomic.Int64
	vus      atomic.Int64

	mu         sync.Mutex
	steps      map[string]*Stats
	order      []string
	iterations int64
	samples    map[string][]Sample
	// the interval under way
	interval      *hist.Histogram
	ivRequests    int64
	ivErrors      int64
	ivHTTPErrors  int64
	ivIterations  int64
	droppedBefore int64
	series        []*Point
	lastTick      time.Time
}

// Sample is a failure message of a step and how often it was seen.
type Sample struct {
	Message string `json:"message"`
	Count   int64  `json:"count"`
}

func newCollector(start time.Time, corrected bool) *collector {
	return &collector{
		start: start, corrected: corrected, lastTick: start,
		steps: map[string]*Stats{}, samples: map[string][]Sample{}, interval: hist.New(),
	}
}

// step records one step result of an iteration that started lag after its
// intended start: its figures, and its failure message when it did not
// pass. A user records the two apart (measure, failure), so that the
// steps that pass are never masked.
func (c *collector) step(sr *runner.StepResult, lag time.Duration) {
	c.measure(runner.MeasureOf(sr), lag)
	c.failure(sr)
}

// measure records the figures of one step of an iteration that started
// lag after its intended start.
func (c *collector) measure(m runner.Measure, lag time.Duration) {
	if !counted(m.Outcome, c.stopping.Load()) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.steps[m.Name]
	if s == nil {
		s = newStats(c.corrected)
		c.steps[m.Name] = s
		c.order = append(c.order, m.Name)
	}
	errs := s.HTTPErrors
	if d := s.add(m, lag); d >= 0 {
		c.interval.Record(d)
	}
	c.ivRequests++
	c.ivHTTPErrors += s.HTTPErrors - errs
	if !m.Responded && m.Outcome == runner.Errored {
		c.ivErrors++
	}
}

// failure keeps the message of a step result that failed or errored, and
// was counted.
func (c *collector) failure(sr *runner.StepResult) {
	if !counted(sr.Outcome, c.stopping.Load()) || sr.Outcome != runner.Failed && sr.Outcome != runner.Errored {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sample(sr)
}

// sample keeps the failure message of sr, up to maxSamples distinct ones
// per step. Results are masked, so the messages are too.
func (c *collector) sample(sr *runner.StepResult) {
	msg := failureMessage(sr)
	list := c.samples[sr.Name]
	for i := range list {
		if list[i].Message == msg {
			list[i].Count++
			return
		}
	}
	if len(list) < maxSamples {
		c.samples[sr.Name] = append(list, Sample{Message: msg, Count: 1})
	}
}

// failureMessage says in one line why sr did not pass.
func failureMessage(sr *runner.StepResult) string {
	if sr.Err != nil {
		return sr.Err.Error()
	}
	for _, ch := range sr.Checks {
		if !ch.Passed {
			if ch.Message != "" {
				return ch.Subject + ": " + ch.Message
			}
			return ch.Subject + ": " + ch.Actual.String() + ", want " + string(ch.Op) + " " + ch.Expected.String()
		}
	}
	return sr.Outcome.String()
}

// iteration counts one iteration that ended.
func (c *collector) iteration() {
	c.mu.Lock()
	c.iterations++
	c.ivIterations++
	c.mu.Unlock()
}

// tick closes the interval ending at now and returns its point.
func (c *collector) tick(now time.Time) *Point {
	c.mu.Lock()
	defer c.mu.Unlock()
	dropped := c.dropped.Load()
	p := &Point{
		T:        now.Sub(c.start).Seconds(),
		Width:    now.Sub(c.lastTick).Seconds(),
		Requests: c.ivRequests, Errors: c.ivErrors, HTTPErrors: c.ivHTTPErrors,
		Iterations: c.ivIterations, Dropped: dropped - c.droppedBefore,
		VUs: int(c.vus.Load()),
	}
	p.setLatency(c.interval)
	c.interval.Reset()
	c.ivRequests, c.ivErrors, c.ivHTTPErrors, c.ivIterations = 0, 0, 0, 0
	c.droppedBefore, c.lastTick = dropped, now
	c.series = compact(append(c.series, p))
	return p
}

// snapshot copies what was collected so far into a Summary, without
// percentiles or thresholds (Summary.finish).
func (c *collector) snapshot() *Summary {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := &Summary{
		Iterations: c.iterations,
		Dropped:    c.dropped.Load(),
		Series:     slices.Clone(c.series),
	}
	for _, name := range c.order {
		st := c.steps[name].clone()
		s.Steps = append(s.Steps, &StepSummary{Name: name, Stats: st, Samples: slices.Clone(c.samples[name])})
	}
	return s
}
