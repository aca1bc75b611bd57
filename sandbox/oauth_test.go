package sandbox

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAuthorize(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{})
	const loopback = "http://127.0.0.1:49152/callback"
	tests := []struct {
		name         string
		query        url.Values
		accept       string
		wantStatus   int
		wantLocation string // regexp
		wantBody     string // substring
	}{
		{"oob redirects to the code page", url.Values{"redirect_uri": {OOBRedirectURI}}, "", 302, `^/oauth/authorize/[0-9a-f]{64}$`, ""},
		{"loopback any port gets code and state", url.Values{"redirect_uri": {loopback}, "state": {"xyz"}}, "", 302, `^http://127\.0\.0\.1:49152/callback\?code=[0-9a-f]{64}&state=xyz$`, ""},
		{"registered localhost", url.Values{"redirect_uri": {"http://localhost"}}, "", 302, `^http://localhost\?code=[0-9a-f]{64}$`, ""},
		{"unknown client", url.Values{"client_id": {"nope"}, "redirect_uri": {OOBRedirectURI}}, "", 400, "", "An error has occurred"},
		{"unregistered redirect", url.Values{"redirect_uri": {"https://evil.example/cb"}}, "", 400, "", "doesn&#39;t match client redirect URI"},
		{"missing redirect as JSON", url.Values{"redirect_uri": nil}, "application/json", 400, "", `"error":"invalid_redirect_uri"`},
		{"token response type redirected", url.Values{"redirect_uri": {loopback}, "response_type": {"token"}}, "", 302, `error=unsupported_response_type`, ""},
		{"token response type oob page", url.Values{"redirect_uri": {OOBRedirectURI}, "response_type": {"token"}}, "", 400, "", "does not support this response type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := url.Values{"response_type": {"code"}, "client_id": {DemoClientID}}
			for k, v := range tt.query {
				q[k] = v
			}
			r := send(t, srv, noFollow(srv), http.MethodGet, "/oauth/authorize?"+q.Encode(), http.Header{"Accept": {tt.accept}}, nil)
			if r.status != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", r.status, tt.wantStatus, r.body)
			}
			if loc := r.header.Get("Location"); tt.wantLocation != "" && !regexp.MustCompile(tt.wantLocation).MatchString(loc) {
				t.Errorf("Location = %q, want match %q", loc, tt.wantLocation)
			}
			if !bytes.Contains(r.body, []byte(tt.wantBody)) {
				t.Errorf("body = %s, want it to contain %q", r.body, tt.wantBody)
			}
		})
	}
}

func TestAuthorizeDeny(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{})
	q := url.Values{"response_type": {"code"}, "client_id": {DemoClientID}, "sandbox_decision": {"deny"}, "state": {"s1"},
		"redirect_uri": {"http://localhost:8765/cb"}}
	r := send(t, srv, noFollow(srv), http.MethodGet, "/oauth/authorize?"+q.Encode(), nil, nil)
	loc, err := url.Parse(r.header.Get("Location"))
	if r.status != http.StatusFound || err != nil {
		t.Fatalf("status = %d, Location %q, want 302", r.status, r.header.Get("Location"))
	}
	got := loc.Query()
	if got.Get("error") != "access_denied" || got.Get("state") != "s1" || got.Get("code") != "" ||
		got.Get("error_description") != "The resource owner or authorization server denied the request." {
		t.Errorf("redirect query = %v, want access_denied with state and no code", got)
	}
}

func TestOOBPage(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{})
	q := url.Values{"response_type": {"code"}, "client_id": {DemoClientID}, "redirect_uri": {OOBRedirectURI}}
	r := send(t, srv, nil, http.MethodGet, "/oauth/authorize?"+q.Encode(), nil, nil) // follows the 302
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("status = %d, Content-Type %q, want 200 text/html", r.status, r.header.Get("Content-Type"))
	}
	m := regexp.MustCompile(`<code id="authorization_code">([0-9a-f]{64})</code>`).FindSubmatch(r.body)
	if m == nil || !bytes.Contains(r.body, []byte("Authorization code:")) {
		t.Fatalf("page = %s, want the code element and title", r.body)
	}
	if r := postForm(t, srv, "/oauth/token", codeForm(string(m[1]), OOBRedirectURI)); r.status != http.StatusOK {
		t.Errorf("exchanging the displayed code: status = %d, want 200; body %s", r.status, r.body)
	}
}

func TestCodeSingleUse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		mode       string
		wantStatus int
	}{{"", 401}, {TokenErrorsLegacy, 401}, {TokenErrorsRFC, 400}}
	for _, tt := range tests {
		t.Run("mode "+tt.mode, func(t *testing.T) {
			srv := newTestServer(t, Config{TokenErrorStatus: tt.mode})
			form := codeForm(authorizeCode(t, srv, OOBRedirectURI), OOBRedirectURI)
			if r := postForm(t, srv, "/oauth/token", form); r.status != http.StatusOK {
				t.Fatalf("first exchange status = %d, want 200; body %s", r.status, r.body)
			}
			r := postForm(t, srv, "/oauth/token", form)
			if r.status != tt.wantStatus || r.oauthErr(t) != "invalid_grant" {
				t.Errorf("second exchange = %d %s, want %d invalid_grant", r.status, r.body, tt.wantStatus)
			}
			if wa := r.header.Get("WWW-Authenticate"); !strings.HasPrefix(wa, `Bearer realm="Doorkeeper", error="invalid_grant"`) {
				t.Errorf("WWW-Authenticate = %q", wa)
			}
		})
	}
}

func TestCodeExpiry(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		ttl     time.Duration
		advance time.Duration
		wantOK  bool
	}{
		{"just before default 10m", 0, 10*time.Minute - time.Second, true},
		{"at default 10m", 0, 10 * time.Minute, false},
		{"custom 30s exceeded", 30 * time.Second, 31 * time.Second, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := NewManualClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
			srv := newTestServer(t, Config{Now: clock.Now, CodeTTL: tt.ttl})
			code := authorizeCode(t, srv, OOBRedirectURI)
			clock.Advance(tt.advance)
			r := postForm(t, srv, "/oauth/token", codeForm(code, OOBRedirectURI))
			if ok := r.status == http.StatusOK; ok != tt.wantOK {
				t.Errorf("exchange after %v = %d %s, want ok %v", tt.advance, r.status, r.body, tt.wantOK)
			}
			if !tt.wantOK && r.oauthErr(t) != "invalid_grant" {
				t.Errorf("error = %s, want invalid_grant", r.body)
			}
		})
	}
}

func TestCodeRedirectMismatch(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{})
	const used = "http://127.0.0.1:50001/cb"
	code := authorizeCode(t, srv, used)
	for _, other := range []string{"http://127.0.0.1:50002/cb", "http://127.0.0.1:50001/cb/", OOBRedirectURI} {
		r := postForm(t, srv, "/oauth/token", codeForm(code, other))
		if r.status != http.StatusUnauthorized || r.oauthErr(t) != "invalid_grant" {
			t.Errorf("exchange with %q = %d %s, want 401 invalid_grant", other, r.status, r.body)
		}
	}
	if r := postForm(t, srv, "/oauth/token", codeForm(code, used)); r.status != http.StatusOK {
		t.Errorf("a mismatch must not burn the code: status = %d, body %s", r.status, r.body)
	}
}

func TestWrongClientSecret(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{TokenErrorsLegacy, TokenErrorsRFC} {
		t.Run(mode, func(t *testing.T) {
			srv := newTestServer(t, Config{TokenErrorStatus: mode})
			form := codeForm(authorizeCode(t, srv, OOBRedirectURI), OOBRedirectURI)
			bad := url.Values{}
			for k, v := range form {
				bad[k] = v
			}
			bad.Set("client_secret", strings.Repeat("0", 64))
			r := postForm(t, srv, "/oauth/token", bad)
			if r.status != http.StatusUnauthorized || r.oauthErr(t) != "invalid_client" {
				t.Errorf("wrong secret = %d %s, want 401 invalid_client", r.status, r.body)
			}
			if r := postForm(t, srv, "/oauth/token", form); r.status != http.StatusOK {
				t.Errorf("a failed client authentication must not burn the code: %d %s", r.status, r.body)
			}
		})
	}
}

func TestTokenErrors(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{TokenErrorStatus: TokenErrorsRFC})
	creds := url.Values{"client_id": {DemoClientID}, "client_secret": {DemoClientSecret}}
	tests := []struct {
		name       string
		form       url.Values
		wantStatus int
		wantError  string
	}{
		{"unknown grant type", url.Values{"grant_type": {"password"}}, 400, "unsupported_grant_type"},
		{"missing code", url.Values{"grant_type": {"authorization_code"}, "redirect_uri": {OOBRedirectURI}}, 400, "invalid_request"},
		{"missing refresh token", url.Values{"grant_type": {"refresh_token"}}, 400, "invalid_request"},
		{"unknown code", url.Values{"grant_type": {"authorization_code"}, "code": {"abc"}, "redirect_uri": {OOBRedirectURI}}, 400, "invalid_grant"},
		{"unknown refresh token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"abc"}}, 400, "invalid_grant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range creds {
				tt.form[k] = v
			}
			r := postForm(t, srv, "/oauth/token", tt.form)
			if r.status != tt.wantStatus || r.oauthErr(t) != tt.wantError {
				t.Errorf("POST /oauth/token = %d %s, want %d %s", r.status, r.body, tt.wantStatus, tt.wantError)
			}
			if r.header.Get("Cache-Control") != "no-store" || r.header.Get("Pragma") != "no-cache" {
				t.Errorf("headers = %v, want no-store and no-cache", r.header)
			}
		})
	}
}

func TestClientAuthentication(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{})
	tests := []struct {
		name            string
		basicID, basicS string
		bodyID, bodyS   string
		wantStatus      int
		wantError       string
	}{
		{name: "body", bodyID: DemoClientID, bodyS: DemoClientSecret, wantStatus: 200},
		{name: "basic", basicID: DemoClientID, basicS: DemoClientSecret, wantStatus: 200},
		{name: "basic and same body", basicID: DemoClientID, basicS: DemoClientSecret, bodyID: DemoClientID, wantStatus: 200},
		{name: "basic and different body", basicID: DemoClientID, basicS: DemoClientSecret, bodyID: "other", wantStatus: 401, wantError: "invalid_request"},
		{name: "basic wrong secret", basicID: DemoClientID, basicS: "nope", wantStatus: 401, wantError: "invalid_client"},
		{name: "none", wantStatus: 401, wantError: "invalid_client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{"grant_type": {"authorization_code"}, "redirect_uri": {OOBRedirectURI},
				"code": {authorizeCode(t, srv, OOBRedirectURI)}}
			if tt.bodyID != "" {
				form.Set("client_id", tt.bodyID)
			}
			if tt.bodyS != "" {
				form.Set("client_secret", tt.bodyS)
			}
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/oauth/token", strings.NewReader(form.Encode()))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.basicID != "" {
				req.SetBasicAuth(url.QueryEscape(tt.basicID), url.QueryEscape(tt.basicS))
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if got := resp.Header.Get("WWW-Authenticate"); tt.wantError != "" && !strings.Contains(got, `error="`+tt.wantError+`"`) {
				t.Errorf("WWW-Authenticate = %q, want error %q", got, tt.wantError)
			}
		})
	}
}

func TestTokenRequestEncodings(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{})
	wantBody := regexp.MustCompile(`^\{"access_token":"[0-9a-f]{64}","token_type":"bearer","expires_in":5400,"refresh_token":"[0-9a-f]{64}","created_at":\d+\}$`)
	tests := []struct {
		name, path string
		encode     func(t *testing.T, f url.Values) (string, *bytes.Buffer)
		wantStatus int
	}{
		{"form", "/oauth/token", func(t *testing.T, f url.Values) (string, *bytes.Buffer) {
			return "application/x-www-form-urlencoded", bytes.NewBufferString(f.Encode())
		}, 200},
		{"form trailing slash", "/oauth/token/", func(t *testing.T, f url.Values) (string, *bytes.Buffer) {
			return "application/x-www-form-urlencoded; charset=utf-8", bytes.NewBufferString(f.Encode())
		}, 200},
		{"multipart", "/oauth/token", func(t *testing.T, f url.Values) (string, *bytes.Buffer) {
			var b bytes.Buffer
			mw := multipart.NewWriter(&b)
			for k := range f {
				if err := mw.WriteField(k, f.Get(k)); err != nil {
					t.Fatal(err)
				}
			}
			if err := mw.Close(); err != nil {
				t.Fatal(err)
			}
			return mw.FormDataContentType(), &b
		}, 200},
		{"json", "/oauth/token", func(t *testing.T, f url.Values) (string, *bytes.Buffer) {
			m := map[string]string{}
			for k := range f {
				m[k] = f.Get(k)
			}
			var b bytes.Buffer
			_, _ = b.ReadFrom(jsonBody(t, m))
			return "application/json", &b
		}, 200},
		{"malformed json", "/oauth/token", func(t *testing.T, f url.Values) (string, *bytes.Buffer) {
			return "application/json", bytes.NewBufferString(`{"grant_type":`)
		}, 401},
		{"plain text", "/oauth/token", func(t *testing.T, f url.Values) (string, *bytes.Buffer) {
			return "text/plain", bytes.NewBufferString(f.Encode())
		}, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct, body := tt.encode(t, codeForm(authorizeCode(t, srv, OOBRedirectURI), OOBRedirectURI))
			r := send(t, srv, nil, http.MethodPost, tt.path, http.Header{"Content-Type": {ct}}, body)
			if r.status != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", r.status, tt.wantStatus, r.body)
			}
			if tt.wantStatus != 200 {
				if e := r.oauthErr(t); e != "invalid_request" {
					t.Errorf("error = %q, want invalid_request", e)
				}
				return
			}
			if !wantBody.Match(r.body) {
				t.Errorf("body = %s, want exactly the five keys in order", r.body)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
}

func TestRefreshRotation(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{})
	old := login(t, srv)
	r := postForm(t, srv, "/oauth/token", refreshForm(old.RefreshToken))
	if r.status != http.StatusOK {
		t.Fatalf("refresh status = %d, want 200; body %s", r.status, r.body)
	}
	var fresh tokenResponse
	r.decode(t, &fresh)
	if fresh.AccessToken == old.AccessToken || fresh.RefreshToken == old.RefreshToken || fresh.RefreshToken == "" {
		t.Fatalf("refresh did not rotate: old %+v new %+v", old, fresh)
	}
	if r := postForm(t, srv, "/oauth/token", refreshForm(old.RefreshToken)); r.status != 401 || r.oauthErr(t) != "invalid_grant" {
		t.Errorf("reusing the old refresh token = %d %s, want 401 invalid_grant", r.status, r.body)
	}
	if r := apiGet(t, srv, "/rest/v1.0/me", old.AccessToken, ""); r.status != 401 ||
		!strings.Contains(r.header.Get("WWW-Authenticate"), "The access token was revoked") {
		t.Errorf("old access token = %d %v, want 401 revoked", r.status, r.header)
	}
	if r := apiGet(t, srv, "/rest/v1.0/me", fresh.AccessToken, ""); r.status != 200 {
		t.Errorf("new access token = %d, want 200", r.status)
	}
	if r := postForm(t, srv, "/oauth/token", refreshForm(fresh.RefreshToken)); r.status != 200 {
		t.Errorf("new refresh token = %d %s, want 200", r.status, r.body)
	}
}

func TestConcurrentRefresh(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{})
	tok := login(t, srv)
	const n = 8
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() { statuses <- postForm(t, srv, "/oauth/token", refreshForm(tok.RefreshToken)).status })
	}
	wg.Wait()
	close(statuses)
	ok := 0
	for s := range statuses {
		if s == http.StatusOK {
			ok++
		}
	}
	if ok != 1 {
		t.Errorf("%d of %d concurrent refreshes succeeded, want exactly 1", ok, n)
	}
}

func TestRevoke(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		token      func(tokenResponse) string
		secret     string
		wantRevoke bool
	}{
		{"access token", func(p tokenResponse) string { return p.AccessToken }, DemoClientSecret, true},
		{"refresh token", func(p tokenResponse) string { return p.RefreshToken }, DemoClientSecret, true},
		{"garbage", func(tokenResponse) string { return "garbage" }, DemoClientSecret, false},
		{"wrong secret", func(p tokenResponse) string { return p.AccessToken }, "nope", false},
	}
	srv := newTestServer(t, Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := login(t, srv)
			body := jsonBody(t, map[string]string{"token": tt.token(tok), "client_id": DemoClientID, "client_secret": tt.secret})
			r := send(t, srv, nil, http.MethodPost, "/oauth/revoke", http.Header{"Content-Type": {"application/json"}}, body)
			if r.status != http.StatusOK || string(r.body) != "{}" {
				t.Fatalf("revoke = %d %s, want 200 {}", r.status, r.body)
			}
			wantAPI, wantRefresh := 200, 200
			if tt.wantRevoke {
				wantAPI, wantRefresh = 401, 401
			}
			if r := apiGet(t, srv, "/rest/v1.0/me", tok.AccessToken, ""); r.status != wantAPI {
				t.Errorf("access token after revoke = %d, want %d", r.status, wantAPI)
			}
			if r := postForm(t, srv, "/oauth/token", refreshForm(tok.RefreshToken)); r.status != wantRefresh {
				t.Errorf("refresh after revoke = %d %s, want %d", r.status, r.body, wantRefresh)
			}
		})
	}
}

func TestClientCredentials(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{})
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {DemoClientID}, "client_secret": {DemoClientSecret}}
	r := postForm(t, srv, "/oauth/token", form)
	if !regexp.MustCompile(`^\{"access_token":"[0-9a-f]{64}","token_type":"bearer","expires_in":5400,"created_at":\d+\}$`).Match(r.body) {
		t.Fatalf("client_credentials = %d %s, want a token without refresh_token", r.status, r.body)
	}
	var tok tokenResponse
	r.decode(t, &tok)
	if r := apiGet(t, srv, "/rest/v1.0/me", tok.AccessToken, ""); r.status != http.StatusNotFound {
		t.Errorf("/me without company header for a service token = %d, want 404", r.status)
	}
	var me user
	apiGet(t, srv, "/rest/v1.0/me", tok.AccessToken, "4264807").decode(t, &me)
	if me.ID != ServiceAccountID {
		t.Errorf("/me id = %d, want the service account %d", me.ID, ServiceAccountID)
	}
	var cs []company
	apiGet(t, srv, "/rest/v1.0/companies", tok.AccessToken, "4264807").decode(t, &cs)
	if len(cs) != 1 || cs[0].ID != DemoCompanyID {
		t.Errorf("companies = %+v, want only the installed company", cs)
	}
	form.Set("client_secret", "nope")
	if r := postForm(t, srv, "/oauth/token", form); r.status != 401 || r.oauthErr(t) != "invalid_client" {
		t.Errorf("wrong secret = %d %s, want 401 invalid_client", r.status, r.body)
	}
}

func TestTokenInfo(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{})
	tok := login(t, srv)
	var info struct {
		ResourceOwnerID  int64             `json:"resource_owner_id"`
		Scopes           []string          `json:"scopes"`
		ExpiresInSeconds int64             `json:"expires_in_seconds"`
		Application      map[string]string `json:"application"`
		CreatedAt        int64             `json:"created_at"`
	}
	apiGet(t, srv, "/oauth/token/info", tok.AccessToken, "").decode(t, &info)
	if info.ResourceOwnerID != DemoUserID || info.Scopes == nil || info.ExpiresInSeconds <= 5300 ||
		info.Application["uid"] != DemoClientID || info.CreatedAt != tok.CreatedAt {
		t.Errorf("token info = %+v", info)
	}
	if r := apiGet(t, srv, "/oauth/token/info", "nope", ""); r.status != 401 || r.oauthErr(t) != "invalid_request" {
		t.Errorf("info with a bad token = %d %s, want 401 invalid_request", r.status, r.body)
	}
}

func TestDeterministicRand(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{Rand: strings.NewReader(strings.Repeat("a", 32))})
	if code, want := authorizeCode(t, srv, OOBRedirectURI), strings.Repeat("61", 32); code != want {
		t.Errorf("code = %s, want %s", code, want)
	}
	q := url.Values{"response_type": {"code"}, "client_id": {DemoClientID}, "redirect_uri": {OOBRedirectURI}}
	if r := send(t, srv, noFollow(srv), http.MethodGet, "/oauth/authorize?"+q.Encode(), nil, nil); r.status != 500 {
		t.Errorf("authorize with exhausted Rand = %d, want 500", r.status)
	}
}
