package runner

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// sleeps records the waits of a run instead of waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.d = append(s.d, d)
	return ctx.Err()
}

func (s *sleeps) got() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.d)
}

// scripted answers the requests of each path with the next of its
// responses, repeating the last one, and counts the hits.
type scripted struct {
	hits atomic.Int64
	mu   sync.Mutex
	seen []string
}

type answer struct {
	status     int
	retryAfter string
	body       string
}

func (sc *scripted) handler(answers map[string][]answer) http.Handler {
	next := map[string]int{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sc.hits.Add(1)
		sc.mu.Lock()
		sc.seen = append(sc.seen, r.URL.Path)
		list := answers[r.URL.Path]
		i := min(next[r.URL.Path], len(list)-1)
		next[r.URL.Path]++
		sc.mu.Unlock()
		if len(list) == 0 {
			w.WriteHeader(http.StatusOK)
			return
		}
		a := list[i]
		if a.retryAfter != "" {
			w.Header().Set("Retry-After", a.retryAfter)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(a.status)
		fmt.Fprint(w, a.body)
	})
}

func (sc *scripted) paths() []string {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return slices.Clone(sc.seen)
}

func TestRunRetry(t *testing.T) {
	ok := answer{status: 200, body: `{"state":"done"}`}
	tests := []struct {
		name       string
		flow       string
		answers    []answer
		want       Outcome
		wantHits   int64
		wantSleeps []time.Duration
	}{
		{
			name:       "503 honours Retry-After",
			flow:       "retry: { count: 3, interval: 1s, backoff: 2 }",
			answers:    []answer{{status: 503, retryAfter: "7"}, {status: 503, retryAfter: "7"}, ok},
			want:       Passed,
			wantHits:   3,
			wantSleeps: []time.Duration{7 * time.Second, 7 * time.Second},
		},
		{
			name:       "429 Retry-After as an HTTP date in the past waits nothing",
			flow:       "retry: 2",
			answers:    []answer{{status: 429, retryAfter: "Mon, 02 Jan 2006 15:04:05 GMT"}, ok},
			want:       Passed,
			wantHits:   2,
			wantSleeps: []time.Duration{0},
		},
		{
			name:       "backoff grows the interval",
			flow:       "retry: { count: 5, interval: 1s, backoff: 2 }",
			answers:    []answer{{status: 500}, {status: 500}, {status: 500}, ok},
			want:       Passed,
			wantHits:   4,
			wantSleeps: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second},
		},
		{
			name:       "Retry-After ignored on other statuses",
			flow:       "retry: { count: 1, interval: 3s }",
			answers:    []answer{{status: 500, retryAfter: "60"}, ok},
			want:       Passed,
			wantHits:   2,
			wantSleeps: []time.Duration{3 * time.Second},
		},
		{
			name:       "retries run out",
			flow:       "retry: { count: 2, interval: 10ms }",
			answers:    []answer{{status: 500}},
			want:       Failed,
			wantHits:   3,
			wantSleeps: []time.Duration{10 * time.Millisecond, 10 * time.Millisecond},
		},
		{
			name:       "until polls a job until it is done",
			flow:       `until: res.json.state == "done"` + "\n    retry: { count: 5, interval: 2s }",
			answers:    []answer{{status: 200, body: `{"state":"queued"}`}, {status: 200, body: `{"state":"running"}`}, ok},
			want:       Passed,
			wantHits:   3,
			wantSleeps: []time.Duration{2 * time.Second, 2 * time.Second},
		},
		{
			name:       "until reads the step's captures",
			flow:       "capture:\n      state: state\n    until: \"{{ state == 'done' }}\"",
			answers:    []answer{{status: 200, body: `{"state":"queued"}`}, ok},
			want:       Passed,
			wantHits:   2,
			wantSleeps: []time.Duration{time.Second},
		},
		{
			name:       "until never true fails",
			flow:       "until: res.json.state == \"done\"\n    retry: { count: 1, interval: 1s }",
			answers:    []answer{{status: 200, body: `{"state":"queued"}`}},
			want:       Failed,
			wantHits:   2,
			wantSleeps: []time.Duration{time.Second},
		},
		{
			name:       "delay waits before the step",
			flow:       "delay: 250ms",
			answers:    []answer{ok},
			want:       Passed,
			wantHits:   1,
			wantSleeps: []time.Duration{250 * time.Millisecond},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sc scripted
			srv := newServer(t, sc.handler(map[string][]answer{"/job": tt.answers}))
			src := "name: flow\nsteps:\n  - name: poll\n    GET: \"{{ base }}/job\"\n    " + tt.flow + "\n    expect:\n      status: 200\n"
			var sl sleeps
			res := runColl(t, nil, parse(t, src, "base"), Options{Vars: map[string]any{"base": srv.URL}, Sleep: sl.sleep})
			if got := res.Steps[0].Outcome; got != tt.want {
				t.Errorf("outcome = %v, want %v (err %v)", got, tt.want, res.Steps[0].Err)
			}
			if got := sc.hits.Load(); got != tt.wantHits {
				t.Errorf("hits = %d, want %d", got, tt.wantHits)
			}
			if got := sl.got(); !slices.Equal(got, tt.wantSleeps) {
				t.Errorf("sleeps = %v, want %v", got, tt.wantSleeps)
			}
		})
	}
}

func TestRunRetryTransportError(t *testing.T) {
	src := "name: flow\nsteps:\n  - name: down\n    GET: http://" + closedAddr(t) + "/\n    retry: { count: 2, interval: 1s }\n"
	var sl sleeps
	res := runColl(t, nil, parse(t, src), Options{Sleep: sl.sleep})
	if got := res.Steps[0].Outcome; got != Errored {
		t.Errorf("outcome = %v, want error", got)
	}
	if got := sl.got(); len(got) != 2 {
		t.Errorf("sleeps = %v, want 2 retries", got)
	}
}

func TestRunFailAndFinally(t *testing.T) {
	tests := []struct {
		name      string
		steps     string
		cont      bool
		want      []string
		wantPaths []string
		wantErr   string
	}{
		{
			name:      "finally runs after a failure",
			steps:     "  - name: broken\n    GET: \"{{ base }}/broken\"\n    expect:\n      status: 200\n  - name: next\n    GET: \"{{ base }}/next\"\n",
			want:      []string{"broken=failed", "next=not run", "cleanup=passed"},
			wantPaths: []string{"/broken", "/cleanup"},
		},
		{
			name:      "fail stops the collection even with continue",
			steps:     "  - name: first\n    GET: \"{{ base }}/first\"\n  - name: stop\n    fail: \"no {{ what }} today\"\n  - name: next\n    GET: \"{{ base }}/next\"\n",
			cont:      true,
			want:      []string{"first=passed", "stop=failed", "next=not run", "cleanup=passed"},
			wantPaths: []string{"/first", "/cleanup"},
			wantErr:   "fail: no coffee today",
		},
		{
			name:      "fail whose if is false is skipped",
			steps:     "  - name: stop\n    if: what == \"tea\"\n    fail: \"no {{ what }} today\"\n  - name: next\n    GET: \"{{ base }}/next\"\n",
			want:      []string{"stop=skipped", "next=passed", "cleanup=passed"},
			wantPaths: []string{"/next", "/cleanup"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sc scripted
			srv := newServer(t, sc.handler(map[string][]answer{"/broken": {{status: 500}}}))
			src := "name: flow\nvars:\n  what: coffee\nsteps:\n" + tt.steps + "finally:\n  - name: cleanup\n    DELETE: \"{{ base }}/cleanup\"\n    expect:\n      status: 200\n"
			var seen []string
			res := runColl(t, nil, parse(t, src, "base"), Options{Vars: map[string]any{"base": srv.URL}, Continue: tt.cont,
				OnStep: func(s *StepResult) { seen = append(seen, s.Name) }})
			var got []string
			for _, s := range res.Steps {
				got = append(got, s.Name+"="+s.Outcome.String())
				if s.Err != nil && tt.wantErr != "" && !strings.Contains(s.Err.Error(), tt.wantErr) {
					t.Errorf("step %s error = %v, want %q", s.Name, s.Err, tt.wantErr)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("steps = %v, want %v", got, tt.want)
			}
			if got := sc.paths(); !slices.Equal(got, tt.wantPaths) {
				t.Errorf("requests = %v, want %v", got, tt.wantPaths)
			}
			if len(seen) != len(tt.want) {
				t.Errorf("OnStep saw %v, want every step including finally", seen)
			}
		})
	}
}

// closedAddr returns a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	srv := newServer(t, http.NotFoundHandler())
	addr := srv.Listener.Addr().String()
	srv.Close()
	return addr
}

// TestUntilErrorMasked checks that the error of an until: expression that
// is not a boolean, raised after the step was masked, is masked too.
func TestUntilErrorMasked(t *testing.T) {
	srv := jsonServer(t, `{"state":"done"}`)
	src := "secrets: [token]\nvars:\n  token: \"" + testAPIKey + "\"\nsteps:\n  - name: poll\n    GET: \"{{ base }}/x\"\n    until: token\n"
	res := runColl(t, nil, parse(t, src, "base"), Options{Vars: map[string]any{"base": srv.URL}})
	wantOutcomes(t, res, "error")
	err := res.Steps[0].Err
	if err == nil || !strings.Contains(err.Error(), Mask) {
		t.Fatalf("step Err = %v, want the until: error with the secret masked", err)
	}
	assertNoSecret(t, "the until: error", err.Error(), testAPIKey)
}

// TestUntilSeesWholeBody checks that until: reads the response as
// received, not the excerpt a result keeps: the field it tests sits past
// the body limit, and passed steps keep no body at all by default.
func TestUntilSeesWholeBody(t *testing.T) {
	body := `{"pad":"` + strings.Repeat("x", 2048) + `","state":"done"}`
	srv := jsonServer(t, body)
	src := "name: flow\nsteps:\n  - name: poll\n    GET: \"{{ base }}/x\"\n    until: res.json.state == \"done\"\n    retry: { count: 1, interval: 1s }\n"
	var sl sleeps
	res := runColl(t, nil, parse(t, src, "base"), Options{Vars: map[string]any{"base": srv.URL}, Limits: Limits{BodyLimit: 512}, Sleep: sl.sleep})
	wantOutcomes(t, res, "passed")
	if got := sl.got(); len(got) != 0 {
		t.Errorf("sleeps = %v, want none: until: held on the first try", got)
	}
}
