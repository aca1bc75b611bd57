package report

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/runner"
	"github.com/callsheet/callsheet/session"
)

// keeper is a consumer that keeps every result whole.
type keeper struct{ results []*runner.Result }

func (k *keeper) Needs() runner.Needs { return runner.Needs{Steps: true, Bodies: true} }
func (k *keeper) Start(*session.Unit) session.Run {
	return session.ResultFunc(func(r *runner.Result) { k.results = append(k.results, r) })
}
func (k *keeper) End() error { return nil }

// outputCollections are three collections: one passes, one fails a check
// and goes on, one echoes a secret a later step captures.
var outputCollections = map[string]string{
	"a.yaml": "name: a\nsteps:\n  - name: get\n    GET: \"{{ base }}/a\"\n",
	"b.yaml": "name: b\nsteps:\n  - name: bad\n    GET: \"{{ base }}/b\"\n    expect: { status: 201 }\n  - name: after\n    GET: \"{{ base }}/b2\"\n",
	"c.yaml": "name: c\nsteps:\n  - name: echo\n    GET: \"{{ base }}/c\"\n  - name: login\n    GET: \"{{ base }}/login\"\n    capture:\n      session: { json: session, secret: true }\n",
}

// runOutputs runs the collections in dir, three at once, with a report of
// every format in out and the further consumers, on a fixed clock.
func runOutputs(t *testing.T, dir, out, base string, more ...session.Consumer) {
	t.Helper()
	var vars session.Vars
	vars.Set(session.LayerVar, map[string]any{"base": base})
	clock := time.Date(2024, 5, 17, 10, 30, 0, 0, time.UTC)
	opts := session.Options{Paths: []string{dir}, Vars: vars, Jobs: 3,
		Runner: runner.Options{Continue: true, Now: func() time.Time { return clock }}}
	s, err := session.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if errs := s.Load(); len(errs) > 0 {
		t.Fatal(errs)
	}
	if err := s.Plan(); err != nil {
		t.Fatal(err)
	}
	var consumers []session.Consumer
	for _, f := range formats {
		o, err := Open(f.format, filepath.Join(out, f.golden))
		if err != nil {
			t.Fatal(err)
		}
		consumers = append(consumers, o)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if _, err := s.Run(ctx, runner.New(http.DefaultClient), append(consumers, more...)...); err != nil {
		t.Fatalf("Run() error = %v", err)
	}
	if entries, _ := os.ReadDir(out); len(entries) != len(formats) {
		t.Errorf("%s holds %d files, want the %d reports only", out, len(entries), len(formats))
	}
}

// TestOutputSameBytesAsWriter runs collections in parallel with a report
// of every format, once with a consumer that keeps every result whole
// and once without (the run then keeps only the steps that did not
// pass): both times each report has the bytes of the format's Writer
// given the whole results, the late secret masked.
func TestOutputSameBytesAsWriter(t *testing.T) {
	const secret = "sess-0a1b2c3d4e5f"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Date"] = nil
		w.Header().Set("Content-Type", "application/json")
		session := "none"
		if r.URL.Path == "/c" || r.URL.Path == "/login" {
			session = secret // c's to mask
		}
		fmt.Fprintf(w, `{"session": %q, "path": %q}`, session, r.URL.Path)
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	for name, src := range outputCollections {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	whole, summaries := t.TempDir(), t.TempDir()
	k := &keeper{}
	runOutputs(t, dir, whole, srv.URL, k)
	runOutputs(t, dir, summaries, srv.URL)
	if len(k.results) != 3 {
		t.Fatalf("kept %d results, want 3", len(k.results))
	}
	for _, f := range formats {
		var want bytes.Buffer
		if err := f.write(&want, k.results); err != nil {
			t.Fatal(err)
		}
		for _, out := range []string{whole, summaries} {
			got, err := os.ReadFile(filepath.Join(out, f.golden))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want.Bytes()) {
				t.Errorf("%v report in %s differs from the Writer's:\n%.2000s\nwant\n%.2000s", f.format, out, got, want.Bytes())
			}
			if strings.Contains(string(got), secret) {
				t.Errorf("%v report holds the secret", f.format)
			}
		}
	}
}

// TestAnnotationsAndHAR checks the two consumers that write at the end:
// the annotations of what did not pass, as GitHubAnnotations writes them
// from whole results, and the HAR file of every exchange.
func TestAnnotationsAndHAR(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"path": %q}`, r.URL.Path)
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	for name, src := range outputCollections {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var annotations bytes.Buffer
	ann := NewAnnotations(&annotations)
	harFile := filepath.Join(t.TempDir(), "run.har")
	har := NewHAR(harFile, "test")
	k := &keeper{}
	runOutputs(t, dir, t.TempDir(), srv.URL, ann, har, k)
	var want bytes.Buffer
	if err := GitHubAnnotations(&want, k.results); err != nil {
		t.Fatal(err)
	}
	if annotations.String() != want.String() || !strings.Contains(want.String(), "b / bad") {
		t.Errorf("annotations =\n%s\nwant\n%s", annotations.String(), want.String())
	}
	data, err := os.ReadFile(harFile)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), `"request": {`); n != 5 || !strings.Contains(string(data), `"comment": "b: after"`) {
		t.Errorf("HAR has %d requests, want the 5 sent:\n%.1500s", n, data)
	}
}
