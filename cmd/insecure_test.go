package cmd

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// TestInsecureWarns checks that --insecure says once, on stderr at the end
// of the run, which hosts' certificates it did not check, and says nothing
// when no TLS handshake took place.
func TestInsecureWarns(t *testing.T) {
	handler := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "{}") })
	tlsSrv := httptest.NewUnstartedServer(handler)
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	tlsSrv.StartTLS()                                   // a certificate no root trusts
	t.Cleanup(tlsSrv.Close)
	plain := httptest.NewServer(handler)
	t.Cleanup(plain.Close)
	two := "name: two\nsteps:\n  - name: a\n    GET: \"{{ base_url }}/a\"\n  - name: b\n    GET: \"{{ base_url }}/b\"\n"
	dir := writeFiles(t, t.TempDir(), map[string]string{"two.yaml": two})
	file := filepath.Join(dir, "two.yaml")
	const warning = "warning: --insecure: the TLS certificates of 127.0.0.1 were not checked\n"
	tests := []struct {
		name     string
		args     []string
		wantCode int
		stderr   string
	}{
		{"https with --insecure", []string{"--insecure", "--var", "base_url=" + tlsSrv.URL}, ExitOK, warning},
		{"plain http with --insecure", []string{"--insecure", "--var", "base_url=" + plain.URL}, ExitOK, ""},
		{"https without --insecure", []string{"--var", "base_url=" + tlsSrv.URL}, ExitError, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := callsheet(t, nil, append(append([]string{"run", "--jobs", "1"}, tt.args...), file, file)...)
			if got.code != tt.wantCode {
				t.Errorf("exit %d, want %d\n%s%s", got.code, tt.wantCode, got.stdout, got.stderr)
			}
			if got.stderr != tt.stderr {
				t.Errorf("stderr = %q, want %q", got.stderr, tt.stderr)
			}
			if strings.Contains(got.stdout, "warning:") {
				t.Errorf("stdout holds the warning:\n%s", got.stdout)
			}
		})
	}
}
