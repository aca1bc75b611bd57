package session

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/runner"
)

// flowsOpenAPI describes the flow server.
const flowsOpenAPI = `openapi: 3.1.0
info: {title: flows, version: "1"}
paths:
  /flaky: {get: {operationId: flaky, responses: {"200": {description: ok}}}}
  /missing: {get: {operationId: missing, responses: {"404": {description: gone}}}}
  /ok: {get: {operationId: ok, responses: {"200": {description: ok}}}}
`

// flowsDoc retries a flaky step, goes past a failing one, calls another
// workflow and leaves a step unreached.
const flowsDoc = `arazzo: 1.0.1
info: {title: Flows, version: "1"}
sourceDescriptions:
  - {name: base, url: openapi.yaml, type: openapi}
workflows:
  - workflowId: main
    steps:
      - stepId: flaky
        operationId: flaky
        successCriteria: [{condition: $statusCode == 200}]
        onFailure:
          - {name: again, type: retry, retryAfter: 0, retryLimit: 3}
      - stepId: missing
        operationId: missing
        successCriteria: [{condition: $statusCode == 200}]
        onFailure:
          - {name: past-it, type: goto, stepId: sub}
      - stepId: never
        operationId: ok
      - stepId: sub
        workflowId: helper
  - workflowId: helper
    steps:
      - stepId: ping
        operationId: ok
        successCriteria: [{condition: $statusCode == 200}]
`

// flowServer answers /flaky 503 twice, then 200; /missing 404; /ok 200.
func flowServer(t *testing.T) *httptest.Server {
	var mu sync.Mutex
	flaky := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		switch r.URL.Path {
		case "/flaky":
			if flaky++; flaky <= 2 {
				w.WriteHeader(http.StatusServiceUnavailable)
			}
		case "/missing":
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestArazzoUnits runs each workflow of a document as a unit: a failure
// that a retry or goto action handles is skipped, saying so, the steps of
// a called workflow are named after it, a step not reached is not run,
// and the units pass as their workflows do.
func TestArazzoUnits(t *testing.T) {
	srv := flowServer(t)
	dir := writeFiles(t, map[string]string{"flows.arazzo.yaml": flowsDoc, "openapi.yaml": flowsOpenAPI})
	s := newSession(t, Options{Paths: []string{filepath.Join(dir, "flows.arazzo.yaml")}, Vars: baseVars(srv.URL), Jobs: 1})
	tr := &trace{needs: runner.Needs{Steps: true}}
	sum := run(t, s, srv.Client(), tr)
	if sum.Verdict != runner.Passed {
		t.Errorf("verdict = %v, want passed", sum.Verdict)
	}
	if got := tr.resultOrder(); !slices.Equal(got, []string{"main", "helper"}) {
		t.Fatalf("units = %v, want main and helper", got)
	}
	var got []string
	for _, st := range tr.results[0].Steps {
		line := st.Name + ": " + st.Outcome.String()
		if st.SkipReason != "" {
			line += " (" + st.SkipReason + ")"
		}
		got = append(got, line)
	}
	want := []string{
		`flaky: skipped (success criteria failed: retried by failure action "again")`,
		`flaky [attempt 2]: skipped (success criteria failed: retried by failure action "again")`,
		`flaky [attempt 3]: passed`,
		`missing: skipped (success criteria failed: failure action "past-it" goes to sub)`,
		`helper › ping: passed`,
		`sub: passed`,
		`never: not run`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("steps of main:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	flaky := tr.results[0].Steps[0]
	if flaky.Response == nil || flaky.Response.Status != http.StatusServiceUnavailable || len(flaky.Checks) != 1 || flaky.Checks[0].Passed {
		t.Errorf("the first flaky run = %+v, want its 503 and the failed criterion", flaky)
	}
	if c := flaky.Checks[0]; c.Op != collections.OpEq || c.Actual.Value != int64(503) || c.Expected.Value != int64(200) {
		t.Errorf("criterion = %s %s %s, want 503 eq 200", c.Actual, c.Op, c.Expected)
	}
}

// TestArazzoShardKey deals workflows, not documents: the two workflows
// of one document land in different shards of two.
func TestArazzoShardKey(t *testing.T) {
	doc := "flows.arazzo.yaml"
	cols := []*collections.Collection{{Name: "a", File: doc}, {Name: "b", File: doc}, {Name: "c", File: "c.yaml"}}
	shardOf := map[string]int{}
	for k := 1; k <= 2; k++ {
		for _, c := range (Shard{K: k, N: 2}).apply(cols) {
			if shardOf[c.Name] != 0 {
				t.Errorf("%s is in shards %d and %d", c.Name, shardOf[c.Name], k)
			}
			shardOf[c.Name] = k
		}
	}
	if len(shardOf) != 3 || shardOf["a"] == shardOf["b"] {
		t.Errorf("shards = %v, want every workflow once, a and b apart", shardOf)
	}
}

// TestArazzoSelection picks whole workflows, and refuses to pick steps.
func TestArazzoSelection(t *testing.T) {
	dir := writeFiles(t, map[string]string{"flows.arazzo.yaml": flowsDoc, "openapi.yaml": flowsOpenAPI})
	doc := filepath.Join(dir, "flows.arazzo.yaml")
	tests := []struct {
		name    string
		sel     Selection
		units   []string
		wantErr string
	}{
		{name: "only a workflow", sel: Selection{Only: []string{"helper"}}, units: []string{"helper"}},
		{name: "skip a workflow", sel: Selection{Skip: []string{"helper"}}, units: []string{"main"}},
		{name: "only a step", sel: Selection{Only: []string{"flaky"}}, wantErr: "--only and --skip pick whole workflows"},
		{name: "step", sel: Selection{Steps: []string{"ping"}}, wantErr: "--step and --from pick steps of collections"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New(Options{Paths: []string{doc}, Select: tt.sel})
			if err != nil {
				t.Fatal(err)
			}
			if errs := s.Load(); len(errs) > 0 {
				t.Fatal(errs)
			}
			err = s.Plan()
			var ie *InputError
			switch {
			case tt.wantErr != "":
				if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("Plan() = %v, want an *InputError saying %q", err, tt.wantErr)
				}
				return
			case err != nil:
				t.Fatalf("Plan() = %v", err)
			}
			var units []string
			for _, u := range s.Units() {
				units = append(units, u.Name())
			}
			if !slices.Equal(units, tt.units) {
				t.Errorf("units = %v, want %v", units, tt.units)
			}
		})
	}
}

// TestArazzoExpandPath finds Arazzo documents in folders, leaving out the
// OpenAPI descriptions beside them, and among the bundled files.
func TestArazzoExpandPath(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.yaml": "x", "flows.arazzo.yaml": "x", "openapi.yaml": "x", "api.openapi.yml": "x"})
	tests := []struct {
		path        string
		want        []string
		wantBundled bool
	}{
		{dir, []string{filepath.Join(dir, "a.yaml"), filepath.Join(dir, "flows.arazzo.yaml")}, false},
		{"procore/first-call.arazzo.yaml", []string{"procore/first-call.arazzo.yaml"}, true},
	}
	for _, tt := range tests {
		files, bundled, err := ExpandPath(tt.path)
		if err != nil || !slices.Equal(files, tt.want) || bundled != tt.wantBundled {
			t.Errorf("ExpandPath(%s) = %v, %v, %v; want %v, %v", tt.path, files, bundled, err, tt.want, tt.wantBundled)
		}
	}
}

// TestArazzoSecretDefault masks the default of a secret input, which the
// document gives and no variable overrides.
func TestArazzoSecretDefault(t *testing.T) {
	srv := flowServer(t)
	doc := `arazzo: 1.0.1
info: {title: Default, version: "1"}
sourceDescriptions:
  - {name: base, url: openapi.yaml, type: openapi}
workflows:
  - workflowId: main
    inputs:
      type: object
      properties:
        key: {type: string, format: password, default: default-secret-555}
    steps:
      - stepId: ok
        operationId: ok
        parameters:
          - {name: X-Key, in: header, value: $inputs.key}
`
	dir := writeFiles(t, map[string]string{"d.arazzo.yaml": doc, "openapi.yaml": flowsOpenAPI})
	s := newSession(t, Options{Paths: []string{filepath.Join(dir, "d.arazzo.yaml")}, Vars: baseVars(srv.URL), Jobs: 1})
	tr := &trace{needs: runner.Needs{Steps: true, Bodies: true}}
	run(t, s, srv.Client(), tr)
	st := tr.results[0].Steps[0]
	if st.Outcome != runner.Passed || st.Request == nil || st.Request.Header.Get("X-Key") != runner.Mask {
		t.Errorf("step = %v, request %+v; want it passed with X-Key masked", st.Outcome, st.Request)
	}
}
