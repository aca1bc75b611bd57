package arazzo

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callsheet/callsheet/collections"
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
		Sender:     httpSender{client: &http.Client{Timeout: 30 * time.Second}},
		OnStep:     f.tr.step,
		OnWorkflow: f.tr.workflow,
		Sleep: func(ctx context.Context, d time.Duration) error {
			f.mu.Lock()
			f.delays = append(f.delays, d)
			f.mu.Unlock()
			return ctx.Err()
		},
	}
	f.src = Sources{OpenAPI: loadTestAPI, Servers: map[string]string{"library": lib.url}}
	return f
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
	f.lib.busy = 1
	d := f.load("borrow")
	res := f.run(d, "borrow", map[string]any{"member": "ada", "pin": "1234", "title": "Dune"})
	if !res.Passed || res.Outputs["loan"] != "/loans/7" {
		t.Errorf("borrow = passed %v, outputs %v; want passed with loan /loans/7", res.Passed, res.Outputs)
	}
	if n := f.lib.called("lend"); n != 2 {
		t.Errorf("lend calls = %d, want 2 (one refused, one retried)", n)
	}
	if len(f.delays) != 1 || f.delays[0] != 500*time.Millisecond {
		t.Errorf("delays = %v, want [500ms]", f.delays)
	}
	f.check("borrow")
}

var _ = errors.New
var _ = strings.Contains
