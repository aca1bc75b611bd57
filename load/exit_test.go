package load

import (
	"testing"

	"github.com/callsheet/callsheet/exitcode"
)

func TestSummaryExitCode(t *testing.T) {
	total := func(errors, failed, checksFailed int64) *StepSummary {
		return &StepSummary{Stats: &Stats{Errors: errors, Failed: failed, ChecksFailed: checksFailed}}
	}
	held := func(metric, step string) ThresholdResult {
		return ThresholdResult{Metric: metric, Step: step, Passed: true}
	}
	failed := ThresholdResult{Metric: "p95", Passed: false}
	whole, segment := []Segment{{K: 1, N: 1}}, []Segment{{K: 2, N: 4}}
	tests := []struct {
		name string
		s    Summary
		want int
	}{
		{"clean", Summary{Total: total(0, 0, 0), Segments: whole}, exitcode.OK},
		{"interrupted beats a failed threshold", Summary{Aborted: "interrupted", Thresholds: []ThresholdResult{failed}, Total: total(1, 0, 0), Segments: whole}, exitcode.Interrupted},
		{"a failed threshold", Summary{Thresholds: []ThresholdResult{failed}, Total: total(0, 0, 0), Segments: whole}, exitcode.Threshold},
		{"a segment's failed threshold does not count", Summary{Thresholds: []ThresholdResult{failed}, Total: total(0, 0, 0), Segments: segment}, exitcode.OK},
		{"errors", Summary{Total: total(2, 0, 0), Segments: whole}, exitcode.Error},
		{"errors beat failures", Summary{Total: total(2, 1, 1), Segments: whole}, exitcode.Error},
		{"failed checks", Summary{Total: total(0, 0, 3), Segments: whole}, exitcode.Failed},
		{"failed steps", Summary{Total: total(0, 3, 0), Segments: whole}, exitcode.Failed},
		{"errors tolerated by an errors threshold", Summary{Thresholds: []ThresholdResult{held("errors", "")}, Total: total(2, 0, 0), Segments: whole}, exitcode.OK},
		{"errors tolerated by an http_errors threshold", Summary{Thresholds: []ThresholdResult{held("http_errors", "")}, Total: total(2, 0, 0), Segments: whole}, exitcode.OK},
		{"a step's errors threshold tolerates nothing", Summary{Thresholds: []ThresholdResult{held("errors", "login")}, Total: total(2, 0, 0), Segments: whole}, exitcode.Error},
		{"failures tolerated by a checks threshold", Summary{Thresholds: []ThresholdResult{held("checks", "")}, Total: total(0, 1, 1), Segments: whole}, exitcode.OK},
		{"failures tolerated by a failed threshold", Summary{Thresholds: []ThresholdResult{held("failed", "")}, Total: total(0, 1, 1), Segments: whole}, exitcode.OK},
		{"a checks threshold leaves errors", Summary{Thresholds: []ThresholdResult{held("checks", "")}, Total: total(1, 1, 0), Segments: whole}, exitcode.Error},
	}
	for _, tt := range tests {
		if got := tt.s.ExitCode(); got != tt.want {
			t.Errorf("%s: ExitCode() = %d, want %d", tt.name, got, tt.want)
		}
	}
}
