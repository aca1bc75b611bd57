package auth

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// newTestServer starts an httptest server that is closed when the test ends.
func newTestServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts
}

// testContext is the test's context with a hang guard: a minute, wide
// enough for a loaded machine, and never what a test checks.
func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// fixedRand yields 32 bytes of 1 (the state), then 32 bytes of 2 (the PKCE
// verifier).
func fixedRand() io.Reader {
	return bytes.NewReader(append(bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)...))
}

// wantState is the state drawn from fixedRand.
func wantState() string { return base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32)) }

// wantVerifier is the PKCE verifier drawn from fixedRand.
func wantVerifier() string { return base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{2}, 32)) }

// s256 computes an RFC 7636 S256 challenge independently of x/oauth2.
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// checkAuthorizeQuery asserts on the parameters every authorization request
// carries; redirectURI is not checked when empty.
func checkAuthorizeQuery(t *testing.T, r *http.Request, redirectURI string) {
	t.Helper()
	q := r.URL.Query()
	want := map[string]string{"response_type": "code", "client_id": "client-1", "state": wantState()}
	if redirectURI != "" {
		want["redirect_uri"] = redirectURI
	}
	for k, want := range want {
		if got := q.Get(k); got != want {
			t.Errorf("authorization request %s = %q, want %q", k, got, want)
		}
	}
}
