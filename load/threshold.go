package load

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/lazyregexp"
)

// Threshold is a condition on a metric of a load test, of every step or
// of one: `p95 < 200ms`, `checks > 99%`, `me: p95 < 200ms`.
type Threshold struct {
	// Text is the threshold as written.
	Text string
	// Pos is where a collection's load: mapping wrote it; zero for a
	// flag.
	Pos collections.Pos
	// Step names the step the metric is of; "" means every step.
	Step   string
	Metric string
	Op     string
	// Value is in the metric's unit: milliseconds for latencies, a share
	// from 0 to 1 for ratios, else a plain number.
	Value float64
}

// metricKind is what a metric measures, which says how its value is
// written.
type metricKind int

const (
	latencyMetric metricKind = iota // a duration, such as 200ms
	ratioMetric                     // a share, such as 99% or 0.99
	countMetric                     // a number
)

// metrics lists the metrics a threshold may name, beside pNN.
var metrics = map[string]metricKind{
	"min": latencyMetric, "max": latencyMetric, "mean": latencyMetric, "avg": latencyMetric, "med": latencyMetric,
	"checks": ratioMetric, "http_errors": ratioMetric, "errors": ratioMetric, "failed": ratioMetric,
	"rps": countMetric, "requests": countMetric, "iterations": countMetric, "dropped": countMetric,
}

// totalOnly are the metrics of the whole test, not of a step.
var totalOnly = map[string]bool{"iterations": true, "dropped": true}

var (
	thresholdRe  = lazyregexp.New(`^\s*(?:(.*\S)\s*:\s+)?([a-z_]+[0-9.]*\s*(?:<=|>=|==|!=|<|>)\s*\S+)\s*$`)
	exprRe       = lazyregexp.New(`^\s*([a-z_]+[0-9.]*)\s*(<=|>=|==|!=|<|>)\s*(\S+)\s*$`)
	percentileRe = lazyregexp.New(`^p(\d+(?:\.\d+)?)$`)
)

// ParseThreshold reads a threshold: [STEP: ]METRIC OP VALUE. METRIC is a
// latency (p50, p95, p99, p99.9 or any pNN, min, max, mean, med), a ratio
// (checks, http_errors, errors, failed) or a number (rps, requests,
// iterations, dropped). OP is <, <=, >, >=, == or !=.
func ParseThreshold(text string) (Threshold, error) {
	m := thresholdRe.FindStringSubmatch(text)
	if m == nil {
		return Threshold{}, fmt.Errorf("threshold %q: want [STEP: ]METRIC OP VALUE, such as p95 < 200ms", text)
	}
	return parseExpr(m[2], m[1])
}

// parseExpr reads METRIC OP VALUE, a threshold of step ("" for all).
func parseExpr(expr, step string) (Threshold, error) {
	text := expr
	if step != "" {
		text = step + ": " + expr
	}
	m := exprRe.FindStringSubmatch(expr)
	if m == nil {
		return Threshold{}, fmt.Errorf("threshold %q: want METRIC OP VALUE, such as p95 < 200ms", text)
	}
	t := Threshold{Text: text, Step: step, Metric: m[1], Op: m[2]}
	kind, err := metricOf(t.Metric)
	if err != nil {
		return t, fmt.Errorf("threshold %q: %w", text, err)
	}
	if t.Step != "" && totalOnly[t.Metric] {
		return t, fmt.Errorf("threshold %q: %s is a figure of the whole test, not of a step", text, t.Metric)
	}
	if t.Value, err = thresholdValue(kind, m[3]); err != nil {
		return t, fmt.Errorf("threshold %q: %w", text, err)
	}
	return t, nil
}

// metricOf returns the kind of a metric name.
func metricOf(name string) (metricKind, error) {
	if k, ok := metrics[name]; ok {
		return k, nil
	}
	if m := percentileRe.FindStringSubmatch(name); m != nil {
		if q, _ := strconv.ParseFloat(m[1], 64); q > 0 && q <= 100 {
			return latencyMetric, nil
		}
	}
	names := []string{"p50", "p90", "p95", "p99", "p99.9"}
	for n := range metrics {
		names = append(names, n)
	}
	msg := fmt.Sprintf("unknown metric %q", name)
	if s := collections.Suggest(name, names); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return 0, errors.New(msg)
}

// thresholdValue reads the value of a metric of kind k.
func thresholdValue(k metricKind, s string) (float64, error) {
	switch k {
	case latencyMetric:
		d, err := time.ParseDuration(s)
		if err != nil {
			return 0, fmt.Errorf("%q is not a duration (write 200ms, 1.5s)", s)
		}
		return float64(d) / float64(time.Millisecond), nil
	case ratioMetric:
		if p, ok := strings.CutSuffix(s, "%"); ok {
			v, err := strconv.ParseFloat(p, 64)
			if err != nil || v < 0 || v > 100 {
				return 0, fmt.Errorf("%q is not a percentage from 0%% to 100%%", s)
			}
			return v / 100, nil
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < 0 || v > 1 {
			return 0, fmt.Errorf("%q is not a share (write 99%% or 0.99)", s)
		}
		return v, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return v, nil
}

// ThresholdResult is a threshold evaluated on a summary.
type ThresholdResult struct {
	Threshold string `json:"threshold"`
	Step      string `json:"step,omitempty"`
	Metric    string `json:"metric"`
	// Actual is the metric's value, in the threshold's unit; Shown is it
	// as written (142.3ms, 99.2%, 1510.4).
	Actual float64 `json:"actual"`
	Shown  string  `json:"shown"`
	Passed bool    `json:"passed"`
}

// Evaluate evaluates ts on s and stores the results in s.Thresholds. A
// step that never ran fails its thresholds, with the actual value 0.
func (s *Summary) Evaluate(ts []Threshold) {
	s.Thresholds = make([]ThresholdResult, 0, len(ts))
	for _, t := range ts {
		v, shown := s.metric(t)
		s.Thresholds = append(s.Thresholds, ThresholdResult{
			Threshold: t.Text, Step: t.Step, Metric: t.Metric, Actual: v, Shown: shown,
			Passed: holds(v, t.Op, t.Value) && (t.Step == "" || s.Step(t.Step) != nil),
		})
	}
}

func holds(v float64, op string, want float64) bool {
	switch op {
	case "<":
		return v < want
	case "<=":
		return v <= want
	case ">":
		return v > want
	case ">=":
		return v >= want
	case "==":
		return v == want
	}
	return v != want
}

// metric returns the value of t's metric in s, and as written.
func (s *Summary) metric(t Threshold) (float64, string) {
	st := s.Total
	if t.Step != "" {
		if st = s.Step(t.Step); st == nil {
			return 0, "step never ran"
		}
	}
	kind, _ := metricOf(t.Metric)
	switch kind {
	case latencyMetric:
		v := ms(latencyOf(st, t.Metric))
		return v, strconv.FormatFloat(v, 'f', -1, 64) + "ms"
	case ratioMetric:
		v := ratioOf(st, t.Metric)
		return v, strconv.FormatFloat(math.Round(v*1e6)/1e4, 'f', -1, 64) + "%"
	}
	v := s.count(st, t.Metric)
	return v, strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

// latencyOf returns a latency metric of st.
func latencyOf(st *StepSummary, name string) time.Duration {
	h := st.Primary()
	switch name {
	case "min":
		return h.Min()
	case "max":
		return h.Max()
	case "mean", "avg":
		return h.Mean()
	case "med":
		return h.Quantile(0.5)
	}
	q, _ := strconv.ParseFloat(strings.TrimPrefix(name, "p"), 64)
	return h.Quantile(q / 100)
}

// ratioOf returns a ratio metric of st; 0 when there is nothing to divide.
func ratioOf(st *StepSummary, name string) float64 {
	num, den := st.ChecksPassed, st.ChecksPassed+st.ChecksFailed
	switch name {
	case "http_errors":
		num, den = st.HTTPErrors, st.Requests
	case "errors":
		num, den = st.Errors, st.Requests
	case "failed":
		num, den = st.Failed, st.Requests
	}
	if den == 0 {
		if name == "checks" {
			return 1 // no check failed
		}
		return 0
	}
	return float64(num) / float64(den)
}

// count returns a number metric.
func (s *Summary) count(st *StepSummary, name string) float64 {
	switch name {
	case "rps":
		return st.RPS
	case "requests":
		return float64(st.Requests)
	case "iterations":
		return float64(s.Iterations)
	}
	return float64(s.Dropped)
}
