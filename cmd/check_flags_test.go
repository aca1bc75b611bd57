package cmd

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRunCheckFlagsUsage(t *testing.T) {
	for _, args := range [][]string{
		{"run", "--seed", "x", "ok.yaml"},
		{"run", "--now", "yesterday", "ok.yaml"},
	} {
		dir := writeFiles(t, t.TempDir(), map[string]string{"ok.yaml": "steps:\n  - GET: http://127.0.0.1:1/\n"})
		args[len(args)-1] = dir + "/ok.yaml"
		// The error names the flag: exit 2 alone could be any usage error.
		if got := callsheet(t, nil, args...); got.code != ExitUsage || !strings.Contains(got.stderr, "error: "+args[1]+` "`+args[2]+`"`) {
			t.Errorf("callsheet %s = exit %d, want %d and an error naming %s\n%s", strings.Join(args, " "), got.code, ExitUsage, args[1], got.stderr)
		}
	}
}

// TestRunStrict checks that --strict fails a step without checks, which
// passes without it.
func TestRunStrict(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	dir := writeFiles(t, t.TempDir(), map[string]string{"c.yaml": "steps:\n  - name: unchecked\n    GET: " + srv.URL + "/\n"})
	if got := callsheet(t, nil, "run", "--no-color", dir+"/c.yaml"); got.code != ExitOK {
		t.Errorf("run without --strict = %d, want %d\n%s", got.code, ExitOK, got.stdout)
	}
	got := callsheet(t, nil, "run", "--no-color", "--strict", dir+"/c.yaml")
	if got.code != ExitFailed || !strings.Contains(got.stdout+got.stderr, "checks nothing") {
		t.Errorf("run --strict = %d, want %d and the reason\n%s%s", got.code, ExitFailed, got.stdout, got.stderr)
	}
}
