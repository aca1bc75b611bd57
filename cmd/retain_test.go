package cmd

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/report"
)

// TestRetentionReports runs a collection several times and checks that
// the reports still get what they document once results are compacted:
// every step in JUnit, passed steps' bodies in the JSON report.
func TestRetentionReports(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/bad" {
			w.WriteHeader(http.StatusNotFound)
		}
		io.WriteString(w, `{"marker":"kept-body"}`)
	}))
	t.Cleanup(srv.Close)
	dir := writeFiles(t, t.TempDir(), map[string]string{"c.yaml": `name: c
steps:
  - name: good
    GET: "{{ base }}/good"
    expect: {status: 200}
  - name: bad
    GET: "{{ base }}/bad"
    expect: {status: 200}
`})
	junit, jsonRep := filepath.Join(dir, "r.xml"), filepath.Join(dir, "r.json")
	out := callsheet(t, nil, "run", "--quiet", "--continue", "--jobs", "1", "--iterations", "3", "--var", "base="+srv.URL,
		"--report-junit", junit, filepath.Join(dir, "c.yaml"))
	if out.code != ExitFailed || !strings.Contains(out.stdout, "3 passed, 3 failed") {
		t.Fatalf("run with --report-junit = %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	x, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(x), `<testcase name="good"`); n != 3 {
		t.Errorf("JUnit report has %d passed testcases, want 3:\n%s", n, x)
	}
	out = callsheet(t, nil, "run", "--quiet", "--continue", "--jobs", "1", "--iterations", "2", "--var", "base="+srv.URL,
		"--report-json", jsonRep, filepath.Join(dir, "c.yaml"))
	if out.code != ExitFailed {
		t.Fatalf("run with --report-json = %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	rep, err := os.Open(jsonRep)
	if err != nil {
		t.Fatal(err)
	}
	defer rep.Close()
	doc, err := report.ReadJSON(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range doc.Collections {
		for _, s := range c.Steps {
			if s.Response == nil || !strings.Contains(s.Response.Body.Text, "kept-body") || len(s.Response.Headers) == 0 || len(s.Checks) == 0 {
				t.Errorf("JSON report, %s / %s: response %+v, checks %d; want the body, headers and checks", c.Name, s.Name, s.Response, len(s.Checks))
			}
		}
	}
}
