package cmd

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestReportsStreamed runs collections in parallel, finishing out of
// order, and checks that the streamed reports list them in the output's
// stable order, whole (passed steps keep their bodies in JSON), with no
// temporary file left beside them.
func TestReportsStreamed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The first collections answer last, so they finish out of order.
		var d time.Duration
		fmt.Sscan(r.URL.Query().Get("wait"), &d)
		select {
		case <-time.After(d):
		case <-r.Context().Done():
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"marker":"kept-body"}`)
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	files := map[string]string{}
	var paths []string
	for i := range 4 {
		name := fmt.Sprintf("c%d.yaml", i)
		files[name] = fmt.Sprintf("name: c%d\nsteps:\n  - name: get\n    GET: \"{{ base }}/?wait=%dms\"\n    expect: {status: 200}\n", i, (3-i)*40)
		paths = append(paths, filepath.Join(dir, name))
	}
	writeFiles(t, dir, files)
	reports := filepath.Join(dir, "reports")
	if err := os.Mkdir(reports, 0o755); err != nil {
		t.Fatal(err)
	}
	args := []string{"run", "--quiet", "--jobs", "4", "--var", "base=" + srv.URL}
	for _, f := range []string{"junit", "json", "tap", "html"} {
		args = append(args, "--report-"+f, filepath.Join(reports, "r."+f))
	}
	out := callsheet(t, nil, append(args, paths...)...)
	if out.code != ExitOK {
		t.Fatalf("run = %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	doc := readJSONReport(t, filepath.Join(reports, "r.json"))
	var names []string
	for _, c := range doc.Collections {
		names = append(names, c.Name)
		for _, s := range c.Steps {
			if s.Response == nil || !strings.Contains(s.Response.Body.Text, "kept-body") {
				t.Errorf("%s / %s: response %+v, want the body", c.Name, s.Name, s.Response)
			}
		}
	}
	if got := strings.Join(names, " "); got != "c0 c1 c2 c3" {
		t.Errorf("JSON report lists %q, want the stable order c0 c1 c2 c3", got)
	}
	tap, err := os.ReadFile(filepath.Join(reports, "r.tap"))
	if err != nil {
		t.Fatal(err)
	}
	want := "TAP version 14\n1..4\nok 1 - c0 / get\nok 2 - c1 / get\nok 3 - c2 / get\nok 4 - c3 / get\n"
	if string(tap) != want {
		t.Errorf("TAP report =\n%s\nwant\n%s", tap, want)
	}
	entries, _ := os.ReadDir(reports)
	if len(entries) != 4 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("reports folder holds %v, want the four reports only", names)
	}
}

// TestReportsFolderMissing fails the run before any request when a
// report's folder cannot be created (a file stands in its way), rather
// than after a long run.
func TestReportsFolderMissing(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	t.Cleanup(srv.Close)
	dir := writeFiles(t, t.TempDir(), map[string]string{"c.yaml": "name: c\nsteps:\n  - GET: \"{{ base }}/\"\n"})
	missing := filepath.Join(dir, "c.yaml", "r.xml")
	out := callsheet(t, nil, "run", "--var", "base="+srv.URL, "--report-junit", missing, filepath.Join(dir, "c.yaml"))
	if out.code == ExitOK || !strings.Contains(out.stderr+out.stdout, "r.xml") {
		t.Errorf("run = %d, want an error naming the report\n%s%s", out.code, out.stdout, out.stderr)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("server got %d requests, want none", n)
	}
}

// TestReportsStepByStep runs one collection long enough that its steps
// spill to disk in every report, with a secret captured after a step
// whose response holds it: the reports list every step with its body,
// the secret masked everywhere, and leave no temporary file.
func TestReportsStepByStep(t *testing.T) {
	const session = "sess-5f0c2a9e71d84b3c"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"session":%q,"pad":%q}`, session, strings.Repeat("x", 2048))
	}))
	t.Cleanup(srv.Close)
	const n = 300 // about 3 KiB a step in JSON: past the 256 KiB a part keeps in memory
	var b strings.Builder
	b.WriteString("name: long\nsteps:\n  - name: echo\n    GET: \"{{ base }}/echo\"\n  - name: login\n    GET: \"{{ base }}/login\"\n    capture:\n      session: { json: session, secret: true }\n")
	for i := range n {
		fmt.Fprintf(&b, "  - name: s%d\n    GET: \"{{ base }}/s/%d\"\n    expect: {status: 200}\n", i, i)
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"long.yaml": b.String()})
	reports := filepath.Join(dir, "reports")
	if err := os.Mkdir(reports, 0o755); err != nil {
		t.Fatal(err)
	}
	args := []string{"run", "--quiet", "--var", "base=" + srv.URL}
	for _, f := range []string{"junit", "json", "tap", "html"} {
		args = append(args, "--report-"+f, filepath.Join(reports, "r."+f))
	}
	out := callsheet(t, nil, append(args, filepath.Join(dir, "long.yaml"))...)
	if out.code != ExitOK {
		t.Fatalf("run = %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	for _, f := range []string{"junit", "json", "tap", "html"} {
		data, err := os.ReadFile(filepath.Join(reports, "r."+f))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), session) {
			t.Errorf("%s report holds the secret", f)
		}
	}
	doc := readJSONReport(t, filepath.Join(reports, "r.json"))
	steps := doc.Collections[0].Steps
	if len(steps) != n+2 || doc.Summary.Passed != n+2 {
		t.Fatalf("JSON report: %d steps, %d passed; want %d", len(steps), doc.Summary.Passed, n+2)
	}
	for _, s := range steps {
		if s.Response == nil || !strings.Contains(s.Response.Body.Text, `"session":"***"`) {
			t.Fatalf("step %s: response %+v, want the body with the session masked", s.Name, s.Response)
		}
	}
	if entries, _ := os.ReadDir(reports); len(entries) != 4 {
		t.Errorf("reports folder holds %d files, want the four reports only", len(entries))
	}
}

// TestLateSecretMaskedLive checks that -vv prints a step whose response
// holds a value a later step captures as secret only once that step ran,
// masked, and still in step order.
func TestLateSecretMaskedLive(t *testing.T) {
	const session = "sess-9d2e4b7a10c35f68"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"session":%q}`, session)
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"late.yaml": `name: late
steps:
  - name: echo
    GET: "{{ base }}/echo"
  - name: login
    GET: "{{ base }}/login"
    capture:
      session: { json: session, secret: true }
  - name: after
    GET: "{{ base }}/after"
`})
	out := callsheet(t, nil, "run", "-vv", "--var", "base="+srv.URL, filepath.Join(dir, "late.yaml"))
	if out.code != ExitOK {
		t.Fatalf("run = %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	if strings.Contains(out.stdout+out.stderr, session) {
		t.Errorf("output holds the secret:\n%s", out.stdout)
	}
	echo, login, after := strings.Index(out.stdout, "✔ echo"), strings.Index(out.stdout, "✔ login"), strings.Index(out.stdout, "✔ after")
	if echo < 0 || !(echo < login && login < after) {
		t.Errorf("steps not printed in order (echo %d, login %d, after %d):\n%s", echo, login, after, out.stdout)
	}
	if got := strings.Count(out.stdout, `{"session":"***"}`); got != 3 {
		t.Errorf("masked bodies shown %d times, want 3:\n%s", got, out.stdout)
	}
}
