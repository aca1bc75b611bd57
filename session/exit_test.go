package session

import (
	"errors"
	"testing"

	"github.com/callsheet/callsheet/exitcode"
	"github.com/callsheet/callsheet/runner"
)

func TestVerdictCode(t *testing.T) {
	steps := func(os ...runner.Outcome) *runner.Result {
		r := &runner.Result{}
		for _, o := range os {
			r.Steps = append(r.Steps, &runner.StepResult{Outcome: o})
		}
		return r
	}
	tests := []struct {
		name string
		res  *runner.Result
		want int
	}{
		{"all passed", steps(runner.Passed, runner.Passed), exitcode.OK},
		{"failed", steps(runner.Passed, runner.Failed, runner.NotRun), exitcode.Failed},
		{"errored beats failed", steps(runner.Failed, runner.Errored), exitcode.Error},
		{"could not start", &runner.Result{Err: errors.New("var x")}, exitcode.Error},
		{"nothing ran", steps(runner.NotRun, runner.Skipped), exitcode.OK},
	}
	for _, tt := range tests {
		if got := VerdictCode(Verdict(tt.res)); got != tt.want {
			t.Errorf("VerdictCode(Verdict(%s)) = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestSummaryExitCode(t *testing.T) {
	tests := []struct {
		name string
		sum  Summary
		want int
	}{
		{"passed", Summary{Verdict: runner.Passed}, exitcode.OK},
		{"failed", Summary{Verdict: runner.Failed}, exitcode.Failed},
		{"errored", Summary{Verdict: runner.Errored}, exitcode.Error},
		{"interrupted beats errored", Summary{Verdict: runner.Errored, Interrupted: true}, exitcode.Interrupted},
		{"timed out after passes", Summary{Verdict: runner.Passed, TimedOut: true}, exitcode.Error},
		{"timed out after a failure", Summary{Verdict: runner.Failed, TimedOut: true}, exitcode.Error},
	}
	for _, tt := range tests {
		if got := tt.sum.ExitCode(); got != tt.want {
			t.Errorf("%s: ExitCode() = %d, want %d", tt.name, got, tt.want)
		}
	}
}
