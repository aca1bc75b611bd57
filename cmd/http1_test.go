package cmd

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
)

// TestHTTP1Flag runs and load-tests a server that offers HTTP/2, with and
// without --http1.1, and checks the protocol of every request it heard.
func TestHTTP1Flag(t *testing.T) {
	var mu sync.Mutex
	heard := map[string]int{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		heard[r.Proto]++
		mu.Unlock()
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	dir := writeFiles(t, t.TempDir(), map[string]string{"api.yaml": "name: api\nload:\n  vus: 1\n  iterations: 2\nsteps:\n  - GET: \"{{ base }}/x\"\n"})
	file := filepath.Join(dir, "api.yaml")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"run", []string{"run", file}, "HTTP/2.0"},
		{"run --http1.1", []string{"run", "--http1.1", file}, "HTTP/1.1"},
		{"load", []string{"load", "-q", file}, "HTTP/2.0"},
		{"load --http1.1", []string{"load", "-q", "--http1.1", file}, "HTTP/1.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			clear(heard)
			mu.Unlock()
			out := callsheet(t, nil, append(tt.args, "--insecure", "--var", "base="+srv.URL)...)
			if out.code != ExitOK {
				t.Fatalf("exit %d\n%s%s", out.code, out.stdout, out.stderr)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(heard) != 1 || heard[tt.want] == 0 {
				t.Errorf("the server heard %v, want only %s", heard, tt.want)
			}
		})
	}
}
