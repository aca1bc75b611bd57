package load

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// scenarioJSON is a Scenario with its durations written as Go durations
// ("30s"), as a collection writes them.
type scenarioJSON struct {
	Executor     Executor    `json:"executor"`
	VUs          int         `json:"vus,omitempty"`
	MaxVUs       int         `json:"max_vus,omitempty"`
	StartVUs     int         `json:"start_vus,omitempty"`
	Duration     string      `json:"duration,omitempty"`
	Iterations   int         `json:"iterations,omitempty"`
	Rate         float64     `json:"rate,omitempty"`
	StartRate    float64     `json:"start_rate,omitempty"`
	Stages       []stageJSON `json:"stages,omitempty"`
	GracefulStop string      `json:"graceful_stop,omitempty"`
}

type stageJSON struct {
	Duration string  `json:"duration"`
	Target   float64 `json:"target"`
}

func durationText(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

func parseDurationText(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	return time.ParseDuration(s)
}

// MarshalJSON writes s with durations such as "30s".
func (s Scenario) MarshalJSON() ([]byte, error) {
	j := scenarioJSON{Executor: s.Executor, VUs: s.VUs, MaxVUs: s.MaxVUs, StartVUs: s.StartVUs,
		Duration: durationText(s.Duration), Iterations: s.Iterations, Rate: s.Rate, StartRate: s.StartRate,
		GracefulStop: durationText(s.GracefulStop)}
	for _, st := range s.Stages {
		j.Stages = append(j.Stages, stageJSON{Duration: durationText(st.Duration), Target: st.Target})
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (s *Scenario) UnmarshalJSON(b []byte) error {
	var j scenarioJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	out := Scenario{Executor: j.Executor, VUs: j.VUs, MaxVUs: j.MaxVUs, StartVUs: j.StartVUs,
		Iterations: j.Iterations, Rate: j.Rate, StartRate: j.StartRate}
	var errs []error
	var err error
	out.Duration, err = parseDurationText(j.Duration)
	errs = append(errs, err)
	out.GracefulStop, err = parseDurationText(j.GracefulStop)
	errs = append(errs, err)
	for _, st := range j.Stages {
		d, err := parseDurationText(st.Duration)
		errs = append(errs, err)
		out.Stages = append(out.Stages, Stage{Duration: d, Target: st.Target})
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("scenario: %w", err)
	}
	*s = out
	return nil
}

// maxSegments bounds N in a summary read back.
const maxSegments = 10_000

// WriteJSON writes s as indented JSON.
func (s *Summary) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// ReadSummary reads a summary WriteJSON wrote, checking what a merge
// relies on: the format version, the histograms and the series.
func ReadSummary(r io.Reader) (*Summary, error) {
	var s Summary
	dec := json.NewDecoder(r)
	if err := dec.Decode(&s); err != nil {
		return nil, err
	}
	if s.Format != FormatVersion {
		return nil, fmt.Errorf("summary format %d, want %d", s.Format, FormatVersion)
	}
	if len(s.Segments) == 0 {
		return nil, errors.New("summary names no segment")
	}
	for _, g := range s.Segments {
		if g.K < 1 || g.K > g.N || g.N > maxSegments {
			return nil, fmt.Errorf("segment %d/%d: want 1 <= K <= N <= %d", g.K, g.N, maxSegments)
		}
	}
	for _, st := range s.Steps {
		if st == nil || st.Stats.check() != nil {
			return nil, errors.New("a step of the summary has no latency histogram")
		}
	}
	for i, p := range s.Series {
		if p == nil || !(p.Width > 0) || !(p.T >= 0) || math.IsInf(p.T, 0) || math.IsInf(p.Width, 0) {
			return nil, fmt.Errorf("series point %d has no width or time", i+1)
		}
	}
	return &s, nil
}
