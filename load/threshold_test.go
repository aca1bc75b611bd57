package load

import (
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/runner"
)

func TestParseThreshold(t *testing.T) {
	tests := []struct {
		in   string
		want Threshold
		err  string
	}{
		{in: "p95 < 200ms", want: Threshold{Metric: "p95", Op: "<", Value: 200}},
		{in: "me: p95 < 200ms", want: Threshold{Step: "me", Metric: "p95", Op: "<", Value: 200}},
		{in: "list projects: p99.9<=1.5s", want: Threshold{Step: "list projects", Metric: "p99.9", Op: "<=", Value: 1500}},
		{in: "checks > 99%", want: Threshold{Metric: "checks", Op: ">", Value: 0.99}},
		{in: "http_errors < 0.1%", want: Threshold{Metric: "http_errors", Op: "<", Value: 0.001}},
		{in: "errors == 0", want: Threshold{Metric: "errors", Op: "==", Value: 0}},
		{in: "rps >= 1500", want: Threshold{Metric: "rps", Op: ">=", Value: 1500}},
		{in: "dropped == 0", want: Threshold{Metric: "dropped", Op: "==", Value: 0}},
		{in: "p95 < 200", err: `"200" is not a duration`},
		{in: "checks > 120%", err: "not a percentage"},
		{in: "checks > 2", err: "not a share"},
		{in: "p959 < 1s", err: `unknown metric "p959"`},
		{in: "rpss > 10", err: `did you mean "rps"?`},
		{in: "me: dropped == 0", err: "of the whole test, not of a step"},
		{in: "p95 200ms", err: "want [STEP: ]METRIC OP VALUE"},
	}
	for _, tt := range tests {
		got, err := ParseThreshold(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseThreshold(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		tt.want.Text = tt.in
		if err != nil || got != tt.want {
			t.Errorf("ParseThreshold(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

// result is a step result with a response of status that took d.
func result(name string, status int, d time.Duration, checks ...bool) *runner.StepResult {
	sr := &runner.StepResult{Name: name, Outcome: runner.Passed, Response: &exchange.Response{Status: status, Duration: d}}
	for _, ok := range checks {
		sr.Checks = append(sr.Checks, &runner.CheckResult{Passed: ok, Subject: "status"})
		if !ok {
			sr.Outcome = runner.Failed
		}
	}
	return sr
}

func TestEvaluate(t *testing.T) {
	c := newCollector(time.Now(), false)
	for i := range 100 {
		c.step(result("me", 200, time.Duration(i+1)*time.Millisecond, true), 0)
		c.step(result("list", 200, 5*time.Millisecond, i != 0), 0)
	}
	c.step(&runner.StepResult{Name: "list", Outcome: runner.Errored}, 0) // no response
	s := c.snapshot()
	s.Seconds = 2
	s.finish()
	var ts []Threshold
	for _, text := range []string{
		"me: p95 < 96ms", "me: p95 < 95ms", "p50 <= 5.1ms", "checks > 99%", "checks > 99.5%",
		"http_errors < 1%", "list: errors == 0", "rps >= 100", "rps > 100.5", "nope: p95 < 1s",
	} {
		th, err := ParseThreshold(text)
		if err != nil {
			t.Fatal(err)
		}
		ts = append(ts, th)
	}
	s.Evaluate(ts)
	want := []bool{true, false, true, true, false, true, false, true, false, false}
	for i, r := range s.Thresholds {
		if r.Passed != want[i] {
			t.Errorf("%s: passed = %v (actual %s), want %v", r.Threshold, r.Passed, r.Shown, want[i])
		}
	}
	if s.Passed() {
		t.Error("Passed() = true with failed thresholds")
	}
	if got := s.Thresholds[3].Shown; got != "99.5%" {
		t.Errorf("checks shown as %q, want 99.5%% (199 of 200 checks)", got)
	}
	if s.Total.Requests != 201 || s.Total.Errors != 1 || s.Total.Latency.Count() != 200 {
		t.Errorf("total: %d requests, %d errors, %d latencies; want 201, 1, 200 (none for no response)",
			s.Total.Requests, s.Total.Errors, s.Total.Latency.Count())
	}
}

func TestCorrectedLatencyAddsTheLag(t *testing.T) {
	c := newCollector(time.Now(), true)
	for range 10 {
		c.step(result("me", 200, 10*time.Millisecond), 90*time.Millisecond)
	}
	s := c.snapshot()
	s.finish()
	st := s.Step("me")
	if got := st.Percentiles.P50; got < 9.9 || got > 10.1 {
		t.Errorf("uncorrected p50 = %vms, want 10ms as measured", got)
	}
	if got := st.CorrectedPercentiles.P50; got < 99 || got > 101 {
		t.Errorf("corrected p50 = %vms, want 100ms: 10ms plus 90ms late", got)
	}
	if st.Primary() != st.Corrected {
		t.Error("thresholds of an arrival-rate run must read the corrected latency")
	}
}
