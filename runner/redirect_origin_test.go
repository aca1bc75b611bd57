package runner

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// TestSameOrigin compares scheme, host and port, with the default ports
// of http and https made explicit and case ignored.
func TestSameOrigin(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"http://h/a", "http://h/b", true},
		{"http://h/", "http://h:80/", true},
		{"https://h:443/", "https://h/", true},
		{"HTTP://H/", "http://h/", true},
		{"http://h:8080/", "http://h:8080/x", true},
		{"http://h/", "https://h/", false},
		{"http://h:443/", "https://h/", false},
		{"https://h:80/", "http://h/", false},
		{"http://h:8080/", "http://h:8081/", false},
		{"http://h:8080/", "http://h/", false},
		{"http://a/", "http://b/", false},
		{"ftp://h/", "ftp://h:21/", false},
		{"ftp://h/", "ftp://h/", true},
	}
	for _, tt := range tests {
		a, _ := url.Parse(tt.a)
		b, _ := url.Parse(tt.b)
		if got := sameOrigin(a, b); got != tt.want {
			t.Errorf("sameOrigin(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestRedirectToHTTPS follows a redirect from http to https on loopback:
// https is allowed, and, the origin being another, the credentials are
// dropped. No redirect carries a Referer, to the same origin either.
func TestRedirectToHTTPS(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]http.Header{}
	record := func(name string, w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[name] = r.Header.Clone()
		mu.Unlock()
		w.Write([]byte(`{}`))
	}
	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { record("secure", w, r) }))
	t.Cleanup(secure.Close)
	plain := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-https":
			http.Redirect(w, r, secure.URL+"/landing", http.StatusFound)
		case "/to-self":
			http.Redirect(w, r, "/landing", http.StatusFound)
		default:
			record("plain", w, r)
		}
	}))
	client := secure.Client()
	client.Timeout = testTimeout
	src := `
steps:
  - GET: "{{ base }}/{{ path }}"
    headers:
      Authorization: Bearer tok-redirect-1
      X-Plain: kept
`
	for _, tt := range []struct{ path, landing, auth string }{
		{"to-https", "secure", ""},
		{"to-self", "plain", "Bearer tok-redirect-1"},
	} {
		t.Run(tt.path, func(t *testing.T) {
			vars := map[string]any{"base": plain.URL, "path": tt.path}
			res := runColl(t, client, parse(t, src, "base", "path"), Options{Vars: vars})
			wantOutcomes(t, res, "passed")
			mu.Lock()
			h := seen[tt.landing]
			mu.Unlock()
			if h == nil {
				t.Fatalf("the %s server saw no request", tt.landing)
			}
			if got := h.Get("Authorization"); got != tt.auth {
				t.Errorf("Authorization at %s = %q, want %q", tt.landing, got, tt.auth)
			}
			if got := h.Get("Referer"); got != "" {
				t.Errorf("Referer at %s = %q, want none", tt.landing, got)
			}
			if h.Get("X-Plain") != "kept" {
				t.Errorf("X-Plain at %s = %q, want kept", tt.landing, h.Get("X-Plain"))
			}
		})
	}
}

// TestRedirectErrorMasked refuses a redirect loop whose URLs hold a
// secret: the error, and the RedirectError errors.As finds, show none.
func TestRedirectErrorMasked(t *testing.T) {
	base := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.String(), http.StatusFound)
	})).URL
	src := "secrets: [key]\nsteps:\n  - GET: \"{{ base }}/loop?key={{ key }}\"\n"
	res := runYAML(t, src, map[string]any{"base": base, "key": testToken})
	wantOutcomes(t, res, "error")
	err := res.Steps[0].Err
	assertNoSecret(t, "the step's error", err.Error(), testToken)
	var re *RedirectError
	if !errors.As(err, &re) {
		t.Fatalf("errors.As(%v, *RedirectError) = false", err)
	}
	if re.Reason != "redirect loop" || len(re.Chain) != 3 {
		t.Errorf("RedirectError = %q, %d URLs; want redirect loop, 3", re.Reason, len(re.Chain))
	}
	for _, u := range re.Chain {
		assertNoSecret(t, "a URL of the chain", u, testToken)
		if !strings.HasSuffix(u, "/loop?key=***") {
			t.Errorf("chain URL %q, want it to end /loop?key=***", u)
		}
	}
}
