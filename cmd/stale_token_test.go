package cmd

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/callsheet/callsheet/sandbox"
)

// TestCachedTokenFromAnotherSandbox caches a profile's token from one
// sandbox, then serves another sandbox at the same address (as after a
// restart): the next run gets a new token quietly. Without
// --auto-authorize the run must say how to log in, with the flags that
// reach this server.
func TestCachedTokenFromAnotherSandbox(t *testing.T) {
	var current atomic.Pointer[http.Handler]
	restart := func() {
		h := sandbox.New(sandbox.Config{}).Handler()
		current.Store(&h)
	}
	restart()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { (*current.Load()).ServeHTTP(w, r) }))
	t.Cleanup(ts.Close)
	vars := []string{"--var", "login_url=" + ts.URL, "--var", "base_url=" + ts.URL,
		"--var", "client_id=" + sandbox.DemoClientID, "--var", "client_secret=" + sandbox.DemoClientSecret,
		"--var", "company_id=" + strconv.Itoa(sandbox.DemoCompanyID)}
	env := map[string]string{cacheDirEnv: t.TempDir()}
	run := func(extra ...string) outcome {
		return callsheet(t, env, append(append([]string{"run", "--no-color", "procore/with-profile"}, vars...), extra...)...)
	}
	if out := run("--auto-authorize"); out.code != ExitOK {
		t.Fatalf("first run = exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	restart()
	out := run("--auto-authorize")
	if out.code != ExitOK || strings.Contains(out.stdout+out.stderr, "error") || strings.Contains(out.stdout+out.stderr, "warning") {
		t.Errorf("run after the sandbox restarted = exit %d, want 0 and nothing said\n%s%s", out.code, out.stdout, out.stderr)
	}

	restart()
	out = run("--timeout", "20s")
	want := "log in first with `callsheet auth login procore procore/with-profile.yaml --var login_url=" + ts.URL +
		" --var base_url=" + ts.URL + " --var client_id=" + sandbox.DemoClientID + " --var client_secret=*** --var company_id=" +
		strconv.Itoa(sandbox.DemoCompanyID) + " --timeout 20s`"
	if out.code != ExitError || !strings.Contains(out.stdout, want) {
		t.Errorf("run without --auto-authorize after a restart = exit %d:\n%s\nwant exit 3 and %q", out.code, out.stdout, want)
	}
	if strings.Contains(out.stdout+out.stderr, sandbox.DemoClientSecret) {
		t.Errorf("the client secret shows:\n%s%s", out.stdout, out.stderr)
	}
}
