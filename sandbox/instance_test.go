package sandbox

import (
	"net/http"
	"regexp"
	"testing"
)

// TestInstance checks that every answer names its sandbox, and that two
// sandboxes, even with one seed, have different names.
func TestInstance(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{Seed: "same"})
	id := srv.Sandbox.Instance()
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(id) {
		t.Errorf("Instance() = %q, want 32 hex digits", id)
	}
	answers := map[string]response{
		"token":          postForm(t, srv, "/oauth/token", codeForm(authorizeCode(t, srv, OOBRedirectURI), OOBRedirectURI)),
		"404":            send(t, srv, nil, http.MethodGet, "/nope", nil, nil),
		"bad knob":       send(t, srv, nil, http.MethodGet, "/nope", http.Header{FailHeader: {"200"}}, nil),
		"injected fault": send(t, srv, nil, http.MethodGet, "/nope", http.Header{FailHeader: {"503"}}, nil),
		"401":            apiGet(t, srv, "/rest/v1.0/me", "nope", ""),
	}
	for name, r := range answers {
		if got := r.header.Get(InstanceHeader); got != id {
			t.Errorf("%s (%d): %s %q, want %q", name, r.status, InstanceHeader, got, id)
		}
	}
	if other := newTestServer(t, Config{Seed: "same"}).Sandbox.Instance(); other == id {
		t.Errorf("two sandboxes are both instance %s", id)
	}
}
