package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// newTestServer starts a sandbox on a free loopback port and closes it when
// the test ends. Every request made through srv.Client() has a 10 s
// timeout, which bounds each test.
func newTestServer(t *testing.T, cfg Config) *Server {
	t.Helper()
	srv, err := Start("127.0.0.1:0", cfg)
	if err != nil {
		t.Fatalf("Start() error = %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("Close() error = %v", err)
		}
	})
	return srv
}

// noFollow returns a client of srv that reports redirects instead of
// following them.
func noFollow(srv *Server) *http.Client {
	c := srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// decode unmarshals the body into v.
func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// oauthErr returns the "error" field of an OAuth error body.
func (r response) oauthErr(t *testing.T) string {
	t.Helper()
	var e oauthError
	r.decode(t, &e)
	return e.Error
}

// send makes a request with srv's client (or c, if not nil).
func send(t *testing.T, srv *Server, c *http.Client, method, path string, header http.Header, body io.Reader) response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, body)
	if err != nil {
		t.Fatalf("NewRequest(%s %s) error = %v", method, path, err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if c == nil {
		c = srv.Client()
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return response{resp.StatusCode, resp.Header, b}
}

// apiGet calls an API path with a bearer token and optional company header.
func apiGet(t *testing.T, srv *Server, path, token, companyID string) response {
	t.Helper()
	h := http.Header{"Authorization": {"Bearer " + token}}
	if companyID != "" {
		h.Set("Procore-Company-Id", companyID)
	}
	return send(t, srv, nil, http.MethodGet, path, h, nil)
}

// postForm posts a form-urlencoded body.
func postForm(t *testing.T, srv *Server, path string, form url.Values) response {
	t.Helper()
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	return send(t, srv, nil, http.MethodPost, path, h, strings.NewReader(form.Encode()))
}

var oobLocation = regexp.MustCompile(`^/oauth/authorize/([0-9a-f]{64})$`)

// authorizeCode runs /oauth/authorize with redirectURI and returns the code.
func authorizeCode(t *testing.T, srv *Server, redirectURI string) string {
	t.Helper()
	q := url.Values{"response_type": {"code"}, "client_id": {DemoClientID}, "redirect_uri": {redirectURI}}
	r := send(t, srv, noFollow(srv), http.MethodGet, "/oauth/authorize?"+q.Encode(), nil, nil)
	if r.status != http.StatusFound {
		t.Fatalf("authorize status = %d, want 302; body %s", r.status, r.body)
	}
	loc := r.header.Get("Location")
	if m := oobLocation.FindStringSubmatch(loc); m != nil {
		return m[1]
	}
	u, err := url.Parse(loc)
	if err != nil || u.Query().Get("code") == "" {
		t.Fatalf("authorize Location = %q, want a code", loc)
	}
	return u.Query().Get("code")
}

// codeForm is the body of an authorization_code exchange.
func codeForm(code, redirectURI string) url.Values {
	return url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI},
		"client_id": {DemoClientID}, "client_secret": {DemoClientSecret},
	}
}

// refreshForm is the body of a refresh_token grant.
func refreshForm(refresh string) url.Values {
	return url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {refresh},
		"client_id": {DemoClientID}, "client_secret": {DemoClientSecret},
	}
}

// login runs the OOB flow and returns a fresh token pair.
func login(t *testing.T, srv *Server) tokenResponse {
	t.Helper()
	r := postForm(t, srv, "/oauth/token", codeForm(authorizeCode(t, srv, OOBRedirectURI), OOBRedirectURI))
	if r.status != http.StatusOK {
		t.Fatalf("token status = %d, want 200; body %s", r.status, r.body)
	}
	var tok tokenResponse
	r.decode(t, &tok)
	return tok
}

// jsonBody encodes v for a JSON request.
func jsonBody(t *testing.T, v any) io.Reader {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(b)
}
