package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/callsheet/callsheet/sandbox"
)

// countingSandbox serves the Procore sandbox over loopback http and counts
// the requests to /oauth/token.
type countingSandbox struct {
	*httptest.Server
	tokenRequests atomic.Int32
}

func newCountingSandbox(t *testing.T, cfg sandbox.Config) *countingSandbox {
	t.Helper()
	cs := &countingSandbox{}
	h := sandbox.New(cfg).Handler()
	cs.Server = newTestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/oauth/token") && r.Method == http.MethodPost {
			cs.tokenRequests.Add(1)
		}
		h.ServeHTTP(w, r)
	}))
	return cs
}

// profile is an authorization_code profile for the sandbox.
func (cs *countingSandbox) profile() Profile {
	return Profile{
		Name: "procore", Grant: GrantAuthorizationCode,
		TokenURL: cs.URL + "/oauth/token", AuthorizeURL: cs.URL + "/oauth/authorize", RevokeURL: cs.URL + "/oauth/revoke",
		ClientID: sandbox.DemoClientID, ClientSecret: sandbox.DemoClientSecret,
		RedirectURI: sandbox.OOBRedirectURI, PKCE: true,
	}
}

// source returns a Source for p on cs that may log in automatically.
func (cs *countingSandbox) source(p Profile, cache Cache, now func() time.Time) *Source {
	return &Source{Profile: p, Cache: cache, Client: cs.Client(), Now: now, Mode: ModeAuto}
}

// wantTokenRequests fails unless the sandbox saw want token requests.
func (cs *countingSandbox) wantTokenRequests(t *testing.T, want int32) {
	t.Helper()
	if got := cs.tokenRequests.Load(); got != want {
		t.Errorf("token requests at the server = %d, want %d", got, want)
	}
}

// postToken sends a raw refresh_token grant and returns the error code.
func (cs *countingSandbox) refreshCode(t *testing.T, refreshToken string) string {
	t.Helper()
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken},
		"client_id": {sandbox.DemoClientID}, "client_secret": {sandbox.DemoClientSecret}}
	resp, err := cs.Client().PostForm(cs.URL+"/oauth/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Error string `json:"error"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return body.Error
}

func TestSourceGrants(t *testing.T) {
	tests := []struct {
		name    string
		profile Profile
		// check asserts on the token request.
		check func(t *testing.T, r *http.Request)
	}{
		{
			name:    "client credentials in the body",
			profile: Profile{Grant: GrantClientCredentials, ClientID: "client-1", ClientSecret: "secret-1", Scopes: []string{"read"}},
			check: func(t *testing.T, r *http.Request) {
				if _, _, ok := r.BasicAuth(); ok {
					t.Errorf("token request has Basic credentials, want them in the body")
				}
				wantForm(t, r, map[string]string{"grant_type": "client_credentials", "client_id": "client-1", "client_secret": "secret-1", "scope": "read"})
			},
		},
		{
			name:    "client credentials with basic",
			profile: Profile{Grant: GrantClientCredentials, ClientID: "client-1", ClientSecret: "secret-1", ClientAuth: ClientAuthBasic},
			check: func(t *testing.T, r *http.Request) {
				if id, secret, ok := r.BasicAuth(); !ok || id != "client-1" || secret != "secret-1" {
					t.Errorf("BasicAuth() = %q, %q, %v, want client-1, secret-1, true", id, secret, ok)
				}
				wantForm(t, r, map[string]string{"grant_type": "client_credentials", "client_secret": ""})
			},
		},
		{
			name:    "refresh token",
			profile: Profile{Grant: GrantRefreshToken, ClientID: "client-1", ClientSecret: "secret-1", RefreshToken: "refresh-0"},
			check: func(t *testing.T, r *http.Request) {
				wantForm(t, r, map[string]string{"grant_type": "refresh_token", "refresh_token": "refresh-0", "client_id": "client-1"})
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int32
			ts := newTestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				if r.URL.Path != "/token" || r.Method != http.MethodPost {
					t.Errorf("request %s %s, want POST /token", r.Method, r.URL.Path)
				}
				tt.check(t, r)
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprint(w, `{"access_token":"access-1","token_type":"bearer","expires_in":3600,"refresh_token":"refresh-1"}`)
			}))
			p := tt.profile
			p.Name, p.TokenURL = "p", ts.URL+"/token"
			src := &Source{Profile: p, Client: ts.Client()}
			ctx := testContext(t)
			for range 2 {
				tok, err := src.Token(ctx)
				if err != nil || tok.AccessToken != "access-1" {
					t.Fatalf("Token() = %v, %v, want access-1, <nil>", tok, err)
				}
			}
			if got := hits.Load(); got != 1 {
				t.Errorf("token requests = %d, want 1 (the second Token() uses the first token)", got)
			}
			e, err := src.Cached()
			if err != nil || e == nil || e.RefreshToken != "refresh-1" {
				t.Errorf("Cached() = %v, %v, want the refresh token saved", e, err)
			}
		})
	}

	t.Run("bearer", func(t *testing.T) {
		src := &Source{Profile: Profile{Name: "b", Grant: GrantBearer, Token: "fixed-token"}}
		tok, err := src.Token(t.Context())
		if err != nil || tok.AccessToken != "fixed-token" {
			t.Fatalf("Token() = %v, %v, want fixed-token, <nil>", tok, err)
		}
		if _, err := src.Refresh(t.Context(), "fixed-token"); !errors.Is(err, ErrNoRefresh) {
			t.Errorf("Refresh() error = %v, want ErrNoRefresh", err)
		}
	})

	t.Run("authorization code with PKCE against the sandbox", func(t *testing.T) {
		cs := newCountingSandbox(t, sandbox.Config{})
		src := cs.source(cs.profile(), nil, nil)
		tok, err := src.Token(testContext(t))
		if err != nil || tok.AccessToken == "" || tok.RefreshToken == "" {
			t.Fatalf("Token() = %v, %v, want a token pair", tok, err)
		}
		cs.wantTokenRequests(t, 1)
	})
}

// wantForm checks form fields of r; an empty want means absent.
func wantForm(t *testing.T, r *http.Request, want map[string]string) {
	t.Helper()
	if err := r.ParseForm(); err != nil {
		t.Fatal(err)
	}
	for k, v := range want {
		if got := r.PostForm.Get(k); got != v {
			t.Errorf("token request %s = %q, want %q", k, got, v)
		}
	}
}

func TestSourceLoginRequired(t *testing.T) {
	cs := newCountingSandbox(t, sandbox.Config{})
	src := &Source{Profile: cs.profile(), Client: cs.Client()}
	_, err := src.Token(t.Context())
	var lr *LoginRequiredError
	if !errors.As(err, &lr) || !strings.Contains(err.Error(), "callsheet auth login procore") {
		t.Errorf("Token() error = %v, want *LoginRequiredError naming the login command", err)
	}
	cs.wantTokenRequests(t, 0)
}

func TestSourceCacheReuse(t *testing.T) {
	cs := newCountingSandbox(t, sandbox.Config{})
	dir := filepath.Join(t.TempDir(), "callsheet")
	ctx := testContext(t)
	first, err := cs.source(cs.profile(), NewFileCache(dir), nil).Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A second run: a new Source and a new FileCache on the same folder.
	second, err := cs.source(cs.profile(), NewFileCache(dir), nil).Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if second.AccessToken != first.AccessToken {
		t.Errorf("second run's token differs from the first: want the cached one")
	}
	cs.wantTokenRequests(t, 1)

	// Another client ID or token URL never shares the entry.
	other := cs.profile()
	other.TokenURL += "/"
	if _, err := cs.source(other, NewFileCache(dir), nil).Token(ctx); err != nil {
		t.Fatal(err)
	}
	cs.wantTokenRequests(t, 2)
}

func TestSourceExpiryRefreshesOnceAndRotates(t *testing.T) {
	clock := sandbox.NewManualClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	cs := newCountingSandbox(t, sandbox.Config{Now: clock.Now, AccessTokenTTL: time.Hour})
	cache := NewFileCache(t.TempDir())
	ctx := testContext(t)
	src := cs.source(cs.profile(), cache, clock.Now)
	first, err := src.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(30 * time.Minute)
	if tok, err := src.Token(ctx); err != nil || tok.AccessToken != first.AccessToken {
		t.Fatalf("Token() after 30m = %v, want the first token", err)
	}
	cs.wantTokenRequests(t, 1)

	clock.Advance(30 * time.Minute) // at expiry (and within ExpirySkew)
	second, err := src.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if second.AccessToken == first.AccessToken || second.RefreshToken == first.RefreshToken {
		t.Errorf("Token() after expiry kept the old pair, want a refreshed one")
	}
	if _, err := src.Token(ctx); err != nil {
		t.Fatal(err)
	}
	cs.wantTokenRequests(t, 2)

	saved, err := cache.Load(cs.profile().Key())
	if err != nil || saved == nil || saved.RefreshToken != second.RefreshToken {
		t.Errorf("cache after refresh = %v, %v, want the new refresh token", saved, err)
	}
	if code := cs.refreshCode(t, first.RefreshToken); code != "invalid_grant" {
		t.Errorf("old refresh token after rotation: error = %q, want invalid_grant", code)
	}
}

func TestSourceConcurrentRefresh(t *testing.T) {
	clock := sandbox.NewManualClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	cs := newCountingSandbox(t, sandbox.Config{Now: clock.Now, AccessTokenTTL: time.Hour})
	cache := NewFileCache(t.TempDir())
	ctx := testContext(t)
	if _, err := cs.source(cs.profile(), cache, clock.Now).Token(ctx); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Hour)

	// 50 concurrent requests, through one Source and through separate
	// Sources sharing the cache (as separate runs would).
	shared := cs.source(cs.profile(), cache, clock.Now)
	var wg sync.WaitGroup
	tokens := make([]string, 50)
	errs := make([]error, 50)
	for i := range 50 {
		src := shared
		if i%2 == 1 {
			src = cs.source(cs.profile(), cache, clock.Now)
		}
		wg.Go(func() {
			tok, err := src.Token(ctx)
			errs[i] = err
			if err == nil {
				tokens[i] = tok.AccessToken
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Token() #%d error = %v", i, err)
		}
		if tokens[i] != tokens[0] {
			t.Errorf("Token() #%d returned another token than #0", i)
		}
	}
	cs.wantTokenRequests(t, 2) // the login, then one refresh
}

func TestSourceRefreshAfter401(t *testing.T) {
	cs := newCountingSandbox(t, sandbox.Config{})
	ctx := testContext(t)
	src := cs.source(cs.profile(), nil, nil)
	first, err := src.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	again, err := src.Refresh(ctx, first.AccessToken)
	if err != nil || again.AccessToken == first.AccessToken {
		t.Fatalf("Refresh(stale) = %v, want a new token", err)
	}
	// A caller still holding the stale token gets the new one without a
	// second request.
	third, err := src.Refresh(ctx, first.AccessToken)
	if err != nil || third.AccessToken != again.AccessToken {
		t.Fatalf("Refresh(stale) again = %v, want the token of the first refresh", err)
	}
	cs.wantTokenRequests(t, 2)
}

func TestSourceInvalidGrant(t *testing.T) {
	cs := newCountingSandbox(t, sandbox.Config{Now: time.Now, AccessTokenTTL: time.Hour})
	cache := NewMemoryCache()
	ctx := testContext(t)
	p := cs.profile()
	if _, err := cs.source(p, cache, nil).Token(ctx); err != nil {
		t.Fatal(err)
	}
	e, _ := cache.Load(p.Key())
	// Someone else used the refresh token: it is dead now.
	if code := cs.refreshCode(t, e.RefreshToken); code != "" {
		t.Fatalf("refresh by hand: error %q", code)
	}
	e.Expiry = time.Now().Add(-time.Minute)
	if err := cache.Save(p.Key(), e); err != nil {
		t.Fatal(err)
	}
	src := &Source{Profile: p, Cache: cache, Client: cs.Client()}
	_, err := src.Token(ctx)
	var te *TokenError
	if !errors.As(err, &te) || !te.InvalidGrant() {
		t.Fatalf("Token() error = %v, want an invalid_grant *TokenError", err)
	}
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		t.Errorf("Token() error chain has no *oauth2.RetrieveError")
	}
	msg := err.Error()
	if !strings.Contains(msg, "callsheet auth login procore") {
		t.Errorf("error = %q, want it to say how to log in again", msg)
	}
	for _, secret := range []string{e.RefreshToken, e.AccessToken, sandbox.DemoClientSecret} {
		if strings.Contains(msg, secret) {
			t.Errorf("error = %q contains a secret", msg)
		}
	}
	if left, _ := cache.Load(p.Key()); left != nil {
		t.Errorf("cache entry after invalid_grant = %v, want it deleted", left)
	}
}

func TestSourceWrongSecretRedacted(t *testing.T) {
	cs := newCountingSandbox(t, sandbox.Config{})
	p := Profile{Name: "svc", Grant: GrantClientCredentials, TokenURL: cs.URL + "/oauth/token",
		ClientID: sandbox.DemoClientID, ClientSecret: "wrong-secret-value"}
	_, err := (&Source{Profile: p, Client: cs.Client()}).Token(t.Context())
	var te *TokenError
	if !errors.As(err, &te) || te.Code != "invalid_client" {
		t.Fatalf("Token() error = %v, want invalid_client", err)
	}
	if strings.Contains(err.Error(), "wrong-secret-value") {
		t.Errorf("error %q contains the client secret", err)
	}
}

func TestFileCacheModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache", "callsheet")
	c := NewFileCache(dir)
	k := Key{Profile: "p", ClientID: "c", TokenURL: "https://x/token"}
	unlock, err := c.Lock(t.Context(), k)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Save(k, &Entry{Profile: "p", ClientID: "c", TokenURL: "https://x/token", AccessToken: "a-token"}); err != nil {
		t.Fatal(err)
	}
	unlock()
	for _, d := range []string{dir, filepath.Dir(dir)} { // the folders it created
		info, err := os.Stat(d)
		if err != nil || info.Mode().Perm() != 0o700 {
			t.Errorf("%s mode = %v, %v, want 0700", d, info.Mode().Perm(), err)
		}
	}
	files, _ := os.ReadDir(dir)
	var entries int
	for _, f := range files {
		fi, _ := f.Info()
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode = %v, want 0600", f.Name(), fi.Mode().Perm())
		}
		if strings.HasSuffix(f.Name(), ".tmp") { // atomicfile's temporary names
			t.Errorf("temporary file %s left behind", f.Name())
		}
		if strings.HasSuffix(f.Name(), entrySuffix) {
			entries++
		}
	}
	if entries != 1 {
		t.Errorf("entry files = %d, want 1", entries)
	}
	got, err := c.Load(k)
	if err != nil || got == nil || got.AccessToken != "a-token" {
		t.Errorf("Load() = %v, %v, want the saved entry", got, err)
	}
	list, err := c.List()
	if err != nil || len(list) != 1 {
		t.Errorf("List() = %v, %v, want one entry", list, err)
	}
	if s := fmt.Sprint(*got); strings.Contains(s, "a-token") {
		t.Errorf("Entry printed as %s, want the token redacted", s)
	}
}

func TestFileCacheLockWaits(t *testing.T) {
	c := NewFileCache(t.TempDir())
	k := Key{Profile: "p"}
	unlock, err := c.Lock(t.Context(), k)
	if err != nil {
		t.Fatal(err)
	}
	// Another cache on the same folder (as another process would) waits.
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	if _, err := NewFileCache(c.Dir).Lock(ctx, k); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second Lock() error = %v, want a deadline while the first holds it", err)
	}
	unlock()
	unlock2, err := NewFileCache(c.Dir).Lock(testContext(t), k)
	if err != nil {
		t.Fatalf("Lock() after unlock error = %v", err)
	}
	unlock2()
}

func TestSourceLogoutRevokes(t *testing.T) {
	cs := newCountingSandbox(t, sandbox.Config{})
	cache := NewFileCache(t.TempDir())
	ctx := testContext(t)
	src := cs.source(cs.profile(), cache, nil)
	tok, err := src.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	revoked, err := src.Logout(ctx)
	if err != nil || !revoked {
		t.Fatalf("Logout() = %v, %v, want true, <nil>", revoked, err)
	}
	if e, _ := cache.Load(cs.profile().Key()); e != nil {
		t.Errorf("cache entry after logout = %v, want none", e)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, cs.URL+"/oauth/token/info", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := cs.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("token info after logout = %d, want 401 (revoked)", resp.StatusCode)
	}
}

func TestSourceLoginLoopbackWrongState(t *testing.T) {
	cs := newCountingSandbox(t, sandbox.Config{})
	p := cs.profile()
	p.RedirectURI = "http://127.0.0.1:0/callback"
	src := &Source{Profile: p, Client: cs.Client()}
	var callbackStatus int
	a := &Authorizer{OpenBrowser: func(authURL string) error {
		u, _ := url.Parse(authURL)
		redirect := u.Query().Get("redirect_uri")
		resp, err := http.Get(redirect + "?code=stolen-code&state=forged")
		if err != nil {
			return err
		}
		resp.Body.Close()
		callbackStatus = resp.StatusCode
		return nil
	}}
	err := src.Login(testContext(t), a, ModeLoopback)
	var sm *StateMismatchError
	if !errors.As(err, &sm) {
		t.Fatalf("Login() error = %v, want *StateMismatchError", err)
	}
	if callbackStatus != http.StatusBadRequest {
		t.Errorf("callback answered %d, want 400", callbackStatus)
	}
	cs.wantTokenRequests(t, 0)
}

func TestCheckInsecureHTTP(t *testing.T) {
	tests := []struct {
		url   string
		allow bool
		want  bool // an error
	}{
		{"https://api.procore.com/oauth/token", false, false},
		{"http://127.0.0.1:8080/x", false, false},
		{"http://localhost/x", false, false},
		{"http://[::1]:9/x", false, false},
		{"http://api.procore.com/oauth/token?secret=1", false, true},
		{"HTTP://10.0.0.1/x", false, true},
		{"http://api.procore.com/x", true, false},
	}
	for _, tt := range tests {
		err := CheckInsecureHTTP(tt.url, tt.allow)
		if (err != nil) != tt.want {
			t.Errorf("CheckInsecureHTTP(%q, %v) = %v, want error %v", tt.url, tt.allow, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "secret=1") {
			t.Errorf("CheckInsecureHTTP(%q) error %q shows the query", tt.url, err)
		}
	}
}

// TestSourceFresh checks that Fresh gives the token the Source holds while
// it is usable, and nil before the first Token and once it is within
// ExpirySkew of its expiry, without sending anything.
func TestSourceFresh(t *testing.T) {
	clock := sandbox.NewManualClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	cs := newCountingSandbox(t, sandbox.Config{Now: clock.Now, AccessTokenTTL: time.Hour})
	src := cs.source(cs.profile(), NewMemoryCache(), clock.Now)
	if tok := src.Fresh(); tok != nil {
		t.Fatalf("Fresh() before any token = %v, want nil", tok)
	}
	first, err := src.Token(testContext(t))
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(58 * time.Minute)
	if tok := src.Fresh(); tok == nil || tok.AccessToken != first.AccessToken {
		t.Fatalf("Fresh() 58 minutes in = %v, want the first token", tok)
	}
	clock.Advance(time.Minute) // within ExpirySkew of the expiry
	if tok := src.Fresh(); tok != nil {
		t.Errorf("Fresh() a minute before expiry = %v, want nil", tok)
	}
	cs.wantTokenRequests(t, 1)
}

// TestSourceFreshFromMemoryCache checks that a Source finds the fresh
// token another Source saved in a shared MemoryCache (the users of a load
// test), and not one in a FileCache, which Token reads under its lock.
func TestSourceFreshFromMemoryCache(t *testing.T) {
	cs := newCountingSandbox(t, sandbox.Config{})
	p := cs.profile()
	p.Grant, p.AuthorizeURL = GrantClientCredentials, ""
	for _, tc := range []struct {
		name  string
		cache Cache
		want  bool
	}{
		{"memory", NewMemoryCache(), true},
		{"file", NewFileCache(t.TempDir()), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first, err := cs.source(p, tc.cache, nil).Token(testContext(t))
			if err != nil {
				t.Fatal(err)
			}
			tok := cs.source(p, tc.cache, nil).Fresh()
			if got := tok != nil && tok.AccessToken == first.AccessToken; got != tc.want {
				t.Errorf("Fresh() from a new Source = %v, want the first token: %v", tok, tc.want)
			}
			other := p
			other.ClientSecret = ""
			if tok := cs.source(other, tc.cache, nil).Fresh(); tok != nil {
				t.Errorf("Fresh() for a profile that cannot obtain a token = %v, want nil (Token says why)", tok)
			}
		})
	}
}
