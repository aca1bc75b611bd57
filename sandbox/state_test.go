package sandbox

import (
	"crypto/tls"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// startIn starts a sandbox with cfg and fails the test on an error; the
// caller closes it.
func startIn(t *testing.T, cfg Config) *Server {
	t.Helper()
	srv, err := Start("127.0.0.1:0", cfg)
	if err != nil {
		t.Fatalf("Start() error = %v", err)
	}
	return srv
}

func closeServer(t *testing.T, srv *Server) {
	t.Helper()
	if err := srv.Close(); err != nil {
		t.Fatalf("Close() error = %v", err)
	}
}

// TestStateDirRestart stops a sandbox with a state dir and starts another
// on the same dir: it serves the same certificate under the same instance
// ID, and honours what the first one issued.
func TestStateDirRestart(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state")
	first := startIn(t, Config{StateDir: dir})
	tok := login(t, first)
	code := authorizeCode(t, first, OOBRedirectURI)
	revoked := login(t, first)
	postForm(t, first, "/oauth/revoke", url.Values{"token": {revoked.AccessToken}, "client_id": {DemoClientID}, "client_secret": {DemoClientSecret}})
	id, certPEM, pool := first.Sandbox.Instance(), first.CertPEM, first.CertPool()
	closeServer(t, first)

	for name, want := range map[string]os.FileMode{".": 0o700, StateFileName: 0o600, CertFileName: 0o600, KeyFileName: 0o600} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, %v; want %v", name, fi.Mode().Perm(), err, want)
		}
	}
	second := newTestServer(t, Config{StateDir: dir})
	if file, _ := os.ReadFile(second.CertFile); string(second.CertPEM) != string(certPEM) || string(file) != string(certPEM) || second.CertFile != filepath.Join(dir, CertFileName) {
		t.Errorf("certificate changed across the restart (CertFile %q)", second.CertFile)
	}
	if got := second.Sandbox.Instance(); got != id {
		t.Errorf("Instance() = %s after the restart, want %s", got, id)
	}
	// A client of the first sandbox trusts the second, and its token works.
	old := &http.Client{Timeout: clientTimeout, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	defer old.CloseIdleConnections()
	if r := send(t, second, old, http.MethodGet, "/rest/v1.0/me", http.Header{"Authorization": {"Bearer " + tok.AccessToken}}, nil); r.status != 200 || r.header.Get(InstanceHeader) != id {
		t.Errorf("GET /me with the old token and certificate = %d %s %q, want 200 %s", r.status, InstanceHeader, r.header.Get(InstanceHeader), id)
	}
	if r := apiGet(t, second, "/rest/v1.0/me", revoked.AccessToken, ""); r.status != 401 || !strings.Contains(r.header.Get("WWW-Authenticate"), "revoked") {
		t.Errorf("revoked token = %d %q, want 401 revoked", r.status, r.header.Get("WWW-Authenticate"))
	}
	if r := postForm(t, second, "/oauth/token", codeForm(code, OOBRedirectURI)); r.status != 200 {
		t.Errorf("exchange of a code issued before the restart = %d %s, want 200", r.status, r.body)
	}
	if r := postForm(t, second, "/oauth/token", refreshForm(tok.RefreshToken)); r.status != 200 {
		t.Errorf("refresh with a token issued before the restart = %d %s, want 200", r.status, r.body)
	}
	stranger := newTestServer(t, Config{})
	if r := apiGet(t, stranger, "/rest/v1.0/me", tok.AccessToken, ""); r.status != 401 || r.header.Get(InstanceHeader) == id {
		t.Errorf("another sandbox: %d %s %q, want 401 and another instance", r.status, InstanceHeader, r.header.Get(InstanceHeader))
	}
}

// TestStateDirSeeded checks that a seeded sandbox restarted on its state
// dir goes on with its streams where it stopped: it issues the codes and
// faults of a sandbox that never stopped, and under another seed other
// codes.
func TestStateDirSeeded(t *testing.T) {
	t.Parallel()
	cfg := Config{Seed: "restart", FailRate: 0.5, FailPaths: []string{"/oauth/authorize/x"}}
	codes := func(srv *Server, n int) (got []string) {
		for range n {
			got = append(got, authorizeCode(t, srv, OOBRedirectURI))
		}
		return got
	}
	faults := func(srv *Server, n int) []int {
		got, _ := statuses(t, srv, n, "/oauth/authorize/x", nil)
		return got
	}
	ref := newTestServer(t, cfg)
	wantCodes, wantFaults := codes(ref, 3), faults(ref, 16)

	cfg.StateDir = t.TempDir()
	first := startIn(t, cfg)
	gotCodes, gotFaults := codes(first, 1), faults(first, 8)
	closeServer(t, first)
	second := startIn(t, cfg)
	gotCodes, gotFaults = append(gotCodes, codes(second, 2)...), append(gotFaults, faults(second, 8)...)
	closeServer(t, second)
	if !slices.Equal(gotCodes, wantCodes) || !slices.Equal(gotFaults, wantFaults) {
		t.Errorf("across a restart: codes %v faults %v\nwant codes %v faults %v", gotCodes, gotFaults, wantCodes, wantFaults)
	}

	cfg.Seed = "another seed"
	if got := codes(newTestServer(t, cfg), 1)[0]; slices.Contains(wantCodes, got) {
		t.Errorf("under another seed: code %s, want a new one", got)
	}
}

// TestStateDirRepeatingRand restarts a sandbox whose Rand gives, after the
// restart, the code it gave before: the code kept is not issued again.
func TestStateDirRepeatingRand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a, b := strings.Repeat("a", 32), strings.Repeat("b", 32)
	first := startIn(t, Config{StateDir: dir, Rand: strings.NewReader(a)})
	kept := authorizeCode(t, first, OOBRedirectURI)
	closeServer(t, first)
	second := newTestServer(t, Config{StateDir: dir, Rand: strings.NewReader(a + b)})
	if got, want := authorizeCode(t, second, OOBRedirectURI), strings.Repeat("62", 32); got != want || kept == got {
		t.Errorf("code after the restart = %s, want %s (the kept one is %s)", got, want, kept)
	}
}

// TestStateSavedWhileServing checks that the state file follows the
// sandbox while it runs, not only when it is closed.
func TestStateSavedWhileServing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv := newTestServer(t, Config{StateDir: dir})
	tok := login(t, srv)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) { // hang guard
		data, _ := os.ReadFile(filepath.Join(dir, StateFileName))
		var st stateFile
		if json.Unmarshal(data, &st) == nil && len(st.Tokens) == 1 && st.Tokens[0].Access == tok.AccessToken {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("state file never held the token:\n%s", data)
		}
	}
}

func TestStateDirBadFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		files   map[string]string
		wantErr string
	}{
		{"state not JSON", map[string]string{StateFileName: "{"}, StateFileName + ": unexpected EOF (remove it to start afresh)"},
		{"state of another version", map[string]string{StateFileName: `{"version":2,"instance":"x"}`}, "version 2: want 1"},
		{"state with an unknown field", map[string]string{StateFileName: `{"version":1,"instance":"x","extra":1}`}, `unknown field "extra"`},
		{"state without instance", map[string]string{StateFileName: `{"version":1}`}, "no instance ID"},
		{"certificate not PEM", map[string]string{CertFileName: "nope", KeyFileName: "nope"}, CertFileName + " and "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			srv, err := Start("127.0.0.1:0", Config{StateDir: dir})
			if err == nil {
				srv.Close()
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), dir) {
				t.Errorf("Start() error = %v, want one naming %s and saying %q", err, dir, tt.wantErr)
			}
		})
	}
}

// TestStateDirRenewsCertificate checks that a kept certificate is served
// until a day before it expires, and then replaced.
func TestStateDirRenewsCertificate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		created time.Time
		wantNew bool
	}{
		{"fresh", time.Now(), false},
		{"five days old", time.Now().Add(-5 * 24 * time.Hour), false},
		{"expires within the day", time.Now().Add(-certValidity + 23*time.Hour), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			_, certPEM, keyPEM, err := newCertificate(tt.created)
			if err != nil {
				t.Fatal(err)
			}
			for name, data := range map[string][]byte{CertFileName: certPEM, KeyFileName: keyPEM} {
				if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			srv := newTestServer(t, Config{StateDir: dir})
			file, _ := os.ReadFile(srv.CertFile)
			if gotNew := string(srv.CertPEM) != string(certPEM); gotNew != tt.wantNew || string(file) != string(srv.CertPEM) {
				t.Errorf("new certificate %v (file holds the served one: %v), want %v", gotNew, string(file) == string(srv.CertPEM), tt.wantNew)
			}
			if r := send(t, srv, nil, http.MethodGet, "/nope", nil, nil); r.status != 404 {
				t.Errorf("GET /nope = %d, want 404", r.status)
			}
		})
	}
}

// TestCloseReportsSaveError checks that Close says when the last write of
// the state fails.
func TestCloseReportsSaveError(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state")
	srv := startIn(t, Config{StateDir: dir})
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err == nil || !strings.Contains(err.Error(), StateFileName) {
		t.Errorf("Close() error = %v, want one naming %s", err, StateFileName)
	}
}
