package cmd

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// slowServer answers /fail with 500 once /slow has been asked, and holds
// /slow until its client goes away (or 5s pass), counting the /slow
// requests that ended because the client cancelled.
func slowServer(t *testing.T) (*httptest.Server, chan struct{}) {
	t.Helper()
	started := make(chan struct{}, 1)
	cancelled := make(chan struct{}, 1)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/slow":
			started <- struct{}{}
			select {
			case <-r.Context().Done():
				cancelled <- struct{}{}
			case <-time.After(5 * time.Second):
			}
			fmt.Fprint(w, "late")
		case "/fail":
			select {
			case <-started:
			case <-time.After(5 * time.Second):
			}
			w.WriteHeader(http.StatusInternalServerError)
		default:
			fmt.Fprint(w, "ok")
		}
	}))
	t.Cleanup(ts.Close)
	return ts, cancelled
}

func TestRunBailCancelsRunning(t *testing.T) {
	ts, cancelled := slowServer(t)
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"a_fails.yaml": "name: fails\nsteps:\n  - name: boom\n    GET: \"{{ base }}/fail\"\n    expect: { status: 200 }\n",
		"b_slow.yaml":  "name: slow\nsteps:\n  - name: wait\n    GET: \"{{ base }}/slow\"\n  - name: after\n    GET: \"{{ base }}/ok\"\nfinally:\n  - name: cleanup\n    GET: \"{{ base }}/ok\"\n",
	})
	report := filepath.Join(t.TempDir(), "r.json")
	start := time.Now()
	got := callsheet(t, nil, "run", "--bail", "--jobs", "2", "--var", "base="+ts.URL, "--report-json", report, dir)
	if elapsed := time.Since(start); elapsed > 4*time.Second {
		t.Errorf("run took %s: --bail did not cancel the slow collection", elapsed)
	}
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatalf("the slow request was not cancelled\n%s", got.stdout)
	}
	if got.code != ExitFailed {
		t.Errorf("exit code = %d, want %d\n%s%s", got.code, ExitFailed, got.stdout, got.stderr)
	}
	rep := readJSONReport(t, report)
	outcomes := map[string]string{}
	for _, c := range rep.Collections {
		for _, s := range c.Steps {
			outcomes[c.Name+"/"+s.Name] = s.Outcome
		}
	}
	want := map[string]string{"fails/boom": "failed", "slow/wait": "not run", "slow/after": "not run", "slow/cleanup": "passed"}
	for k, w := range want {
		if outcomes[k] != w {
			t.Errorf("step %s = %q, want %q (all: %v)", k, outcomes[k], w, outcomes)
		}
	}
	if !regexp.MustCompile(`(?m)^1 passed, 1 failed, 0 skipped, 2 not run in DUR\n\z`).MatchString(normalize(got.stdout)) {
		t.Errorf("summary does not count the cancelled collection (cleanup passed too):\n%s", got.stdout)
	}
}

// summaryRE is the last line of a run.
var summaryRE = regexp.MustCompile(`(?m)^\d+ passed, \d+ failed, \d+ skipped(, \d+ errors?)?(, \d+ not run)? in \d+(\.\d+)?(ms|s)\n\z`)

func TestRunSummaryTime(t *testing.T) {
	srv := newRecorder(t, 200, `{}`)
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"a.yaml": "steps:\n  - name: one\n    GET: \"{{ base }}/1\"\n  - name: skipped\n    GET: \"{{ base }}/2\"\n    if: \"1 == 2\"\n",
	})
	got := callsheet(t, nil, "run", "--var", "base="+srv.URL, dir)
	if got.code != ExitOK || !summaryRE.MatchString(got.stdout) {
		t.Fatalf("exit %d, stdout does not end with the summary and time:\n%s%s", got.code, got.stdout, got.stderr)
	}
	if !strings.HasSuffix(normalize(got.stdout), "\n1 passed, 0 failed, 1 skipped in DUR\n") {
		t.Errorf("summary = %q", got.stdout[strings.LastIndex(strings.TrimSuffix(got.stdout, "\n"), "\n")+1:])
	}
}

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

func TestRunIncludeConsole(t *testing.T) {
	srv := newRecorder(t, 200, `{"token":"abc","id":7}`)
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"login.yaml": "name: login\nsteps:\n  - name: token\n    POST: \"{{ base }}/token\"\n    capture: { token: { json: token, secret: true } }\n  - name: check\n    GET: \"{{ base }}/check\"\n    expect: { json: { id: 8 } }\n",
		"suite.yaml": "name: suite\nsteps:\n  - name: login\n    include: login.yaml\n  - name: me\n    GET: \"{{ base }}/me?t={{ token }}\"\n",
	})
	got := callsheet(t, nil, "run", "--continue", "--var", "base="+srv.URL, filepath.Join(dir, "suite.yaml"))
	if got.code != ExitFailed {
		t.Fatalf("exit %d, want %d\n%s%s", got.code, ExitFailed, got.stdout, got.stderr)
	}
	for _, want := range []string{"✔ login › token", "✘ login › check", "--> " + filepath.Join(dir, "login.yaml") + ":8:", "expect: { json: { id: 8 } }", "✔ me", "/me?t=***", "2 passed, 1 failed, 0 skipped in "} {
		if !strings.Contains(got.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, got.stdout)
		}
	}
	if strings.Contains(got.stdout, "abc") {
		t.Errorf("stdout shows the secret token:\n%s", got.stdout)
	}
}
