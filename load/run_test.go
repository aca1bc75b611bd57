package load

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// pairs is a server whose /issue hands out a fresh id, in a cookie and in
// the body, and whose /use wants it back both ways: a user that saw
// another's cookie or capture fails its check.
type pairs struct {
	mu     sync.Mutex
	issued map[string]bool
	used   map[string]bool
	next   int
	issues atomic.Int64
	uses   atomic.Int64
	bad    atomic.Int64
}

func (p *pairs) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch r.URL.Path {
	case "/issue":
		p.issues.Add(1)
		p.next++
		id := fmt.Sprint(p.next)
		p.issued[id] = true
		http.SetCookie(w, &http.Cookie{Name: "id", Value: id})
		fmt.Fprintf(w, `{"id": %q}`, id)
	case "/use":
		p.uses.Add(1)
		c, err := r.Cookie("id")
		id := r.URL.Query().Get("id")
		if err != nil || c.Value != id || !p.issued[id] || p.used[id] {
			p.bad.Add(1)
			w.WriteHeader(http.StatusConflict)
			return
		}
		p.used[id] = true
	}
}

const pairSrc = `
name: pairs
steps:
  - name: issue
    GET: "{{ base }}/issue"
    expect: { status: 200 }
    capture: { id: { json: id } }
  - name: use
    GET: "{{ base }}/use"
    query: { id: "{{ id }}" }
    expect: { status: 200 }
`

func TestPerVUIterationsRunsEachUserItsCount(t *testing.T) {
	p := &pairs{issued: map[string]bool{}, used: map[string]bool{}}
	srv := server(t, p)
	s := run(t, srv, pairSrc, Scenario{Executor: PerVUIterations, VUs: 4, Iterations: 5})
	if got := p.issues.Load() + p.uses.Load(); got != 40 {
		t.Errorf("server saw %d requests, want 4 users × 5 iterations × 2 steps = 40", got)
	}
	if p.bad.Load() != 0 {
		t.Errorf("%d requests carried another iteration's cookie or capture", p.bad.Load())
	}
	if s.Iterations != 20 || s.Total.Requests != 40 || s.Total.ChecksFailed != 0 || s.Total.ChecksPassed != 40 {
		t.Errorf("summary: %d iterations, %d requests, %d/%d checks passed; want 20, 40, 40/40",
			s.Iterations, s.Total.Requests, s.Total.ChecksPassed, s.Total.ChecksPassed+s.Total.ChecksFailed)
	}
	for _, name := range []string{"issue", "use"} {
		st := s.Step(name)
		if st == nil || st.Requests != 20 || st.Latency.Count() != 20 {
			t.Errorf("step %s: %+v, want 20 requests and 20 latencies", name, st)
		}
	}
	if s.Total.Corrected != nil {
		t.Error("a run of users has a corrected latency; only arrival-rate runs have a schedule")
	}
}

// gate holds every request until n are in flight at once, then lets
// them all go: a test of it ends only if n users run concurrently.
type gate struct {
	n        int
	mu       sync.Mutex
	inFlight int
	peak     int
	open     chan struct{}
}

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	g.inFlight++
	g.peak = max(g.peak, g.inFlight)
	if g.inFlight == g.n {
		select {
		case <-g.open:
		default:
			close(g.open)
		}
	}
	g.mu.Unlock()
	select {
	case <-g.open:
	case <-r.Context().Done():
	}
	g.mu.Lock()
	g.inFlight--
	g.mu.Unlock()
}

func TestConstantVUsRunsThatManyAtOnce(t *testing.T) {
	g := &gate{n: 5, open: make(chan struct{})}
	srv := server(t, g)
	s := run(t, srv, "steps:\n  - GET: \"{{ base }}/x\"\n", Scenario{Executor: ConstantVUs, VUs: 5, Duration: 200 * time.Millisecond})
	if g.peak != 5 {
		t.Errorf("peak of %d requests in flight, want exactly 5 users", g.peak)
	}
	if s.Total.Requests < 5 {
		t.Errorf("%d requests, want at least one per user", s.Total.Requests)
	}
	if s.Total.Errors != 0 {
		t.Errorf("%d errors: iterations cut short by the end must not count", s.Total.Errors)
	}
}

func TestArrivalRateDropsWhatNoUserCanStart(t *testing.T) {
	var started atomic.Int64
	release := make(chan struct{})
	srv := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer close(release)
	sc := Scenario{Executor: ConstantArrivalRate, Rate: 100, Duration: 500 * time.Millisecond, VUs: 1, MaxVUs: 2, GracefulStop: 10 * time.Millisecond}
	s := run(t, srv, "steps:\n  - GET: \"{{ base }}/x\"\n", sc)
	if started.Load() != 2 {
		t.Errorf("server saw %d requests, want 2: every user stays busy", started.Load())
	}
	// 50 iterations are due in 500ms; 2 started, the others could not.
	if s.Dropped != 48 {
		t.Errorf("Dropped = %d, want 48", s.Dropped)
	}
	if s.Total.Errors != 0 {
		t.Errorf("%d errors: requests cancelled at the end are not the server's errors", s.Total.Errors)
	}
	var seriesDropped int64
	for _, p := range s.Series {
		seriesDropped += p.Dropped
	}
	if seriesDropped != s.Dropped {
		t.Errorf("the series drops %d iterations, the total %d", seriesDropped, s.Dropped)
	}
}

func TestArrivalRateStartsItsSchedule(t *testing.T) {
	var n atomic.Int64
	srv := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1) }))
	sc := Scenario{Executor: ConstantArrivalRate, Rate: 200, Duration: 300 * time.Millisecond, MaxVUs: 50}
	s := run(t, srv, "steps:\n  - GET: \"{{ base }}/x\"\n", sc)
	// 60 are due: each starts, or is dropped when the generator falls
	// behind.
	if got := n.Load(); got+s.Dropped != 60 || got == 0 {
		t.Errorf("server saw %d requests and %d were dropped, want 60 in all", got, s.Dropped)
	}
	if s.Total.Corrected == nil || s.Total.Corrected.Count() != s.Total.Latency.Count() {
		t.Error("an arrival-rate run keeps a corrected latency for every request")
	}
}

func TestInterruptStopsTheTest(t *testing.T) {
	srv := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	sc, _ := Scenario{VUs: 2, Duration: time.Hour}.Complete()
	ctx, cancel := context.WithCancel(context.Background())
	test := &Test{Collection: parse(t, "steps:\n  - GET: \"{{ base }}/x\"\n"), Scenario: sc,
		Runner: runnerFor(srv), Options: varsFor(srv), Tick: 20 * time.Millisecond,
		Progress: func(p Progress) {
			if p.Requests > 10 {
				cancel()
			}
		}}
	done := make(chan *Summary)
	go func() { s, _ := test.Run(ctx); done <- s }()
	select {
	case s := <-done:
		if !strings.Contains(s.Aborted, "interrupted") {
			t.Errorf("Aborted = %q, want interrupted", s.Aborted)
		}
	case <-time.After(hangGuard):
		t.Fatal("cancelling the context did not stop the test")
	}
}

func TestRampingVUsNeverExceedsItsTarget(t *testing.T) {
	var mu sync.Mutex
	inFlight, peak := 0, 0
	srv := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		peak = max(peak, inFlight)
		mu.Unlock()
		time.Sleep(5 * time.Millisecond)
		mu.Lock()
		inFlight--
		mu.Unlock()
	}))
	sc := Scenario{Stages: []Stage{{200 * time.Millisecond, 4}, {300 * time.Millisecond, 4}, {200 * time.Millisecond, 0}}}
	s := run(t, srv, "steps:\n  - GET: \"{{ base }}/x\"\n", sc)
	if peak > 4 || peak == 0 {
		t.Errorf("peak of %d requests in flight, want between 1 and the ramp's 4", peak)
	}
	maxVUs := 0
	for _, p := range s.Series {
		maxVUs = max(maxVUs, p.VUs)
	}
	if maxVUs > 4 || s.Total.Requests == 0 {
		t.Errorf("series peaks at %d users with %d requests, want at most 4 and some requests", maxVUs, s.Total.Requests)
	}
}

func TestRampingArrivalRateStartsOrDropsItsSchedule(t *testing.T) {
	var n atomic.Int64
	srv := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1) }))
	// From 0 to 200/s over 400ms, then 200/s for 100ms: 40 + 20 due.
	sc := Scenario{Executor: RampingArrivalRate, MaxVUs: 20, Stages: []Stage{{400 * time.Millisecond, 200}, {100 * time.Millisecond, 200}}}
	s := run(t, srv, "steps:\n  - GET: \"{{ base }}/x\"\n", sc)
	if got := n.Load(); got+s.Dropped != 60 || got == 0 {
		t.Errorf("server saw %d requests and %d were dropped, want 60 in all", got, s.Dropped)
	}
}
