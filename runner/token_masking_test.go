package runner

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// TestProfileTokensMasked runs a step whose auth profile's first token is
// refused with a Bearer invalid_token challenge; the API echoes the token
// it accepts, and the refresh tokens, in its answer. Both the first and
// the refreshed tokens, access and refresh, are masked in the result.
func TestProfileTokensMasked(t *testing.T) {
	var tokens atomic.Int32
	ts := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/token":
			n := tokens.Add(1)
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"access_token":"tok-%d-abcdef","refresh_token":"rt-%d-abcdef","token_type":"bearer","expires_in":3600}`, n, n)
		case "/api":
			n := tokens.Load()
			if n < 2 {
				w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
				w.WriteHeader(http.StatusUnauthorized)
				fmt.Fprintf(w, "refused %s (refresh rt-1-abcdef)", r.Header.Get("Authorization"))
				return
			}
			fmt.Fprintf(w, "accepted %s (refresh rt-%d-abcdef)", r.Header.Get("Authorization"), n)
		}
	}))
	opts := Options{Vars: map[string]any{"base": ts.URL}, Retention: Retention{KeepBodies: true}}
	res := runColl(t, nil, parse(t, tokenAPICollection, "base"), opts)
	wantOutcomes(t, res, "passed")
	if tokens.Load() != 2 {
		t.Fatalf("token requests = %d, want 2", tokens.Load())
	}
	assertMasked(t, res, "tok-1-abcdef", "rt-1-abcdef", "tok-2-abcdef", "rt-2-abcdef")
	if body := string(res.Steps[0].Response.Body); !strings.HasPrefix(body, "accepted Bearer *** (refresh ***)") {
		t.Errorf("response body = %q, want the refreshed tokens masked", body)
	}
}
