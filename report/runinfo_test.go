package report

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/runner"
)

func TestCommandLine(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"/usr/local/bin/callsheet", "run", "api/"}, "callsheet run api/"},
		{[]string{"callsheet", "run", "--var", "token=abc", "-var", "x=1", "api/"}, "callsheet run --var 'token=***' -var 'x=***' api/"},
		{[]string{"callsheet", "run", "--var=token=abc", "-var=x=", "api/"}, "callsheet run '--var=token=***' '-var=x=***' api/"},
		{[]string{"callsheet", "run", "--var", "no-name"}, "callsheet run --var '***'"},
		{[]string{"callsheet", "run", "--var"}, "callsheet run --var"},
		{[]string{"callsheet", "run", "--only", "a b", "it's"}, `callsheet run --only 'a b' 'it'\''s'`},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := CommandLine(tt.args); got != tt.want {
			t.Errorf("CommandLine(%q) = %s, want %s", tt.args, got, tt.want)
		}
	}
}

// TestWriteFileAndSummary writes a report into a folder that does not
// exist yet and counts what was merged.
func TestWriteFileAndSummary(t *testing.T) {
	results := []*runner.Result{
		{Name: "a", Steps: []*runner.StepResult{{Name: "one", Outcome: runner.Passed}, {Name: "two", Outcome: runner.Failed}}},
		{Name: "b", Err: errors.New("could not start")},
	}
	file := filepath.Join(t.TempDir(), "deep", "report.tap")
	if err := WriteFile(file, TAP, results); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(file); err != nil || !strings.HasPrefix(string(data), "TAP version") {
		t.Errorf("the written report = %q, %v, want TAP", data, err)
	}
	want := "merged 2 reports: 2 collection runs; 1 passed, 1 failed, 1 errors, 0 not run, 0 skipped"
	if got := MergeSummary(2, results); got != want {
		t.Errorf("MergeSummary() = %q, want %q", got, want)
	}
	if info := NewRunInfo([]string{"callsheet", "run", "--var", "k=v"}, time.Time{}, "1.0"); info.Command != "callsheet run --var 'k=***'" || !strings.Contains(info.Machine, "CPUs") {
		t.Errorf("NewRunInfo() = %+v", info)
	}
}
