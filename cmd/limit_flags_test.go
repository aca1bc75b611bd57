package cmd

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunLimits(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	mux := http.NewServeMux()
	mux.HandleFunc("/big", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, strings.Repeat("x", 2000)) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/hop/{n}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("n") == "3" {
			fmt.Fprint(w, "ok")
			return
		}
		http.Redirect(w, r, "/hop/"+string(r.PathValue("n")[0]+1), http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"big.yaml":  "name: big\nsteps:\n  - name: big\n    GET: \"{{ base_url }}/big\"\n",
		"slow.yaml": "name: slow\nsteps:\n  - name: slow\n    GET: \"{{ base_url }}/slow\"\n  - name: after\n    GET: \"{{ base_url }}/big\"\n",
		"hops.yaml": "name: hops\nsteps:\n  - name: hops\n    GET: \"{{ base_url }}/hop/0\"\n",
	})
	base := "base_url=" + srv.URL
	in := func(name string) string { return filepath.Join(dir, name) }
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     []string // in stdout+stderr
	}{
		{"body under the limit", []string{"run", "--max-body", "2000B", "--var", base, in("big.yaml")}, ExitOK, []string{"1 passed"}},
		{"body over the limit", []string{"run", "--max-body", "1KiB", "--var", base, in("big.yaml")}, ExitError, []string{"body exceeds limit of 1 KiB"}},
		{"bad size", []string{"run", "--max-body", "lots", "--var", base, in("big.yaml")}, ExitUsage, []string{`--max-body "lots": want a positive size`}},
		{"max time", []string{"run", "--max-time", "300ms", "--var", base, in("slow.yaml")}, ExitError, []string{"run exceeded its max time of 300ms", "0 passed, 0 failed, 0 skipped, 1 error, 1 not run in "}},
		{"negative max time", []string{"run", "--max-time", "-1s", "--var", base, in("big.yaml")}, ExitUsage, []string{"--max-time -1s: must not be negative"}},
		{"redirects within the limit", []string{"run", "--max-redirects", "3", "--var", base, in("hops.yaml")}, ExitOK, []string{"1 passed"}},
		{"redirects over the limit", []string{"run", "--max-redirects", "2", "--var", base, in("hops.yaml")}, ExitError, []string{"stopped after 2 redirects"}},
		{"no redirects", []string{"run", "--max-redirects", "0", "--var", base, in("hops.yaml")}, ExitError, []string{"stopped after 0 redirects"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := callsheet(t, nil, tt.args...)
			out := got.stdout + got.stderr
			if got.code != tt.wantCode {
				t.Errorf("callsheet %s = exit %d, want %d\n%s", strings.Join(tt.args, " "), got.code, tt.wantCode, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("callsheet %s output does not contain %q:\n%s", strings.Join(tt.args, " "), w, out)
				}
			}
		})
	}
}
