package cmd

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestRunQuietPrintsOnlyFailures checks that --quiet prints the failed and
// errored steps of the collections that did not pass, and none of their
// passed, skipped or not-run steps, nor the collections that passed.
func TestRunQuietPrintsOnlyFailures(t *testing.T) {
	srv := newRecorder(t, 200, `{"id":1}`)
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"a.yaml": passing("a"),
		"b.yaml": "name: b\nsteps:\n  - name: fine\n    GET: \"{{ base_url }}/1\"\n  - name: broken\n    GET: \"{{ base_url }}/2\"\n    expect: { status: 201 }\n  - name: later\n    GET: \"{{ base_url }}/3\"\n  - name: never\n    GET: \"{{ base_url }}/4\"\n    if: \"1 == 2\"\n",
	})
	got := callsheet(t, nil, "run", "--quiet", "--continue", "--jobs", "1", "--var", "base_url="+srv.URL, dir)
	if got.code != ExitFailed {
		t.Fatalf("exit %d, want %d\n%s%s", got.code, ExitFailed, got.stdout, got.stderr)
	}
	for _, want := range []string{"b (", "✘ broken", "expected: integer <201>", "3 passed, 1 failed, 1 skipped in "} {
		if !strings.Contains(got.stdout, want) {
			t.Errorf("--quiet output lacks %q:\n%s", want, got.stdout)
		}
	}
	for _, unwanted := range []string{"a (", "fine", "later", "never"} {
		if strings.Contains(got.stdout, unwanted) {
			t.Errorf("--quiet output shows %q:\n%s", unwanted, got.stdout)
		}
	}
}

// TestRunStreamsOneCollection checks that a collection running alone
// prints each step as it ends, not only when the collection ends: the
// server holds the second request until the first step's line is out.
func TestRunStreamsOneCollection(t *testing.T) {
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"a.yaml": "name: a\nsteps:\n  - name: first\n    GET: \"{{ base_url }}/first\"\n  - name: second\n    GET: \"{{ base_url }}/second\"\n",
	})
	for _, jobs := range []string{"1", "4"} {
		t.Run("jobs "+jobs, func(t *testing.T) {
			var stdout, stderr syncBuffer
			seen := make(chan bool, 1)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/second" {
					deadline := time.Now().Add(30 * time.Second) // a hang guard
					for !strings.Contains(stdout.String(), "✔ first") && time.Now().Before(deadline) {
						time.Sleep(5 * time.Millisecond)
					}
					seen <- strings.Contains(stdout.String(), "✔ first")
				}
				fmt.Fprint(w, "{}")
			}))
			t.Cleanup(srv.Close)
			sys := terminalSystem(&stdout, &stderr, nil)
			sys.isTerminal = func(any) bool { return false }
			code := execute(t.Context(), []string{"callsheet", "run", "--jobs", jobs, "--var", "base_url=" + srv.URL, filepath.Join(dir, "a.yaml")}, sys)
			if code != ExitOK {
				t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
			}
			if !<-seen {
				t.Errorf("the first step was not printed before the second ended:\n%s", stdout.String())
			}
		})
	}
}

// slowServer answers /fail with 500 once /slow has been asked, and holds
// /slow until its client goes away, counting the /slow requests that ended
// because the client cancelled. Its 30s waits are hang guards only.
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
			case <-time.After(30 * time.Second):
			}
			fmt.Fprint(w, "late")
		case "/fail":
			select {
			case <-started:
			case <-time.After(30 * time.Second):
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
	got := callsheet(t, nil, "run", "--bail", "--jobs", "2", "--var", "base="+ts.URL, "--report-json", report, dir)
	select {
	case <-cancelled:
	case <-time.After(30 * time.Second):
		t.Fatalf("--bail did not cancel the slow request\n%s", got.stdout)
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
