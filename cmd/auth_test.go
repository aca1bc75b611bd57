package cmd

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/callsheet/callsheet/auth"
	"github.com/callsheet/callsheet/sandbox"
)

// authSandbox serves the sandbox over loopback http, counting token
// requests, and returns the --var flags pointing a Procore collection at it.
func authSandbox(t *testing.T) (*httptest.Server, *atomic.Int32, []string) {
	t.Helper()
	var n atomic.Int32
	h := sandbox.New(sandbox.Config{}).Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/oauth/token") {
			n.Add(1)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	vars := []string{"--var", "login_url=" + ts.URL, "--var", "base_url=" + ts.URL,
		"--var", "client_id=" + sandbox.DemoClientID, "--var", "client_secret=" + sandbox.DemoClientSecret,
		"--var", "company_id=" + strconv.Itoa(sandbox.DemoCompanyID)}
	return ts, &n, vars
}

func TestAuthLoginRunStatusLogout(t *testing.T) {
	ts, tokenRequests, vars := authSandbox(t)
	dir := filepath.Join(t.TempDir(), "cache")
	env := map[string]string{cacheDirEnv: dir}
	const coll = "procore/with-profile"

	out := callsheet(t, env, append([]string{"auth", "login", "procore", coll, "--auto-authorize"}, vars...)...)
	if out.code != ExitOK || !strings.Contains(out.stdout, "logged in: profile procore") {
		t.Fatalf("auth login = %d\nstdout: %s\nstderr: %s", out.code, out.stdout, out.stderr)
	}
	entry, err := auth.NewFileCache(dir).Load(auth.Key{Profile: "procore", ClientID: sandbox.DemoClientID, TokenURL: ts.URL + "/oauth/token"})
	if err != nil || entry == nil {
		t.Fatalf("cache entry after login = %v, %v", entry, err)
	}
	secrets := []string{entry.AccessToken, entry.RefreshToken, sandbox.DemoClientSecret}

	// A run at -vv uses the cached token: no login, no token request, and
	// no secret in any output.
	run := callsheet(t, env, append([]string{"run", "-vv", coll}, vars...)...)
	if run.code != ExitOK {
		t.Fatalf("run = %d\nstdout: %s\nstderr: %s", run.code, run.stdout, run.stderr)
	}
	if !strings.Contains(run.stdout, "Authorization: Bearer ***") {
		t.Errorf("run -vv output shows no masked Authorization header:\n%s", run.stdout)
	}
	if got := tokenRequests.Load(); got != 1 {
		t.Errorf("token requests after login and run = %d, want 1", got)
	}

	status := callsheet(t, env, "auth", "status")
	if status.code != ExitOK || !strings.Contains(status.stdout, "procore") || !strings.Contains(status.stdout, ts.URL+"/oauth/token") {
		t.Errorf("auth status = %d\n%s%s", status.code, status.stdout, status.stderr)
	}

	logout := callsheet(t, env, append([]string{"auth", "logout", "procore", coll}, vars...)...)
	if logout.code != ExitOK || !strings.Contains(logout.stdout, "token revoked") {
		t.Errorf("auth logout = %d\n%s%s", logout.code, logout.stdout, logout.stderr)
	}
	empty := callsheet(t, env, "auth", "status")
	if !strings.Contains(empty.stdout, "no cached tokens") {
		t.Errorf("auth status after logout:\n%s", empty.stdout)
	}

	for _, o := range []outcome{out, run, status, logout, empty} {
		for _, s := range secrets {
			if strings.Contains(o.stdout, s) || strings.Contains(o.stderr, s) {
				t.Errorf("a secret appears in the output:\nstdout: %s\nstderr: %s", o.stdout, o.stderr)
			}
		}
	}
	info, err := os.Stat(dir)
	if err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("cache dir mode = %v, %v, want 0700", info.Mode().Perm(), err)
	}
}

func TestRunTokenCacheModes(t *testing.T) {
	_, tokenRequests, vars := authSandbox(t)
	tests := []struct {
		name      string
		env       map[string]string
		flags     []string
		wantFiles bool
	}{
		{"default caches on disk", nil, nil, true},
		{"no-token-cache keeps memory only", nil, []string{"--no-token-cache"}, false},
		{"CI keeps memory only", map[string]string{"CI": "true"}, nil, false},
		{"token-cache wins over CI", map[string]string{"CI": "true"}, []string{"--token-cache"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			env := map[string]string{cacheDirEnv: dir}
			for k, v := range tt.env {
				env[k] = v
			}
			args := append(append([]string{"run", "--auto-authorize", "procore/with-profile"}, tt.flags...), vars...)
			before := tokenRequests.Load()
			out := callsheet(t, env, args...)
			if out.code != ExitOK {
				t.Fatalf("run = %d\n%s%s", out.code, out.stdout, out.stderr)
			}
			if got := tokenRequests.Load() - before; got != 1 {
				t.Errorf("token requests = %d, want 1", got)
			}
			files, _ := filepath.Glob(filepath.Join(dir, "*.token.json"))
			if got := len(files) > 0; got != tt.wantFiles {
				t.Errorf("cache files written = %v, want %v", got, tt.wantFiles)
			}
		})
	}
}

// TestRunDamagedTokenCache damages the cached entry between two runs: the
// second run warns once on stderr, gets a new token and passes; the third
// reuses that token without a warning.
func TestRunDamagedTokenCache(t *testing.T) {
	_, tokenRequests, vars := authSandbox(t)
	dir := t.TempDir()
	env := map[string]string{cacheDirEnv: dir}
	args := append([]string{"run", "--auto-authorize", "procore/with-profile"}, vars...)
	if out := callsheet(t, env, args...); out.code != ExitOK {
		t.Fatalf("first run = %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.token.json"))
	if len(files) != 1 {
		t.Fatalf("cache files after the first run = %q, want one", files)
	}
	if err := os.WriteFile(files[0], []byte(`{"access_token": "tok`), 0o600); err != nil {
		t.Fatal(err)
	}

	out := callsheet(t, env, args...)
	if out.code != ExitOK {
		t.Fatalf("run with a damaged cache entry = %d, want %d\n%s%s", out.code, ExitOK, out.stdout, out.stderr)
	}
	const warning = `warning: token cache: the entry of profile "procore" was damaged (not JSON at byte 21 of 21); moved it to ` + "DIR/"
	lines := strings.Split(strings.ReplaceAll(out.stderr, dir+string(filepath.Separator), "DIR/"), "\n")
	var found int
	for _, l := range lines {
		if strings.HasPrefix(l, "warning:") {
			found++
			if !strings.HasPrefix(l, warning) || !strings.HasSuffix(l, "; the profile needs a new token") {
				t.Errorf("warning line %q, want it to start %q", l, warning)
			}
		}
	}
	if found != 1 {
		t.Errorf("stderr has %d warning lines, want 1:\n%s", found, out.stderr)
	}
	if got := tokenRequests.Load(); got != 2 {
		t.Errorf("token requests after two runs = %d, want 2", got)
	}
	if aside, _ := filepath.Glob(files[0] + ".damaged-*"); len(aside) != 1 {
		t.Errorf("damaged files = %q, want one beside the entry", aside)
	}

	again := callsheet(t, env, args...)
	if again.code != ExitOK || strings.Contains(again.stderr, "warning:") || tokenRequests.Load() != 2 {
		t.Errorf("run after recovery = %d with %d token requests, want %d, no new request and no warning\n%s",
			again.code, tokenRequests.Load(), ExitOK, again.stderr)
	}
}

func TestRunProfileNeedsLogin(t *testing.T) {
	_, _, vars := authSandbox(t)
	out := callsheet(t, map[string]string{cacheDirEnv: t.TempDir()}, append([]string{"run", "procore/with-profile"}, vars...)...)
	if out.code != ExitError || !strings.Contains(out.stdout+out.stderr, "callsheet auth login procore") {
		t.Errorf("run without login = %d, want %d and a hint to log in\n%s%s", out.code, ExitError, out.stdout, out.stderr)
	}
}
