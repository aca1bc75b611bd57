package cmd

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// The terminal control sequences the live progress lines use.
const (
	cursorUp  = "\x1b[1A"
	eraseLine = "\x1b[2K"
)

func TestRunLiveProgress(t *testing.T) {
	srv := newRecorder(t, 200, `{}`)
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"a.yaml": "name: alpha\nsteps:\n  - name: one\n    GET: \"{{ base }}/1\"\n  - name: two\n    GET: \"{{ base }}/2\"\n    repeat: 2\n",
		"b.yaml": "name: beta\nsteps:\n  - name: only\n    GET: \"{{ base }}/3\"\n",
	})
	args := []string{"callsheet", "run", "--no-color", "--var", "base=" + srv.URL, dir}
	tests := []struct {
		name     string
		terminal bool
		jobs     string
		live     bool
	}{
		{"terminal with jobs", true, "2", true},
		{"terminal, one job", true, "1", false},
		{"no terminal", false, "2", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			sys := terminalSystem(&stdout, &stderr, nil)
			sys.isTerminal = func(any) bool { return tt.terminal }
			code := execute(t.Context(), append(append([]string{}, args[:2]...), append([]string{"--jobs", tt.jobs}, args[2:]...)...), sys)
			out := stdout.String()
			if code != ExitOK {
				t.Fatalf("exit %d\n%s%s", code, out, stderr.String())
			}
			hasLive := strings.Contains(out, eraseLine) && regexp.MustCompile(`[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] (alpha|beta)  step \d/\d`).MatchString(out)
			if hasLive != tt.live {
				t.Errorf("live lines shown = %v, want %v:\n%q", hasLive, tt.live, out)
			}
			if tt.live && !strings.Contains(out, "alpha  step 2/2  two [2]") {
				t.Errorf("no live line for the last step of alpha:\n%q", out)
			}
			// Once the live lines are erased, the grouped output remains.
			final := finalScreen(out)
			for _, want := range []string{"alpha (", "  ✔ one", "  ✔ two [1]", "  ✔ two [2]", "beta (", "  ✔ only", "4 passed, 0 failed, 0 skipped in "} {
				if !strings.Contains(final, want) {
					t.Errorf("final output lacks %q:\n%s", want, final)
				}
			}
			if strings.Index(final, "alpha (") > strings.Index(final, "beta (") {
				t.Errorf("collections out of order:\n%s", final)
			}
		})
	}
}

// finalScreen plays the erase sequences of out back: what a terminal shows
// at the end.
func finalScreen(out string) string {
	var lines []string
	cur := ""
	for i := 0; i < len(out); {
		switch {
		case strings.HasPrefix(out[i:], cursorUp):
			if len(lines) > 0 {
				cur = lines[len(lines)-1]
				lines = lines[:len(lines)-1]
			}
			i += len(cursorUp)
		case strings.HasPrefix(out[i:], eraseLine):
			cur = ""
			i += len(eraseLine)
		case out[i] == '\r':
			i++
		case out[i] == '\n':
			lines = append(lines, cur)
			cur = ""
			i++
		default:
			cur += out[i : i+1]
			i++
		}
	}
	return strings.Join(append(lines, cur), "\n")
}
