package session

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callsheet/callsheet/auth"
	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/runner"
	"github.com/callsheet/callsheet/sandbox"
)

// tokenServer serves the sandbox over loopback and counts the token
// requests it gets.
func tokenServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
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
	return ts, &n
}

func TestLoginRun(t *testing.T) {
	tests := []struct {
		name        string
		grant       auth.GrantType
		auto        bool
		interactive bool
		wantErr     string
		wantTokens  int32
	}{
		{"client credentials", auth.GrantClientCredentials, false, false, "", 1},
		{"authorization code, approved at once", auth.GrantAuthorizationCode, true, false, "", 1},
		{"authorization code without a terminal", auth.GrantAuthorizationCode, false, false, "auth login needs a terminal", 0},
		{"a fixed bearer token", auth.GrantBearer, false, false, "nothing to log in", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, tokens := tokenServer(t)
			p := auth.Profile{
				Name: "procore", Grant: tt.grant, TokenURL: ts.URL + "/oauth/token", AuthorizeURL: ts.URL + "/oauth/authorize",
				ClientID: sandbox.DemoClientID, ClientSecret: sandbox.DemoClientSecret, RedirectURI: sandbox.OOBRedirectURI, PKCE: true,
			}
			if tt.grant == auth.GrantBearer {
				p.Token = "fixed"
			}
			cache := auth.NewMemoryCache()
			l := &Login{Source: &auth.Source{Profile: p, Cache: cache, Client: ts.Client()}, Timeout: hangGuard, Auto: tt.auto, Interactive: tt.interactive}
			ctx, cancel := context.WithTimeout(t.Context(), hangGuard)
			defer cancel()
			e, err := l.Run(ctx)
			if n := tokens.Load(); n != tt.wantTokens {
				t.Errorf("token requests = %d, want %d", n, tt.wantTokens)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Run() = %v, %v, want an error containing %q", e, err, tt.wantErr)
				}
				if strings.Contains(err.Error(), sandbox.DemoClientSecret) {
					t.Errorf("the error shows the client secret: %v", err)
				}
				return
			}
			if err != nil || e == nil || e.AccessToken == "" {
				t.Fatalf("Run() = %v, %v, want a cached entry", e, err)
			}
		})
	}
}

func TestFindProfileFile(t *testing.T) {
	const withProfile = `auth:
  svc:
    grant: client_credentials
    token_url: https://login.example/oauth/token
    client_id: id
    client_secret: secret
steps:
  - GET: https://api.example/me
    auth: svc
`
	const plain = "steps:\n  - GET: https://api.example/\n"
	tests := []struct {
		name    string
		files   map[string]string
		want    string // base name of the file found
		wantErr string
	}{
		{"one match among other YAML", map[string]string{"a.yaml": plain, "b.yml": withProfile, "compose.yaml": "services: {web: {image: x}}\n"}, "b.yml", ""},
		{"none", map[string]string{"a.yaml": plain}, "", `no collection in`},
		{"several", map[string]string{"a.yaml": withProfile, "b.yaml": withProfile}, "", `is declared in`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, tt.files)
			got, err := FindProfileFile(dir, "svc", nil)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("FindProfileFile() = %q, %v, want error containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || filepath.Base(got) != tt.want {
				t.Fatalf("FindProfileFile() = %q, %v, want %s", got, err, tt.want)
			}
		})
	}
}

func TestProfileSource(t *testing.T) {
	dir := writeFiles(t, map[string]string{"svc.yaml": `vars:
  login: https://login.example
auth:
  svc:
    grant: client_credentials
    token_url: "{{ login }}/oauth/token"
    client_id: id
    client_secret: "{{ env.SVC_SECRET }}"
steps:
  - GET: https://api.example/me
    auth: svc
`})
	c, err := collections.Load(filepath.Join(dir, "svc.yaml"), collections.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ro := runner.Options{Vars: map[string]any{"login": "https://127.0.0.1:9"}, LookupEnv: func(string) (string, bool) { return "s3cr3t", true }}
	src, err := ProfileSource(c, "svc", ro, TLS{}, 7*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Client.CloseIdleConnections()
	if p := src.Profile; p.TokenURL != "https://127.0.0.1:9/oauth/token" || p.ClientSecret != "s3cr3t" || src.Client.Timeout != 7*time.Second {
		t.Errorf("ProfileSource() = %v, timeout %v", p, src.Client.Timeout)
	}
	if _, err := ProfileSource(c, "nope", ro, TLS{}, time.Second); err == nil || !strings.Contains(err.Error(), "svc") {
		t.Errorf("an unknown profile: %v, want an error naming the profiles there are", err)
	}
}
