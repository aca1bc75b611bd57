package cmd

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestRunSnapshotFlags drives snapshot files through the CLI: the first run
// writes the file; --seed and --now make the random and time values the
// body echoes reproducible, so a second run matches; a change fails with a
// diff and exit 1; --update-snapshots accepts it.
func TestRunSnapshotFlags(t *testing.T) {
	var mu sync.Mutex
	version := "1"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		q := r.URL.Query()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id": %q, "n": %s, "day": %q, "version": %s, "at": %q}`, q.Get("id"), q.Get("n"), q.Get("day"), version, q.Get("at"))
	}))
	t.Cleanup(srv.Close)
	coll := `steps:
  - name: echo
    GET: "{{ base_url }}/echo"
    query: {id: "{{ uuid() }}", n: "{{ random_int(1, 1000000) }}", day: "{{ now() | format('2006-01-02') }}", at: "{{ now() }}"}
    expect:
      snapshot: {file: snapshots/echo.json, ignore: [at]}
`
	dir := writeFiles(t, t.TempDir(), map[string]string{"snap.yaml": coll})
	snap := filepath.Join(dir, "snapshots", "echo.json")
	run := func(extra ...string) outcome {
		args := append([]string{"run", "--no-color", "--var", "base_url=" + srv.URL}, extra...)
		return callsheet(t, nil, append(args, dir+"/snap.yaml")...)
	}
	seeded := []string{"--seed", "42", "--now", "2024-05-17T10:30:00Z"}

	if got := run(seeded...); got.code != ExitOK {
		t.Fatalf("first run: exit %d, want %d\n%s", got.code, ExitOK, got.stdout)
	}
	first, err := os.ReadFile(snap)
	if err != nil || !strings.Contains(string(first), `"day": "2024-05-17"`) {
		t.Fatalf("snapshot after the first run = %s, %v, want the body with day 2024-05-17", first, err)
	}
	if got := run(seeded...); got.code != ExitOK {
		t.Errorf("same --seed and --now: exit %d, want %d (reproducible values)\n%s", got.code, ExitOK, got.stdout)
	}
	if got := run("--seed", "43", "--now", "2024-05-17T10:30:00Z"); got.code != ExitFailed || !strings.Contains(got.stdout, `id: actual string <"`) {
		t.Errorf("another --seed: exit %d, want %d with the id in the diff\n%s", got.code, ExitFailed, got.stdout)
	}

	mu.Lock()
	version = "2"
	mu.Unlock()
	got := run(seeded...)
	if got.code != ExitFailed {
		t.Errorf("changed body: exit %d, want %d\n%s", got.code, ExitFailed, got.stdout)
	}
	for _, want := range []string{"the body differs from the snapshot (run with --update-snapshots to accept it)", "version: actual integer <2>, expected integer <1>"} {
		if !strings.Contains(got.stdout, want) {
			t.Errorf("changed body: output lacks %q\n%s", want, got.stdout)
		}
	}
	if got := run(append(seeded, "--update-snapshots")...); got.code != ExitOK {
		t.Errorf("--update-snapshots: exit %d, want %d\n%s", got.code, ExitOK, got.stdout)
	}
	if b, _ := os.ReadFile(snap); !strings.Contains(string(b), `"version": 2`) {
		t.Errorf("snapshot after --update-snapshots = %s, want version 2", b)
	}
	if got := run(seeded...); got.code != ExitOK {
		t.Errorf("after --update-snapshots: exit %d, want %d\n%s", got.code, ExitOK, got.stdout)
	}
}
