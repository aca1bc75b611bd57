package session

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callsheet/callsheet/runner"
)

// TestRunResultsInPlanOrder runs four collections at once, the first
// answered only after the three others, and checks that every consumer
// gets the results in plan order, each unit's steps before its result.
func TestRunResultsInPlanOrder(t *testing.T) {
	var mu sync.Mutex
	served := 0
	othersDone := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/c0/") {
			select {
			case <-othersDone:
			case <-time.After(hangGuard):
			}
		}
		fmt.Fprint(w, "{}")
		if !strings.HasPrefix(r.URL.Path, "/c0/") {
			mu.Lock()
			if served++; served == 3 {
				close(othersDone)
			}
			mu.Unlock()
		}
	}))
	t.Cleanup(srv.Close)
	files := map[string]string{}
	for i := range 4 {
		files[fmt.Sprintf("c%d.yaml", i)] = collection(fmt.Sprintf("c%d", i), "get")
	}
	dir := writeFiles(t, files)
	s := newSession(t, Options{Paths: []string{dir}, Vars: baseVars(srv.URL), Jobs: 4})
	if s.Workers() != 4 {
		t.Fatalf("Workers() = %d, want 4", s.Workers())
	}
	steps := runner.Needs{Passed: true} // the trace follows every step
	tr1, tr2 := &trace{needs: steps}, &trace{needs: steps}
	if sum := run(t, s, srv.Client(), tr1, tr2); sum.Verdict != runner.Passed {
		t.Fatalf("Run() verdict = %v, want passed", sum.Verdict)
	}
	for _, tr := range []*trace{tr1, tr2} {
		if got := tr.resultOrder(); !slices.Equal(got, []string{"c0", "c1", "c2", "c3"}) {
			t.Errorf("results came in order %v, want plan order", got)
		}
		for i := range 4 {
			name := fmt.Sprintf("c%d", i)
			if got := tr.of(name); !slices.Equal(got, []string{"start " + name, "step " + name + " get", "result " + name}) {
				t.Errorf("events of %s = %v, want start, step, result", name, got)
			}
		}
		if tr.ended != 1 {
			t.Errorf("End called %d times, want 1", tr.ended)
		}
	}
}

// TestRunOneAtATime checks that with one job each unit's result comes
// before the next unit starts, which lets a console print each unit as it
// runs.
func TestRunOneAtATime(t *testing.T) {
	srv := newEchoServer(t)
	dir := writeFiles(t, map[string]string{"a.yaml": collection("a", "one", "two"), "b.yaml": collection("b", "one")})
	s := newSession(t, Options{Paths: []string{dir}, Vars: baseVars(srv.URL), Jobs: 1})
	tr := &trace{needs: runner.Needs{Passed: true}}
	run(t, s, srv.Client(), tr)
	want := []string{"start a", "step a one", "step a two", "result a", "start b", "step b one", "result b"}
	if !slices.Equal(tr.events, want) {
		t.Errorf("events = %v, want %v", tr.events, want)
	}
}

// outcomesOf lists "unit/step=outcome" for every step of the results.
func outcomesOf(results []*runner.Result) []string {
	var out []string
	for _, r := range results {
		for _, s := range r.Steps {
			out = append(out, r.Name+"/"+s.Name+"="+s.Outcome.String())
		}
	}
	return out
}

// TestRunBail runs a failing collection beside one that waits: the
// failure cancels the waiting one (its finally: step still runs), and the
// collection that had not started is not run.
func TestRunBail(t *testing.T) {
	started := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/slow":
			started <- struct{}{}
			select {
			case <-r.Context().Done():
			case <-time.After(hangGuard):
			}
		case "/fail":
			select {
			case <-started:
			case <-time.After(hangGuard):
			}
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	t.Cleanup(srv.Close)
	dir := writeFiles(t, map[string]string{
		"a.yaml": "name: fails\nsteps:\n  - name: boom\n    GET: \"{{ base }}/fail\"\n    expect: { status: 200 }\n",
		"b.yaml": "name: slow\nsteps:\n  - name: wait\n    GET: \"{{ base }}/slow\"\n  - name: after\n    GET: \"{{ base }}/ok\"\nfinally:\n  - name: cleanup\n    GET: \"{{ base }}/ok\"\n",
		"c.yaml": "name: later\nsteps:\n  - name: never\n    GET: \"{{ base }}/ok\"\n",
	})
	s := newSession(t, Options{Paths: []string{dir}, Vars: baseVars(srv.URL), Jobs: 2, Bail: true})
	tr := &trace{needs: runner.Needs{Steps: true}}
	sum := run(t, s, srv.Client(), tr)
	if sum.Verdict != runner.Failed || sum.Interrupted || sum.TimedOut {
		t.Errorf("Run() = %+v, want failed, not interrupted", sum)
	}
	want := []string{"fails/boom=failed", "slow/wait=not run", "slow/after=not run", "slow/cleanup=passed", "later/never=not run"}
	if got := outcomesOf(tr.results); !slices.Equal(got, want) {
		t.Errorf("outcomes = %v, want %v", got, want)
	}
}

// TestRunInterrupted cancels the context while a request waits: nothing
// more is sent, the rest is not run and the summary says interrupted.
func TestRunInterrupted(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), hangGuard)
	defer cancel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/a/slow" {
			cancel() // Ctrl-C while the request waits
			<-r.Context().Done()
		}
		fmt.Fprint(w, "{}")
	}))
	t.Cleanup(srv.Close)
	dir := writeFiles(t, map[string]string{"a.yaml": collection("a", "fast", "slow", "after"), "b.yaml": collection("b", "one")})
	s := newSession(t, Options{Paths: []string{dir}, Vars: baseVars(srv.URL), Jobs: 1})
	tr := &trace{}
	sum, err := s.Run(ctx, runner.New(srv.Client()), tr)
	if err != nil || !sum.Interrupted || sum.TimedOut {
		t.Fatalf("Run() = %+v, %v; want interrupted", sum, err)
	}
	got := outcomesOf(tr.results)
	if !slices.Contains(got, "a/after=not run") || !slices.Contains(got, "b/one=not run") {
		t.Errorf("outcomes = %v, want a/after and b/one not run", got)
	}
}

// TestRunMaxTime bounds a session whose server never answers: the step
// under way errors, the rest is not run, and the summary says timed out.
func TestRunMaxTime(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(hangGuard):
		}
	}))
	t.Cleanup(srv.Close)
	dir := writeFiles(t, map[string]string{"a.yaml": collection("a", "stuck", "after")})
	s := newSession(t, Options{Paths: []string{dir}, Vars: baseVars(srv.URL), MaxTime: 50 * time.Millisecond})
	tr := &trace{}
	sum := run(t, s, srv.Client(), tr)
	if !sum.TimedOut || sum.Interrupted || sum.Verdict != runner.Errored {
		t.Errorf("Run() = %+v, want timed out with an error", sum)
	}
	if got := outcomesOf(tr.results); !slices.Equal(got, []string{"a/stuck=error", "a/after=not run"}) {
		t.Errorf("outcomes = %v, want stuck errored and after not run", got)
	}
}

// TestRunVariableLayers defines x in more and more layers and checks the
// request each run sends: the highest layer wins, in the documented order
// collection < --env < CALLSHEET_VAR_ < --env-file < --data row <
// --sandbox < --var.
func TestRunVariableLayers(t *testing.T) {
	srv := newEchoServer(t)
	dir := writeFiles(t, map[string]string{
		"a.yaml":           "name: a\nvars:\n  x: collection\nsteps:\n  - name: get\n    GET: \"{{ base }}/{{ x }}\"\n",
		"env/staging.yaml": "x: env\n",
		"rows.csv":         "x\nrow\n",
	})
	set := func(l Layer, x string) func(*Options) {
		return func(o *Options) {
			vars := map[string]any{"x": x}
			if l == LayerVar {
				vars["base"] = srv.URL
			}
			o.Vars.Set(l, vars)
		}
	}
	steps := []struct {
		want  string
		apply func(*Options)
	}{
		{"/collection", func(*Options) {}},
		{"/env", func(o *Options) { o.Env = "staging" }},
		{"/process", set(LayerProcess, "process")},
		{"/envfile", set(LayerEnvFile, "envfile")},
		{"/row", func(o *Options) { o.Data = filepath.Join(dir, "rows.csv") }},
		{"/sandbox", set(LayerSandbox, "sandbox")},
		{"/var", set(LayerVar, "var")},
	}
	opts := Options{Paths: []string{dir}, Vars: baseVars(srv.URL)}
	for _, st := range steps {
		st.apply(&opts)
		s := newSession(t, opts)
		before := len(srv.seen())
		run(t, s, srv.Client())
		if got := srv.seen()[before:]; len(got) != 1 || got[0] != st.want {
			t.Errorf("with the layers up to %s, sent %v", st.want, got)
		}
	}
}

// TestRunKeepsWhatConsumersNeed runs one collection for consumers with
// different needs and checks what each result holds: the runner keeps
// what one consumer needs and no more. A consumer gets the step that
// passed once final when one of them asks for passed steps (Needs.Passed,
// Steps or Recording); otherwise the result only counts it.
func TestRunKeepsWhatConsumersNeed(t *testing.T) {
	srv := newEchoServer(t)
	dir := writeFiles(t, map[string]string{
		"a.yaml": "name: a\nsteps:\n  - name: ok\n    GET: \"{{ base }}/ok\"\n  - name: bad\n    GET: \"{{ base }}/bad\"\n    expect: { status: 201 }\n",
	})
	tests := []struct {
		name  string
		needs runner.Needs
		// want: steps kept in the result, a passed body kept, step
		// exchanges, a recording.
		steps                            int
		body, stepExchange, hasRecording bool
		// events the consumer saw: start, the steps given, result.
		events, unseen int
	}{
		{"nothing more", runner.Needs{}, 1, false, false, false, 3, 1},
		{"passed steps as they end", runner.Needs{Passed: true}, 1, false, false, false, 4, 0},
		{"every step", runner.Needs{Steps: true}, 2, false, false, false, 4, 0},
		{"bodies", runner.Needs{Steps: true, Bodies: true}, 2, true, false, false, 4, 0},
		{"exchanges", runner.Needs{Steps: true, Exchanges: true}, 2, false, true, false, 4, 0},
		{"recording", runner.Needs{Recording: true}, 1, false, false, true, 4, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSession(t, Options{Paths: []string{dir}, Vars: baseVars(srv.URL), Runner: runner.Options{Continue: true}})
			tr := &trace{needs: tt.needs}
			if sum := run(t, s, srv.Client(), tr, &trace{}); sum.Verdict != runner.Failed {
				t.Fatalf("verdict = %v, want failed", sum.Verdict)
			}
			if got := tr.of("a"); len(got) != tt.events {
				t.Errorf("events = %v, want %d", got, tt.events)
			}
			res := tr.results[0]
			if res.Unseen[runner.Passed] != tt.unseen || res.Counts()[runner.Passed] != 1 {
				t.Errorf("unseen = %v, counts = %v, want %d passed unseen of 1", res.Unseen, res.Counts(), tt.unseen)
			}
			if len(res.Steps) != tt.steps {
				t.Errorf("result holds %d steps, want %d", len(res.Steps), tt.steps)
			}
			first := res.Steps[0]
			if got := first.Name == "ok" && first.Response.Body != nil; got != tt.body {
				t.Errorf("passed step's body kept = %v, want %v", got, tt.body)
			}
			if got := first.Exchange != nil; got != tt.stepExchange {
				t.Errorf("step exchange kept = %v, want %v", got, tt.stepExchange)
			}
			if got := len(res.Exchanges) == 2; got != tt.hasRecording {
				t.Errorf("recording of %d exchanges, want one of 2: %v", len(res.Exchanges), tt.hasRecording)
			}
		})
	}
}

// TestRunSelectionKeepsEveryStep checks that a step --only leaves out is
// reported skipped at its place, and not sent.
func TestRunSelectionKeepsEveryStep(t *testing.T) {
	srv := newEchoServer(t)
	dir := writeFiles(t, map[string]string{"a.yaml": collection("a", "one", "two", "three")})
	s := newSession(t, Options{Paths: []string{dir}, Vars: baseVars(srv.URL), Select: Selection{Only: []string{"t*"}}})
	tr := &trace{needs: runner.Needs{Steps: true}}
	run(t, s, srv.Client(), tr)
	if got := outcomesOf(tr.results); !slices.Equal(got, []string{"a/one=skipped", "a/two=passed", "a/three=passed"}) {
		t.Errorf("outcomes = %v", got)
	}
	if got := tr.results[0].Steps[0].SkipReason; got != "not selected" {
		t.Errorf("skip reason = %q, want not selected", got)
	}
	if got := srv.seen(); !slices.Equal(got, []string{"/a/two", "/a/three"}) {
		t.Errorf("sent %v, want two and three only", got)
	}
}

// liveTrace is a Consumer whose runs are Live: it notes which units begin,
// progress and end.
type liveTrace struct {
	mu     sync.Mutex
	events []string
}

func (lt *liveTrace) note(e string) {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	lt.events = append(lt.events, e)
}

func (lt *liveTrace) Start(u *Unit) Run { return &liveRun{lt: lt, name: u.Name()} }
func (lt *liveTrace) End() error        { return nil }

type liveRun struct {
	lt   *liveTrace
	name string
}

func (r *liveRun) Begin()                        { r.lt.note("begin " + r.name) }
func (r *liveRun) Progress(s *runner.StepResult) { r.lt.note("progress " + r.name + " " + s.Name) }
func (r *liveRun) Done()                         { r.lt.note("done " + r.name) }
func (r *liveRun) Step(*runner.StepResult)       {}
func (r *liveRun) Result(res *runner.Result)     { r.lt.note("result " + r.name) }

// TestRunLive checks that a Live run follows its unit while it runs, and
// that a unit that never runs (after --bail) has none of it.
func TestRunLive(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/a/") {
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	t.Cleanup(srv.Close)
	dir := writeFiles(t, map[string]string{"a.yaml": collection("a", "one"), "b.yaml": collection("b", "one")})
	s := newSession(t, Options{Paths: []string{dir}, Vars: baseVars(srv.URL), Jobs: 1, Bail: true})
	lt := &liveTrace{}
	run(t, s, srv.Client(), lt)
	want := []string{"begin a", "progress a one", "done a", "result a", "result b"}
	if !slices.Equal(lt.events, want) {
		t.Errorf("events = %v, want %v", lt.events, want)
	}
}
