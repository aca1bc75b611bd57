package runner

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

func TestKeepBodies(t *testing.T) {
	base := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/bad" {
			w.WriteHeader(http.StatusNotFound)
		}
		w.Write([]byte(`{"ok":true}`))
	})).URL
	src := `steps:
  - name: good
    POST: "{{ base }}/good"
    body: "hello"
    expect: {status: 200}
  - name: bad
    POST: "{{ base }}/bad"
    body: "hello"
    expect: {status: 200}
`
	tests := []struct {
		name string
		keep bool
		// wantGood says whether the passed step keeps its bodies; the
		// failed step always does.
		wantGood bool
	}{
		{"passed steps drop their bodies by default", false, false},
		{"KeepBodies keeps passed steps' bodies", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen []string
			opts := Options{
				Vars:      map[string]any{"base": base},
				Continue:  true,
				Retention: Retention{KeepBodies: tt.keep},
				OnStep: func(s *StepResult) {
					seen = append(seen, s.Name+"="+string(s.Response.Body))
				},
			}
			res := runColl(t, nil, parse(t, src, "base"), opts)
			wantOutcomes(t, res, "passed,failed")
			good, bad := res.Steps[0], res.Steps[1]
			if got := good.Response.Body != nil || good.Request.Body != nil; got != tt.wantGood {
				t.Errorf("passed step: Response.Body = %q, Request.Body = %q; want kept %v", good.Response.Body, good.Request.Body, tt.wantGood)
			}
			if good.Response.Size != 11 || good.Request.BodySize != 5 || good.Response.Status != 200 || good.Response.Header == nil {
				t.Errorf("passed step: size %d, body size %d, status %d, header %v; want 11, 5, 200 and the headers", good.Response.Size, good.Request.BodySize, good.Response.Status, good.Response.Header)
			}
			if string(bad.Response.Body) != `{"ok":true}` || string(bad.Request.Body) != "hello" {
				t.Errorf("failed step: Response.Body = %q, Request.Body = %q; want both kept", bad.Response.Body, bad.Request.Body)
			}
			// OnStep sees the result as it is kept.
			wantGoodSeen := "good="
			if tt.wantGood {
				wantGoodSeen += `{"ok":true}`
			}
			if got := strings.Join(seen, " "); got != wantGoodSeen+` bad={"ok":true}` {
				t.Errorf("OnStep saw %q", got)
			}
		})
	}
}

// TestSummaries checks that Options.Summaries keeps only the number of
// the steps that passed or were skipped once OnStep and OnFinal have
// seen them whole, keeps the others whole, and leaves the counts right.
func TestSummaries(t *testing.T) {
	base := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/bad" {
			w.WriteHeader(http.StatusNotFound)
		}
		w.Write([]byte(`{"id":7}`))
	})).URL
	src := `steps:
  - name: good
    GET: "{{ base }}/good"
    expect: {status: 200, json: {id: 7}}
    capture: {id: id}
  - name: skipped
    if: id == 0
    GET: "{{ base }}/never"
  - name: bad
    GET: "{{ base }}/bad"
    expect: {status: 200}
  - name: later
    GET: "{{ base }}/later"
`
	for _, summaries := range []bool{false, true} {
		t.Run(fmt.Sprintf("Summaries=%v", summaries), func(t *testing.T) {
			var seenWhole, final []string
			opts := Options{
				Vars:      map[string]any{"base": base},
				Retention: Retention{Summaries: summaries},
				OnStep: func(s *StepResult) {
					if s.Request != nil && len(s.Checks) > 0 {
						seenWhole = append(seenWhole, s.Name)
					}
				},
				OnFinal: func(s *StepResult) {
					if s.Outcome == NotRun || s.Outcome == Skipped || s.Request != nil && len(s.Checks) > 0 {
						final = append(final, s.Name)
					}
				},
			}
			res := runColl(t, nil, parse(t, src, "base"), opts)
			if got := strings.Join(seenWhole, ","); got != "good,bad" {
				t.Errorf("OnStep saw whole: %s, want good,bad", got)
			}
			if got := strings.Join(final, ","); got != "good,skipped,bad,later" {
				t.Errorf("OnFinal saw whole: %s, want good,skipped,bad,later", got)
			}
			want := "passed,skipped,failed,not run"
			if summaries {
				want = "failed,not run"
			}
			wantOutcomes(t, res, want)
			bad := res.Steps[len(res.Steps)-2]
			if bad.Request == nil || bad.Response == nil || bad.Response.Status != 404 || len(bad.Checks) != 1 || string(bad.Response.Body) != `{"id":7}` {
				t.Errorf("failed step not kept whole: %+v", bad)
			}
			if c := res.Counts(); c[Passed] != 1 || c[Skipped] != 1 || c[Failed] != 1 || c[NotRun] != 1 {
				t.Errorf("Counts() = %v", c)
			}
		})
	}
}

// BenchmarkRetainedPerStep reports the heap a finished run's results hold
// per step (retained-B/step), after a garbage collection, for results kept
// the way a long --iterations run keeps them. It measures memory, not time:
// compare the metric across changes.
func BenchmarkRetainedPerStep(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":123,"name":"x","items":[1,2,3]}`))
	}))
	b.Cleanup(srv.Close)
	src := `steps:
  - name: a
    GET: "{{ base }}/a"
    expect: {status: 200, json: {id: 123}}
    capture: {id: id}
  - name: b
    GET: "{{ base }}/b/{{ id }}"
    expect: {status: 200}
  - name: c
    GET: "{{ base }}/c"
    expect: {status: 200, json: {items.#: 3}}
  - name: d
    POST: "{{ base }}/d"
    json: {id: "{{ id }}"}
    expect: {status: 200}
  - name: e
    GET: "{{ base }}/e"
    expect: {status: 200}
`
	for _, mode := range []struct {
		name            string
		keep, summaries bool
	}{{"drop", false, false}, {"keep", true, false}, {"summaries", false, true}} {
		b.Run(mode.name, func(b *testing.B) {
			file := filepath.Join(b.TempDir(), "chain.yaml")
			if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
				b.Fatal(err)
			}
			c, err := collections.Load(file, collections.Options{Defined: []string{"base"}})
			if err != nil {
				b.Fatal(err)
			}
			r := New(srv.Client())
			opts := Options{Vars: map[string]any{"base": srv.URL}, Retention: Retention{KeepBodies: mode.keep, Summaries: mode.summaries}}
			results := make([]*Result, 0, b.N)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			for b.Loop() {
				results = append(results, r.Run(b.Context(), c, opts))
			}
			b.StopTimer()
			runtime.GC()
			runtime.ReadMemStats(&after)
			steps := 0
			for _, res := range results {
				for _, n := range res.Counts() {
					steps += n
				}
			}
			if steps > 0 {
				b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/float64(steps), "retained-B/step")
			}
			runtime.KeepAlive(results)
		})
	}
}

// TestOnFinal checks when results are final: a step is held while a later
// step may capture a secret, then masked with it; once no later step
// captures one, each step is final as soon as it ends.
func TestOnFinal(t *testing.T) {
	const session = "sess-0123456789abcdef"
	base := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"session":%q,"path":%q}`, session, r.URL.Path)
	})).URL
	src := `steps:
  - name: echo
    GET: "{{ base }}/echo"
  - name: login
    GET: "{{ base }}/login"
    capture:
      session: { json: session, secret: true }
  - name: after one
    GET: "{{ base }}/one"
  - name: after two
    GET: "{{ base }}/two"
finally:
  - name: cleanup
    GET: "{{ base }}/cleanup"
`
	var events []string
	var finalBodies []string
	opts := Options{
		Vars:      map[string]any{"base": base},
		Retention: Retention{KeepBodies: true, Summaries: true},
		OnStep:    func(s *StepResult) { events = append(events, "step "+s.Name) },
		OnFinal: func(s *StepResult) {
			events = append(events, "final "+s.Name)
			finalBodies = append(finalBodies, string(s.Response.Body))
		},
	}
	res := runColl(t, nil, parse(t, src, "base"), opts)
	wantOutcomes(t, res, "") // Summaries keeps no passed step
	want := "step echo,step login,final echo,final login,step after one,final after one,step after two,final after two,step cleanup,final cleanup"
	if got := strings.Join(events, ","); got != want {
		t.Errorf("events:\n%s\nwant\n%s", got, want)
	}
	for i, b := range finalBodies {
		if strings.Contains(b, session) {
			t.Errorf("OnFinal body %d holds the secret: %s", i, b)
		}
	}
	if !strings.Contains(finalBodies[0], `"session":"***"`) {
		t.Errorf("echo's body = %s, want the session masked", finalBodies[0])
	}
	if len(res.Steps) != 0 || res.Counts()[Passed] != 5 {
		t.Errorf("Steps = %d, Counts() = %v; want no step kept and 5 passed", len(res.Steps), res.Counts())
	}
}

// TestOnFinalRemasksWithinAStep checks that a run of a repeat: step is
// masked again when a later run of the same step captures, as secret, a
// value the earlier one showed.
func TestOnFinalRemasksWithinAStep(t *testing.T) {
	const first, second = "tok-aaaaaaaa1111", "tok-bbbbbbbb2222"
	var n atomic.Int32
	base := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if n.Add(1) == 1 {
			fmt.Fprintf(w, `{"now":%q,"next":%q}`, first, second)
			return
		}
		fmt.Fprintf(w, `{"now":%q}`, second)
	})).URL
	src := `steps:
  - name: rotate
    repeat: 2
    GET: "{{ base }}/rotate"
    capture:
      token: { json: now, secret: true }
`
	var bodies []string
	opts := Options{
		Vars:      map[string]any{"base": base},
		Retention: Retention{KeepBodies: true},
		OnFinal:   func(s *StepResult) { bodies = append(bodies, string(s.Response.Body)) },
	}
	wantOutcomes(t, runColl(t, nil, parse(t, src, "base"), opts), "passed,passed")
	want := []string{`{"now":"***","next":"***"}`, `{"now":"***"}`}
	if strings.Join(bodies, " ") != strings.Join(want, " ") {
		t.Errorf("OnFinal bodies = %q, want %q", bodies, want)
	}
}
