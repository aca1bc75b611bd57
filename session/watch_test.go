package session

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/runner"
)

// TestWatchReruns runs sessions one after another with one Watch: a rerun
// keeps the login's captures (no new login) and says what changed; after
// a failure the next rerun runs every step again.
func TestWatchReruns(t *testing.T) {
	var listStatus atomic.Int32
	listStatus.Store(200)
	logins := atomic.Int32{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/login" {
			logins.Add(1)
		} else {
			w.WriteHeader(int(listStatus.Load()))
		}
		fmt.Fprint(w, `{"token": "t", "path": "/u"}`)
	}))
	t.Cleanup(srv.Close)
	dir := writeFiles(t, map[string]string{"loop.yaml": loginCollection + "    expect: { status: 200 }\n"})
	w := &Watch{}
	rerun := func() []Changes {
		t.Helper()
		run(t, newSession(t, Options{Paths: []string{dir}, Vars: baseVars(srv.URL), Watch: w}), srv.Client())
		return w.Changes()
	}
	steps := []struct {
		status     int32
		wantLogins int32
		want       Changes
	}{
		{200, 1, Changes{}},
		{200, 1, Changes{Compared: true}},
		{500, 1, Changes{Compared: true, Lines: []string{"list: passed -> failed, status 200 -> 500"}}},
		{200, 2, Changes{Compared: true, Lines: []string{"list: failed -> passed, status 500 -> 200"}}},
	}
	for i, st := range steps {
		listStatus.Store(st.status)
		got := rerun()
		if len(got) != 1 || got[0].Compared != st.want.Compared || !slices.Equal(got[0].Lines, st.want.Lines) {
			t.Errorf("run %d: Changes() = %+v, want %+v", i+1, got, st.want)
		}
		if n := logins.Load(); n != st.wantLogins {
			t.Errorf("run %d: %d logins, want %d", i+1, n, st.wantLogins)
		}
	}
	if files := w.Files(); !slices.Equal(files, []string{filepath.Join(dir, "loop.yaml")}) {
		t.Errorf("Files() = %v, want the collection", files)
	}
}

func TestStepChanges(t *testing.T) {
	step := func(name string, o runner.Outcome, status int) *runner.StepResult {
		s := &runner.StepResult{Name: name, Outcome: o}
		if status > 0 {
			s.Response = exchangeResponse(status)
		}
		return s
	}
	prev := &runner.Result{Steps: []*runner.StepResult{step("a", runner.Passed, 200), step("b", runner.Passed, 200), step("c", runner.Failed, 404)}}
	reusedStep := step("a", runner.Skipped, 0)
	reusedStep.SkipReason = runner.SkipReused
	cur := &runner.Result{Steps: []*runner.StepResult{reusedStep, step("b", runner.Errored, 0), step("c", runner.Failed, 404), step("d", runner.Passed, 200)}}
	want := []string{"b: passed -> error, status 200 -> none", "d: new step, passed"}
	if got := stepChanges(prev, cur); !slices.Equal(got, want) {
		t.Errorf("stepChanges() = %q, want %q", got, want)
	}
	if last := lastSent(prev, cur); last.Steps[0] != prev.Steps[0] || last.Steps[1] != cur.Steps[1] {
		t.Errorf("lastSent() does not keep the last sent of a reused step")
	}
}

// TestWaitForChange watches a collection and its folder: a write to the
// file, or a new collection in the folder, is a change; ctx done is none.
func TestWaitForChange(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.yaml": "x", "notes.txt": "x"})
	tests := []struct {
		name  string
		files []string
		write string
	}{
		{"a watched file", []string{filepath.Join(dir, "a.yaml")}, "a.yaml"},
		{"a collection in a watched folder", []string{dir}, "b.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), hangGuard)
			defer cancel()
			ready := make(chan int, 1)
			go func() {
				n := <-ready
				os.WriteFile(filepath.Join(dir, "notes.txt"), []byte(fmt.Sprint(n)), 0o644) // not watched
				os.WriteFile(filepath.Join(dir, tt.write), []byte("changed"), 0o644)
			}()
			got, err := WaitForChange(ctx, tt.files, func(n int) { ready <- n })
			if err != nil || got != filepath.Join(dir, tt.write) {
				t.Errorf("WaitForChange() = %q, %v; want %s", got, err, tt.write)
			}
		})
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel() // Ctrl-C
	if got, err := WaitForChange(ctx, []string{dir}, func(int) {}); got != "" || err != nil {
		t.Errorf("WaitForChange(cancelled) = %q, %v; want none", got, err)
	}
	if _, err := WaitForChange(t.Context(), []string{filepath.Join(dir, "gone", "x.yaml")}, func(int) {}); err == nil || !strings.Contains(err.Error(), "nothing to watch") {
		t.Errorf("WaitForChange(nothing) error = %v", err)
	}
}

func exchangeResponse(status int) *exchange.Response { return &exchange.Response{Status: status} }
