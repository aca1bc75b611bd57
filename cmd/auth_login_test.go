package cmd

import (
	"strings"
	"testing"
)

func TestAuthLoginWithoutTerminal(t *testing.T) {
	_, tokenRequests, vars := authSandbox(t)
	env := map[string]string{cacheDirEnv: t.TempDir()}
	// Stdin is not a terminal and the profile's redirect URI is out of band:
	// nothing can bring the code back, and --var code=… would not help.
	out := callsheet(t, env, append([]string{"auth", "login", "procore", "procore/with-profile"}, vars...)...)
	if out.code != ExitError {
		t.Errorf("auth login = %d, want %d", out.code, ExitError)
	}
	for _, want := range []string{"auth login needs a terminal", "--auto-authorize"} {
		if !strings.Contains(out.stderr, want) {
			t.Errorf("auth login stderr = %q, want it to contain %q", out.stderr, want)
		}
	}
	if strings.Contains(out.stderr, "--var code") {
		t.Errorf("auth login stderr = %q, suggests --var code, which login ignores", out.stderr)
	}
	if n := tokenRequests.Load(); n != 0 {
		t.Errorf("token requests = %d, want 0", n)
	}
}
