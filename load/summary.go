package load

import (
	"time"

	"github.com/callsheet/callsheet/load/hist"
)

// FormatVersion is the version of the summary's JSON form
// (docs/load-summary.schema.json).
const FormatVersion = 1

// Summary is what a load test measured: the JSON summary that `callsheet
// load --json` writes and `callsheet load merge` reads. It holds the
// histograms themselves, so that the summaries of segments merge into
// exactly the summary of the whole.
type Summary struct {
	Format     int      `json:"format"`
	Collection string   `json:"collection"`
	File       string   `json:"file"`
	Scenario   Scenario `json:"scenario"`
	// Segments are the segments the summary holds: one, or those merged.
	Segments []Segment `json:"segments"`
	Start    time.Time `json:"start"`
	// Seconds is how long the test ran (the longest segment's).
	Seconds    float64 `json:"seconds"`
	Iterations int64   `json:"iterations"`
	// Dropped counts the iterations of an arrival-rate run that were due
	// but could not start: every user was busy, or the generator fell
	// behind and the test ended first.
	Dropped int64 `json:"dropped"`
	// RPS is the requests a second over the whole test.
	RPS float64 `json:"rps"`
	// Total are the figures of every step together; Steps those of each
	// step, in the order they first ran.
	Total *StepSummary   `json:"total"`
	Steps []*StepSummary `json:"steps"`
	// Thresholds are the thresholds evaluated on the summary.
	Thresholds []ThresholdResult `json:"thresholds"`
	// Aborted says why the test stopped early: a threshold failed under
	// abort-on-fail, or the run was interrupted.
	Aborted string `json:"aborted,omitempty"`
	// Warnings say when the figures may not measure the server: the
	// generator was CPU-bound, or iterations started late.
	Warnings []string `json:"warnings"`
	Series   []*Point `json:"series"`
}

// StepSummary are the figures of one step, or of all steps together.
type StepSummary struct {
	Name string `json:"name"`
	*Stats
	// RPS is the step's requests a second over the whole test.
	RPS float64 `json:"rps"`
	// Percentiles are those of Latency; Corrected those of the corrected
	// latency, in arrival-rate runs.
	Percentiles          Percentiles  `json:"percentiles"`
	CorrectedPercentiles *Percentiles `json:"corrected_percentiles,omitempty"`
	// Samples are the first distinct failure messages, masked.
	Samples []Sample `json:"samples,omitempty"`
}

// Percentiles describe a latency distribution, in milliseconds.
type Percentiles struct {
	Min  float64 `json:"min_ms"`
	Mean float64 `json:"mean_ms"`
	P50  float64 `json:"p50_ms"`
	P90  float64 `json:"p90_ms"`
	P95  float64 `json:"p95_ms"`
	P99  float64 `json:"p99_ms"`
	P999 float64 `json:"p99_9_ms"`
	Max  float64 `json:"max_ms"`
}

func percentiles(h *hist.Histogram) Percentiles {
	return Percentiles{
		Min: ms(h.Min()), Mean: ms(h.Mean()), Max: ms(h.Max()),
		P50: ms(h.Quantile(0.5)), P90: ms(h.Quantile(0.9)), P95: ms(h.Quantile(0.95)),
		P99: ms(h.Quantile(0.99)), P999: ms(h.Quantile(0.999)),
	}
}

// Primary returns the latency histogram that thresholds and headlines read: the
// corrected latency when there is one.
func (s *StepSummary) Primary() *hist.Histogram {
	if s.Corrected != nil {
		return s.Corrected
	}
	return s.Stats.Latency
}

// finish computes what the summary derives from its histograms and
// counts: the total, the rates and the percentiles.
func (s *Summary) finish() {
	s.Format = FormatVersion
	s.Total = &StepSummary{Stats: newStats(false)}
	if s.Scenario.Executor.arrival() {
		s.Total.Corrected = hist.New()
	}
	for _, st := range s.Steps {
		s.Total.merge(st.Stats)
	}
	for _, st := range append([]*StepSummary{s.Total}, s.Steps...) {
		st.Percentiles = percentiles(st.Stats.Latency)
		st.CorrectedPercentiles = nil
		if st.Corrected != nil {
			p := percentiles(st.Corrected)
			st.CorrectedPercentiles = &p
		}
		if s.Seconds > 0 {
			st.RPS = float64(st.Requests) / s.Seconds
		}
	}
	s.RPS = s.Total.RPS
	if s.Warnings == nil {
		s.Warnings = []string{}
	}
	if s.Thresholds == nil {
		s.Thresholds = []ThresholdResult{}
	}
}

// Step returns the summary of the step named name, nil when none ran.
func (s *Summary) Step(name string) *StepSummary {
	for _, st := range s.Steps {
		if st.Name == name {
			return st
		}
	}
	return nil
}

// Passed reports whether every threshold held.
func (s *Summary) Passed() bool {
	for _, t := range s.Thresholds {
		if !t.Passed {
			return false
		}
	}
	return true
}
