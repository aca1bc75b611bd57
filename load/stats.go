package load

import (
	"errors"
	"time"

	"github.com/callsheet/callsheet/load/hist"
	"github.com/callsheet/callsheet/runner"
)

// Stats are the figures of one step of a load test, or of every step
// together: counts, and the latencies of the requests that got a
// response.
type Stats struct {
	// Requests counts the runs of the step that sent a request or tried
	// to (skipped steps and steps not reached are not counted).
	Requests int64 `json:"requests"`
	// Errors counts the steps that errored without a response (refused,
	// reset, timed out); HTTPErrors those and the responses of status 400
	// or above.
	Errors     int64 `json:"errors"`
	HTTPErrors int64 `json:"http_errors"`
	// Failed counts the steps that got a response but failed a check or
	// a capture.
	Failed int64 `json:"failed"`
	// ChecksPassed and ChecksFailed count the checks of expect:.
	ChecksPassed int64 `json:"checks_passed"`
	ChecksFailed int64 `json:"checks_failed"`
	// Latency is the time from sending each request to reading the whole
	// response, as measured (exchange.Response.Duration); for a step
	// without a response that did not error, such as an authorize step,
	// the step's duration.
	Latency *hist.Histogram `json:"latency"`
	// Corrected, in an arrival-rate run, is each latency plus how late its
	// iteration started after the time the schedule gave it: the latency
	// measured from each request's intended start (corrected for
	// coordinated omission).
	Corrected *hist.Histogram `json:"corrected,omitempty"`
}

// newStats returns empty Stats; corrected keeps the corrected latency.
func newStats(corrected bool) *Stats {
	s := &Stats{Latency: hist.New()}
	if corrected {
		s.Corrected = hist.New()
	}
	return s
}

// add counts one step whose iteration started lag after its intended
// start; it returns the latency counted, or -1 for none.
func (s *Stats) add(m runner.Measure, lag time.Duration) time.Duration {
	s.Requests++
	s.ChecksPassed += int64(m.ChecksPassed)
	s.ChecksFailed += int64(m.ChecksFailed)
	if !m.Responded && m.Outcome == runner.Errored {
		s.Errors++
		s.HTTPErrors++
		return -1
	}
	if m.Outcome == runner.Failed || m.Outcome == runner.Errored {
		s.Failed++
	}
	if m.Responded && m.Status >= 400 {
		s.HTTPErrors++
	}
	d := m.Latency // an authorize step's own duration: it has no response
	s.Latency.Record(d)
	if s.Corrected != nil {
		s.Corrected.Record(d + lag)
	}
	return d + lag
}

// merge adds o to s.
func (s *Stats) merge(o *Stats) {
	s.Requests += o.Requests
	s.Errors += o.Errors
	s.HTTPErrors += o.HTTPErrors
	s.Failed += o.Failed
	s.ChecksPassed += o.ChecksPassed
	s.ChecksFailed += o.ChecksFailed
	s.Latency.Merge(o.Latency)
	if o.Corrected != nil {
		if s.Corrected == nil {
			s.Corrected = hist.New()
		}
		s.Corrected.Merge(o.Corrected)
	}
}

// clone returns a deep copy of s.
func (s *Stats) clone() *Stats {
	c := *s
	c.Latency = s.Latency.Clone()
	if s.Corrected != nil {
		c.Corrected = s.Corrected.Clone()
	}
	return &c
}

// check reports what a Stats read from a file lacks.
func (s *Stats) check() error {
	if s == nil || s.Latency == nil {
		return errors.New("stats without a latency histogram")
	}
	return nil
}

// counted reports whether a step result is a request of the load test:
// steps skipped by if:, not reached, or cut short by the end of the test
// are not.
func counted(o runner.Outcome, stopping bool) bool {
	switch o {
	case runner.NotRun, runner.Skipped:
		return false
	case runner.Errored:
		return !stopping
	}
	return true
}
