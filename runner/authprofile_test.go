package runner

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callsheet/callsheet/auth"
	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/sandbox"
)

// loadBundled loads a bundled collection, telling the loader about vars.
func loadBundled(t *testing.T, name string, vars map[string]any) *collections.Collection {
	t.Helper()
	names := make([]string, 0, len(vars))
	for n := range vars {
		names = append(names, n)
	}
	c, err := collections.LoadBundled(name, collections.Options{Defined: names})
	if err != nil {
		t.Fatalf("LoadBundled(%s) error = %v", name, err)
	}
	return c
}

func TestProcoreBundledCollections(t *testing.T) {
	tests := []struct {
		name string
		want string
	}{
		{"procore/with-profile", "passed,passed"},
		{"procore/service-account", "passed,passed,passed"},
		{"procore/refresh", "passed,passed,passed,passed,passed,passed"},
		{"procore/errors", "passed,passed,passed,passed,passed,passed,passed"},
		// page 1, then one step that follows the next links to the last page
		// (the sandbox's 3 projects, one per page: checked below).
		{"procore/pagination", "passed,passed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSandbox(t, sandbox.Config{})
			vars := sandboxVars(srv)
			c := loadBundled(t, tt.name, vars)
			res := runColl(t, sandboxClient(srv), c, Options{Vars: vars, AuthOptions: AuthOptions{AutoAuthorize: true}})
			wantOutcomes(t, res, tt.want)
			assertMasked(t, res, sandbox.DemoClientSecret)
			if tt.name == "procore/pagination" {
				last := res.Steps[len(res.Steps)-1]
				if last.Request == nil || !strings.Contains(last.Request.URL, "page=3") {
					t.Errorf("pagination ended at %+v, want the last page (page=3)", last.Request)
				}
			}
		})
	}
}

// countingSandbox serves the sandbox over loopback http, counting token
// requests.
func countingSandbox(t *testing.T, cfg sandbox.Config) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	h := sandbox.New(cfg).Handler()
	ts := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/oauth/token") {
			n.Add(1)
		}
		h.ServeHTTP(w, r)
	}))
	return ts, &n
}

func TestAuthProfileCacheAcrossRuns(t *testing.T) {
	ts, tokenRequests := countingSandbox(t, sandbox.Config{})
	vars := map[string]any{"login_url": ts.URL, "base_url": ts.URL, "client_id": sandbox.DemoClientID,
		"client_secret": sandbox.DemoClientSecret, "company_id": int64(sandbox.DemoCompanyID)}
	c := loadBundled(t, "procore/with-profile", vars)
	cache := auth.NewFileCache(t.TempDir())
	for run := 1; run <= 2; run++ {
		res := runColl(t, ts.Client(), c, Options{Vars: vars, AuthOptions: AuthOptions{AutoAuthorize: true, TokenCache: cache}})
		wantOutcomes(t, res, "passed,passed")
		if got := tokenRequests.Load(); got != 1 {
			t.Errorf("after run %d: token requests = %d, want 1 (the second run uses the cache)", run, got)
		}
		e, err := cache.Load(auth.Key{Profile: "procore", ClientID: sandbox.DemoClientID, TokenURL: ts.URL + "/oauth/token"})
		if err != nil || e == nil {
			t.Fatalf("cache entry = %v, %v", e, err)
		}
		assertMasked(t, res, e.AccessToken, e.RefreshToken, sandbox.DemoClientSecret)
	}
}

// tokenAPI is a token endpoint issuing tok-1, tok-2, … and an API at
// /api that accepts only the newest token, answering older ones with 401
// and a Bearer invalid_token challenge (or challenge when set).
type tokenAPI struct {
	*httptest.Server
	tokens, calls atomic.Int32
	challenge     string
}

func newTokenAPI(t *testing.T, challenge string) *tokenAPI {
	ta := &tokenAPI{challenge: challenge}
	ta.Server = newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/token":
			n := ta.tokens.Add(1)
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"access_token":"tok-%d-abcdef","token_type":"bearer","expires_in":3600}`, n)
		case "/api":
			ta.calls.Add(1)
			if r.Header.Get("Authorization") != fmt.Sprintf("Bearer tok-%d-abcdef", ta.tokens.Load()) || ta.tokens.Load() < 2 {
				w.Header().Set("WWW-Authenticate", ta.challenge)
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			fmt.Fprint(w, `{"ok":true}`)
		}
	}))
	return ta
}

const tokenAPICollection = `
auth:
  api:
    grant: client_credentials
    token_url: "{{ base }}/token"
    client_id: c
    client_secret: very-secret-value
steps:
  - name: call
    POST: "{{ base }}/api"
    auth: api
    json: { a: 1 }
    expect:
      status: 200
`

func TestAuthProfile401RefreshesOnce(t *testing.T) {
	tests := []struct {
		name       string
		challenge  string
		want       string
		wantTokens int32
		wantCalls  int32
	}{
		{"invalid_token refreshes and replays once", `Bearer error="invalid_token", error_description="expired"`, "passed", 2, 2},
		{"other 401 is not replayed", `Bearer realm="api"`, "failed", 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ta := newTokenAPI(t, tt.challenge)
			vars := map[string]any{"base": ta.URL}
			res := runColl(t, nil, parse(t, tokenAPICollection, "base"), Options{Vars: vars})
			wantOutcomes(t, res, tt.want)
			if got := ta.tokens.Load(); got != tt.wantTokens {
				t.Errorf("token requests = %d, want %d", got, tt.wantTokens)
			}
			if got := ta.calls.Load(); got != tt.wantCalls {
				t.Errorf("API requests = %d, want %d", got, tt.wantCalls)
			}
			assertMasked(t, res, "very-secret-value", "tok-1-abcdef", "tok-2-abcdef")
		})
	}
}

func TestAuthProfileStillInvalidAfterReplay(t *testing.T) {
	// The API refuses every token: one refresh, one replay, no loop.
	var tokens, calls atomic.Int32
	ts := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			tokens.Add(1)
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"access_token":"tok-%d-abcdef","token_type":"bearer","expires_in":3600}`, tokens.Load())
			return
		}
		calls.Add(1)
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		w.WriteHeader(http.StatusUnauthorized)
	}))
	res := runColl(t, nil, parse(t, tokenAPICollection, "base"), Options{Vars: map[string]any{"base": ts.URL}})
	wantOutcomes(t, res, "failed")
	if tokens.Load() != 2 || calls.Load() != 2 {
		t.Errorf("token requests, API requests = %d, %d, want 2, 2", tokens.Load(), calls.Load())
	}
}

func TestRedirectDropsCredentials(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]http.Header{}
	record := func(name string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			seen[name] = r.Header.Clone()
			mu.Unlock()
			fmt.Fprint(w, `{}`)
		})
	}
	other := newServer(t, record("other"))
	var origin *httptest.Server
	origin = newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/cross":
			http.Redirect(w, r, other.URL+"/landing", http.StatusFound)
		case "/same":
			http.Redirect(w, r, origin.URL+"/landing", http.StatusFound)
		case "/host": // the same port under another host name
			http.Redirect(w, r, strings.Replace(origin.URL, "127.0.0.1", "localhost", 1)+"/landing", http.StatusFound)
		default:
			record("origin").ServeHTTP(w, r)
		}
	}))
	src := `
vars:
  api_key: "` + testAPIKey + `"
secrets: [api_key]
auth:
  b:
    grant: bearer
    token: bearer-token-123
steps:
  - GET: "{{ base }}/{{ path }}"
    auth: b
    headers:
      Cookie: session=abc123
      Proxy-Authorization: proxy-credential
      X-Api-Key: "{{ api_key }}"
      X-Plain: kept
`
	for _, tt := range []struct {
		path, landing string
		wantCreds     bool
	}{
		{"cross", "other", false},
		{"host", "origin", false},
		{"same", "origin", true},
	} {
		t.Run(tt.path, func(t *testing.T) {
			vars := map[string]any{"base": origin.URL, "path": tt.path}
			res := runColl(t, nil, parse(t, src, "base", "path"), Options{Vars: vars})
			wantOutcomes(t, res, "passed")
			mu.Lock()
			h := seen[tt.landing]
			mu.Unlock()
			if h == nil {
				t.Fatalf("%s server saw no request", tt.landing)
			}
			// Cookie and Proxy-Authorization (without a scheme, so
			// not a secret the masker knows) are dropped for their name
			// alone.
			for _, name := range []string{"Authorization", "Cookie", "Proxy-Authorization", "X-Api-Key"} {
				if got := h.Get(name) != ""; got != tt.wantCreds {
					t.Errorf("redirect to %s: %s present = %v, want %v", tt.landing, name, got, tt.wantCreds)
				}
			}
			if h.Get("X-Plain") != "kept" {
				t.Errorf("redirect to %s: X-Plain = %q, want kept", tt.landing, h.Get("X-Plain"))
			}
		})
	}
}

func TestInsecureHTTPRefused(t *testing.T) {
	src := `
auth:
  b:
    grant: bearer
    token: bearer-token-123
steps:
  - GET: http://api.example.invalid/me
    auth: b
`
	res := runColl(t, nil, parse(t, src), Options{})
	wantOutcomes(t, res, "error")
	var ie *auth.InsecureHTTPError
	if err := res.Steps[0].Err; !errors.As(err, &ie) || !strings.Contains(err.Error(), "--allow-insecure-http") {
		t.Errorf("step error = %v, want *auth.InsecureHTTPError naming --allow-insecure-http", err)
	}
	assertMasked(t, res, "bearer-token-123")

	// A profile's token URL is refused the same way.
	cc := `
auth:
  s:
    grant: client_credentials
    token_url: http://login.example.invalid/oauth/token
    client_id: c
    client_secret: secret-value-1
steps:
  - GET: https://api.example.invalid/me
    auth: s
`
	res = runColl(t, nil, parse(t, cc), Options{})
	wantOutcomes(t, res, "error")
	if err := res.Steps[0].Err; !errors.As(err, &ie) {
		t.Errorf("step error = %v, want *auth.InsecureHTTPError for the token URL", err)
	}
}

func TestAuthProfileExpiryRefreshesOnce(t *testing.T) {
	clock := sandbox.NewManualClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	ts, tokenRequests := countingSandbox(t, sandbox.Config{Now: clock.Now, AccessTokenTTL: time.Hour})
	vars := map[string]any{"login_url": ts.URL, "base_url": ts.URL, "client_id": sandbox.DemoClientID,
		"client_secret": sandbox.DemoClientSecret, "company_id": int64(sandbox.DemoCompanyID)}
	c := loadBundled(t, "procore/with-profile", vars)
	cache := auth.NewFileCache(t.TempDir())
	opts := Options{Vars: vars, AuthOptions: AuthOptions{AutoAuthorize: true, TokenCache: cache}, Now: clock.Now}
	wantOutcomes(t, runColl(t, ts.Client(), c, opts), "passed,passed")
	clock.Advance(time.Hour)
	wantOutcomes(t, runColl(t, ts.Client(), c, opts), "passed,passed")
	if got := tokenRequests.Load(); got != 2 {
		t.Errorf("token requests = %d, want 2 (a login, then one refresh)", got)
	}
}
