package session

import (
	"testing"

	"github.com/callsheet/callsheet/runner"
)

// silent is a consumer that says nothing of its needs.
type silent struct{}

func (silent) Start(*Unit) Run { return ResultFunc(func(*runner.Result) {}) }
func (silent) End() error      { return nil }

// TestNeedsOf checks what a set of consumers needs together: what any of
// them asks for, and the passed steps for a consumer that does not say,
// since it may read every step.
func TestNeedsOf(t *testing.T) {
	tests := []struct {
		name      string
		consumers []Consumer
		want      runner.Needs
	}{
		{"none", nil, runner.Needs{}},
		{"one asking for nothing", []Consumer{&trace{}}, runner.Needs{}},
		{"one that does not say", []Consumer{&trace{}, silent{}}, runner.Needs{Passed: true}},
		{"what each asks for", []Consumer{&trace{needs: runner.Needs{Bodies: true}}, &trace{needs: runner.Needs{Steps: true}}},
			runner.Needs{Bodies: true, Steps: true}},
	}
	for _, tt := range tests {
		if got := needsOf(tt.consumers); got != tt.want {
			t.Errorf("%s: needsOf = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}
