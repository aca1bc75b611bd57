package arazzo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/arazzotest"
	"github.com/callsheet/callsheet/internal/golden"
)

// flow is one run of a workflow in testdata/run against a library server.
type flow struct {
	t   *testing.T
	lib *library
	tr  *tracer
	// delays are the waits the engine asked for; the tests do not wait.
	mu     sync.Mutex
	delays []time.Duration
	engine *Engine
	src    Sources
}

func newFlow(t *testing.T) *flow {
	t.Helper()
	lib := newLibrary(t)
	f := &flow{t: t, lib: lib, tr: &tracer{server: lib.url}}
	f.engine = &Engine{
		Sender:     &HTTPSender{Client: &http.Client{Timeout: 30 * time.Second}},
		OnStep:     f.tr.step,
		OnWorkflow: f.tr.workflow,
		Sleep: func(ctx context.Context, d time.Duration) error {
			f.mu.Lock()
			f.delays = append(f.delays, d)
			f.mu.Unlock()
			return ctx.Err()
		},
	}
	f.src = Sources{OpenAPI: f.openAPI, Fetch: f.fetch, Servers: map[string]string{"library": lib.url}}
	return f
}

// flowsSite is where testdata/run seems to be on the web, for documents
// whose $self is there; fetch and openAPI read its files from disk.
const flowsSite = "https://flows.example.test/"

func (f *flow) fetch(_ context.Context, location string) ([]byte, error) {
	name, ok := strings.CutPrefix(location, flowsSite)
	if !ok {
		return nil, fmt.Errorf("test fetch: %s is not on %s", location, flowsSite)
	}
	return os.ReadFile(filepath.Join("testdata", "run", name))
}

func (f *flow) openAPI(ctx context.Context, location string) (API, error) {
	return ReadOpenAPI(f.fetch)(ctx, location)
}

// load parses and resolves testdata/run/<name>.arazzo.yaml.
func (f *flow) load(name string) *Description {
	f.t.Helper()
	file := filepath.Join("testdata", "run", name+".arazzo.yaml")
	doc, err := Load(file)
	if err != nil {
		f.t.Fatalf("Load(%s) error:\n%s", file, collections.RenderErrors(err, nil))
	}
	d, err := Resolve(context.Background(), doc, f.src)
	if err != nil {
		f.t.Fatalf("Resolve(%s) error:\n%v", file, err)
	}
	return d
}

// run runs a workflow and returns its result.
func (f *flow) run(d *Description, workflow string, inputs map[string]any) *WorkflowResult {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second) // hang guard
	defer cancel()
	res, err := f.engine.Run(ctx, d, workflow, inputs)
	if err != nil {
		f.t.Fatalf("Run(%s) error = %v", workflow, err)
	}
	return res
}

// check compares the trace with testdata/run/<name>.golden.
func (f *flow) check(name string) {
	f.t.Helper()
	golden.Check(f.t, filepath.Join("testdata", "run", name+".golden"), []byte(f.tr.b.String()), *update)
}

func TestRunBorrow(t *testing.T) {
	f := newFlow(t)
	f.lib.SetFaults(arazzotest.Faults{Busy: 1})
	d := f.load("borrow")
	res := f.run(d, "borrow", map[string]any{"member": "ada", "pin": "1234", "title": "Dune"})
	if !res.Passed || res.Outputs["loan"] != "/loans/7" {
		t.Errorf("borrow = passed %v, outputs %v; want passed with loan /loans/7", res.Passed, res.Outputs)
	}
	if n := f.lib.Called("lend"); n != 2 {
		t.Errorf("lend calls = %d, want 2 (one refused, one retried)", n)
	}
	if len(f.delays) != 1 || f.delays[0] != 500*time.Millisecond {
		t.Errorf("delays = %v, want [500ms]", f.delays)
	}
	f.check("borrow")
}

var _ = errors.New
var _ = strings.Contains

func TestRunRequests(t *testing.T) {
	f := newFlow(t)
	d := f.load("requests")
	res := f.run(d, "build", map[string]any{"id": "o-1", "n": "3", "tags": []any{"red", "blue"}, "note": "x<y"})
	if !res.Passed {
		t.Errorf("build failed: %v", res.Err)
	}
	f.check("requests")
}

func TestRunCriteria(t *testing.T) {
	f := newFlow(t)
	d := f.load("criteria")
	if res := f.run(d, "pass", nil); !res.Passed {
		t.Errorf("pass failed")
	}
	if res := f.run(d, "fail", nil); res.Passed || res.Failed == nil || len(res.Failed.Criteria) != 9 {
		t.Errorf("fail = %+v; want a failure with 9 criteria results", res)
	}
	f.check("criteria")
}

func TestRunActions(t *testing.T) {
	tests := []struct {
		workflow string
		setup    arazzotest.Faults
		passed   bool
		check    func(t *testing.T, f *flow, res *WorkflowResult)
	}{
		{workflow: "poll-retry", passed: true, check: func(t *testing.T, f *flow, res *WorkflowResult) {
			if n := f.lib.Called("job:j1"); n != 3 || len(f.delays) != 2 || f.delays[0] != 250*time.Millisecond {
				t.Errorf("job calls %d, delays %v; want 3 calls and two waits of 250ms", n, f.delays)
			}
			if res.Outputs["result"] != json.Number("42") {
				t.Errorf("outputs = %v, want result 42", res.Outputs)
			}
		}},
		{workflow: "poll-goto", passed: true, check: func(t *testing.T, f *flow, res *WorkflowResult) {
			if n := f.lib.Called("job:j2"); n != 3 || res.Steps != 4 {
				t.Errorf("job calls %d, step runs %d; want 3 and 4", n, res.Steps)
			}
		}},
		{workflow: "give-up", setup: arazzotest.Faults{FlakyFails: 5}, check: func(t *testing.T, f *flow, res *WorkflowResult) {
			if n := f.lib.Called("flaky:k1"); n != 3 || res.Ended == nil || res.Ended.Name != "give-up" {
				t.Errorf("flaky calls %d, ended %+v; want 3 calls (two retries), ended by give-up", n, res.Ended)
			}
		}},
		{workflow: "retry-after", setup: arazzotest.Faults{FlakyFails: 2, RetryAfter: "7"}, passed: true, check: func(t *testing.T, f *flow, res *WorkflowResult) {
			if len(f.delays) != 2 || f.delays[0] != 7*time.Second {
				t.Errorf("delays = %v, want two of 7s (Retry-After over retryAfter)", f.delays)
			}
		}},
		{workflow: "refresh", setup: arazzotest.Faults{Expired: true}, passed: true, check: func(t *testing.T, f *flow, res *WorkflowResult) {
			if f.lib.Called("refresh") != 1 || f.lib.Called("books") != 2 {
				t.Errorf("refresh %d, books %d; want 1 and 2", f.lib.Called("refresh"), f.lib.Called("books"))
			}
		}},
		{workflow: "hand-over", passed: true, check: func(t *testing.T, f *flow, res *WorkflowResult) {
			if res.Ended == nil || res.Ended.Target != "poll-retry" || f.lib.Called("job:j1") != 3 {
				t.Errorf("ended %+v; want a hand-over to poll-retry", res.Ended)
			}
		}},
		{workflow: "recover", passed: true},
		{workflow: "retry-via-workflow", setup: arazzotest.Faults{FlakyFails: 1}, passed: true, check: func(t *testing.T, f *flow, res *WorkflowResult) {
			if got := strings.Join(f.lib.Requests(), ", "); got != "GET /flaky/k3, GET /status/200, GET /status/200, GET /flaky/k3" {
				t.Errorf("requests = %s; want the child workflow between the two tries", got)
			}
		}},
		{workflow: "fail-end", check: func(t *testing.T, f *flow, res *WorkflowResult) {
			if _, ok := res.Outputs["code"]; res.Ended == nil || res.Failed == nil || ok {
				t.Errorf("result = %+v; want failed, ended by not-found, without the output of the failed step", res)
			}
		}},
		{workflow: "loop", check: func(t *testing.T, f *flow, res *WorkflowResult) {
			if res.Err == nil || res.Steps != 5 {
				t.Errorf("loop = %d step runs, error %v; want 5 and an error", res.Steps, res.Err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.workflow, func(t *testing.T) {
			f := newFlow(t)
			f.engine.MaxStepRuns = 5
			if tt.setup != (arazzotest.Faults{}) {
				f.lib.SetFaults(tt.setup)
			}
			res := f.run(f.load("actions"), tt.workflow, nil)
			if res.Passed != tt.passed {
				t.Errorf("%s passed = %v, want %v", tt.workflow, res.Passed, tt.passed)
			}
			if tt.check != nil {
				tt.check(t, f, res)
			}
			f.check("actions-" + tt.workflow)
		})
	}
}

func TestRunCalls(t *testing.T) {
	f := newFlow(t)
	d := f.load("calls")
	res := f.run(d, "find", map[string]any{"member": "ada", "title": "Dune"})
	if !res.Passed {
		t.Errorf("find failed")
	}
	f.check("calls")
	f.tr.b.Reset()
	if res := f.run(d, "broken-dependency", nil); res.Passed || res.Err == nil {
		t.Errorf("broken-dependency = %+v; want a failure saying its dependency failed", res)
	}
	f.check("calls-broken")
}

func TestRunSteps11(t *testing.T) {
	f := newFlow(t)
	d := f.load("steps-1.1")
	if res := f.run(d, "ordered", nil); !res.Passed {
		t.Errorf("ordered failed")
	}
	if got := strings.Join(f.lib.Requests(), ", "); got != "GET /status/201, GET /echo/201" {
		t.Errorf("requests = %s; want first before second", got)
	}
	res := f.run(d, "skipped-dependency", nil)
	if res.Passed || res.Failed == nil || res.Failed.Step != "needs-middle" {
		t.Errorf("skipped-dependency = %+v; want a failure of needs-middle", res)
	}
	res = f.run(d, "timeout", nil)
	if res.Passed || res.Failed == nil || !errors.Is(res.Failed.Err, context.DeadlineExceeded) {
		t.Errorf("timeout = %+v; want the step to fail with its deadline", res)
	}
	f.check("steps-1.1")
}

func TestRunExpressions(t *testing.T) {
	f := newFlow(t)
	d := f.load("expressions")
	res := f.run(d, "read-everything", map[string]any{"user": map[string]any{"name": "ada", "tags": []any{"a", "b"}}})
	if !res.Passed || res.Outputs["tag"] != "a" || res.Outputs["second"] != "b" || res.Outputs["who"] != "ada" {
		t.Errorf("read-everything = passed %v, outputs %v", res.Passed, res.Outputs)
	}
	f.check("expressions")
}
