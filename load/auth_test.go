package load

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callsheet/callsheet/auth"
)

// tokenServer issues a client-credentials token per token request, slowly
// enough that users ask at once, and checks the bearer of /api.
type tokenServer struct {
	logins atomic.Int64
	api    atomic.Int64
	bad    atomic.Int64
}

func (ts *tokenServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/token":
		ts.logins.Add(1)
		time.Sleep(20 * time.Millisecond)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"access_token":"tok-1","token_type":"bearer","expires_in":3600}`))
	case "/api":
		ts.api.Add(1)
		if r.Header.Get("Authorization") != "Bearer tok-1" {
			ts.bad.Add(1)
			w.WriteHeader(http.StatusUnauthorized)
		}
	}
}

const profileSrc = `
auth:
  api:
    grant: client_credentials
    token_url: "{{ base }}/token"
    client_id: load
    client_secret: s3cret
steps:
  - name: call
    GET: "{{ base }}/api"
    auth: api
    expect: { status: 200 }
`

func TestUsersShareOneLogin(t *testing.T) {
	for _, tt := range []struct {
		name   string
		cache  auth.Cache
		logins func(int64) bool
		want   string
	}{
		{"one memory cache", auth.NewMemoryCache(), func(n int64) bool { return n == 1 }, "exactly 1"},
		{"one file cache", auth.NewFileCache(t.TempDir()), func(n int64) bool { return n == 1 }, "exactly 1"},
		// Without a shared cache each iteration logs in: the test above
		// can fail.
		{"no shared cache", nil, func(n int64) bool { return n == 150 }, "one per iteration (150)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ts := &tokenServer{}
			srv := server(t, ts)
			s := run(t, srv, profileSrc, Scenario{Executor: PerVUIterations, VUs: 50, Iterations: 3}, func(test *Test) {
				test.Options.TokenCache = tt.cache
			})
			if n := ts.logins.Load(); !tt.logins(n) {
				t.Errorf("50 users × 3 iterations logged in %d times, want %s", n, tt.want)
			}
			if ts.api.Load() != 150 || ts.bad.Load() != 0 || s.Total.ChecksFailed != 0 {
				t.Errorf("%d API calls, %d with a wrong token, %d failed checks; want 150, 0, 0",
					ts.api.Load(), ts.bad.Load(), s.Total.ChecksFailed)
			}
		})
	}
}
