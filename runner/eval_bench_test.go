package runner

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

// benchBody is a projects response like the sandbox's.
const benchBody = `[{"id":8165,"name":"Demo Project","active":true,"company":{"id":4264807,"name":"Demo Company"},"address":"1 Main St","tags":["a","b"],"created_at":"2024-01-02T03:04:05Z"},{"id":8166,"name":"Second","active":false,"company":{"id":4264807,"name":"Demo Company"}}]`

const benchCollection = `name: bench
vars:
  company_id: 4264807
steps:
  - name: list projects
    GET: "https://example.com/rest/v1.0/projects"
    expect:
      status: 200
      headers:
        Content-Type: { contains: application/json }
        Total: { exists: true }
      json:
        "#": { gte: 1 }
        0.company.id: "{{ company_id }}"
        0.name: { matches: '^[A-Z]' }
        0.active: true
        0.tags: { length: 2 }
        1.id: { gt: 8165 }
    capture:
      project_id: 0.id
      project_name: { json: 0.name }
      total: { header: Total }
      status: { status: true }
`

// benchRun loads benchCollection and prepares a run and a subject.
func benchRun(b *testing.B) (*run, *collections.Step, *subject) {
	b.Helper()
	file := filepath.Join(b.TempDir(), "bench.yaml")
	if err := os.WriteFile(file, []byte(benchCollection), 0o600); err != nil {
		b.Fatal(err)
	}
	c, err := collections.Load(file, collections.Options{})
	if err != nil {
		b.Fatal(err)
	}
	rn := newRun(nil, c, Options{})
	if err := rn.initScope(); err != nil {
		b.Fatal(err)
	}
	subj := &subject{
		status: 200,
		header: http.Header{"Content-Type": {"application/json; charset=utf-8"}, "Total": {"2"}},
		body:   []byte(benchBody),
	}
	return rn, c.Steps[0], subj
}

func BenchmarkChecks(b *testing.B) {
	rn, s, subj := benchRun(b)
	b.ReportAllocs()
	for b.Loop() {
		subj.valid = 0 // each response is checked afresh
		checks, err := rn.check.checks(s.Expect, subj)
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range checks {
			if !c.Passed {
				b.Fatalf("check %s failed: %s", c.Subject, c.Actual)
			}
		}
	}
}

func BenchmarkCaptures(b *testing.B) {
	rn, s, subj := benchRun(b)
	b.ReportAllocs()
	for b.Loop() {
		subj.valid = 0
		if _, err := rn.capture.captures(s.Captures, subj); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStep runs one whole step against a loopback server: render,
// send, read, check, capture, mask.
func BenchmarkStep(b *testing.B) {
	ts := newBenchServer(b)
	file := filepath.Join(b.TempDir(), "bench.yaml")
	src := "name: bench\nvars:\n  company_id: 4264807\nsteps:\n  - name: list\n    GET: \"" + ts + "/projects\"\n" +
		"    headers:\n      Authorization: \"Bearer {{ company_id }}\"\n    expect:\n      status: 200\n      json:\n        0.company.id: \"{{ company_id }}\"\n    capture:\n      project_id: 0.id\n"
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		b.Fatal(err)
	}
	c, err := collections.Load(file, collections.Options{})
	if err != nil {
		b.Fatal(err)
	}
	r := New(&http.Client{Timeout: testTimeout})
	b.ReportAllocs()
	for b.Loop() {
		res := r.Run(context.Background(), c, Options{})
		if res.Steps[0].Outcome != Passed {
			b.Fatalf("step %s: %v", res.Steps[0].Outcome, res.Steps[0].Err)
		}
	}
}

// newBenchServer serves benchBody on loopback until the benchmark ends.
func newBenchServer(b *testing.B) string {
	b.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(benchBody))
	}))
	b.Cleanup(ts.Close)
	return ts.URL
}
