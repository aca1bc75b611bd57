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
	"sync"
	"testing"
	"time"

	"github.com/callsheet/callsheet/runner"
)

// hangGuard bounds every session a test runs: far beyond what a loaded
// machine needs, it only stops a test that would hang.
const hangGuard = time.Minute

// writeFiles writes name → content into a new temporary folder and
// returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// echoServer answers every request with {"path": PATH} and counts the
// paths it saw.
type echoServer struct {
	*httptest.Server
	mu    sync.Mutex
	paths []string
}

func newEchoServer(t *testing.T) *echoServer {
	t.Helper()
	s := &echoServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.paths = append(s.paths, r.URL.Path)
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"path": %q, "token": "tok-%d"}`, r.URL.Path, len(r.URL.Path))
	}))
	t.Cleanup(s.Close)
	return s
}

// seen returns the paths requested so far.
func (s *echoServer) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.paths)
}

// count returns how many times path was requested.
func (s *echoServer) count(path string) int {
	n := 0
	for _, p := range s.seen() {
		if p == path {
			n++
		}
	}
	return n
}

// collection is a collection file named name whose steps GET
// {{ base }}/NAME/STEP for each step.
func collection(name string, steps ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "name: %s\nsteps:\n", name)
	for _, s := range steps {
		fmt.Fprintf(&b, "  - name: %s\n    GET: \"{{ base }}/%s/%s\"\n    expect: { status: 200 }\n", s, name, s)
	}
	return b.String()
}

// newSession makes, loads and plans a session of opts, failing the test
// on any error.
func newSession(t *testing.T, opts Options) *Session {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatalf("New() error = %v", err)
	}
	if errs := s.Load(); len(errs) > 0 {
		t.Fatalf("Load() errors = %v", errs)
	}
	if err := s.Plan(); err != nil {
		t.Fatalf("Plan() error = %v", err)
	}
	return s
}

// run runs s with client against consumers, bounded by hangGuard.
func run(t *testing.T, s *Session, client *http.Client, consumers ...Consumer) Summary {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), hangGuard)
	defer cancel()
	sum, err := s.Run(ctx, runner.New(client), consumers...)
	if err != nil {
		t.Fatalf("Run() error = %v", err)
	}
	return sum
}

// baseVars sets --var base=url.
func baseVars(url string) Vars {
	var v Vars
	v.Set(LayerVar, map[string]any{"base": url})
	return v
}

// trace is a Consumer that notes every call, for checking the order of
// what consumers get.
type trace struct {
	needs runner.Needs
	mu    sync.Mutex
	// events are "start U", "step U S", "result U" in order of calls;
	// results the results in order.
	events  []string
	results []*runner.Result
	ended   int
}

func (tr *trace) Needs() runner.Needs { return tr.needs }

func (tr *trace) note(e string) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.events = append(tr.events, e)
}

func (tr *trace) Start(u *Unit) Run {
	tr.note("start " + u.Name())
	return &traceRun{tr: tr, u: u}
}

func (tr *trace) End() error {
	tr.ended++
	return nil
}

// of returns the events of unit name, in order.
func (tr *trace) of(name string) []string {
	var out []string
	for _, e := range tr.events {
		if strings.HasSuffix(e, " "+name) || strings.Contains(e, " "+name+" ") {
			out = append(out, e)
		}
	}
	return out
}

// resultOrder lists the units in the order their results came.
func (tr *trace) resultOrder() []string {
	var out []string
	for _, r := range tr.results {
		out = append(out, r.Name)
	}
	return out
}

type traceRun struct {
	tr *trace
	u  *Unit
}

func (r *traceRun) Step(s *runner.StepResult) { r.tr.note("step " + r.u.Name() + " " + s.Name) }

func (r *traceRun) Result(res *runner.Result) {
	r.tr.note("result " + r.u.Name())
	r.tr.mu.Lock()
	r.tr.results = append(r.tr.results, res)
	r.tr.mu.Unlock()
}
