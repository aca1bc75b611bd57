package sandbox

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestRateLimitHeader(t *testing.T) {
	t.Parallel()
	clock := NewManualClock(time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC))
	srv := newTestServer(t, Config{Now: clock.Now})
	tok := login(t, srv).AccessToken
	h := http.Header{"Authorization": {"Bearer " + tok}, RateLimitHeader: {"1;window=10s"}}
	codes, retries := statuses(t, srv, 2, "/rest/v1.0/me", h)
	if !slices.Equal(codes, []int{200, 429}) || retries[1] != "10" {
		t.Errorf("statuses %v Retry-After %q, want [200 429] and 10", codes, retries)
	}
	r := send(t, srv, nil, http.MethodGet, "/rest/v1.0/me", h, nil)
	if r.header.Get("X-Rate-Limit-Limit") != "1" || r.header.Get("X-Rate-Limit-Remaining") != "0" {
		t.Errorf("X-Rate-Limit-Limit %q Remaining %q, want 1 and 0", r.header.Get("X-Rate-Limit-Limit"), r.header.Get("X-Rate-Limit-Remaining"))
	}
	clock.Advance(10 * time.Second)
	if codes, _ := statuses(t, srv, 1, "/rest/v1.0/me", h); codes[0] != 200 {
		t.Errorf("in the next window: %d, want 200", codes[0])
	}

	other := login(t, srv).AccessToken
	query := "/rest/v1.0/me?" + url.Values{"sandbox_rate_limit": {"0"}}.Encode()
	if codes, _ := statuses(t, srv, 1, query, http.Header{"Authorization": {"Bearer " + other}}); codes[0] != 429 {
		t.Errorf("sandbox_rate_limit=0: %d, want 429", codes[0])
	}
}

func TestCodeTTLHeader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		header  string // Sandbox-Code-TTL
		query   string // sandbox_code_ttl
		advance time.Duration
		wantOK  bool
	}{
		{"query 0: already expired", "", "0", 0, false},
		{"header 30s, 29s later", "30s", "", 29 * time.Second, true},
		{"header 30s, 30s later", "30s", "", 30 * time.Second, false},
		{"longer than the configured 10m", "1h", "", 30 * time.Minute, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := NewManualClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
			srv := newTestServer(t, Config{Now: clock.Now})
			q := url.Values{"response_type": {"code"}, "client_id": {DemoClientID}, "redirect_uri": {OOBRedirectURI}}
			h := http.Header{}
			if tt.header != "" {
				h.Set(CodeTTLHeader, tt.header)
			} else {
				q.Set("sandbox_code_ttl", tt.query)
			}
			r := send(t, srv, noFollow(srv), http.MethodGet, "/oauth/authorize?"+q.Encode(), h, nil)
			m := oobLocation.FindStringSubmatch(r.header.Get("Location"))
			if m == nil {
				t.Fatalf("authorize = %d Location %q, want a code", r.status, r.header.Get("Location"))
			}
			clock.Advance(tt.advance)
			r = postForm(t, srv, "/oauth/token", codeForm(m[1], OOBRedirectURI))
			if ok := r.status == http.StatusOK; ok != tt.wantOK || !ok && r.oauthErr(t) != "invalid_grant" {
				t.Errorf("exchange after %v = %d %s, want ok %v (else invalid_grant)", tt.advance, r.status, r.body, tt.wantOK)
			}
		})
	}
}

func TestTokenTTLHeader(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{})
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {DemoClientID}, "client_secret": {DemoClientSecret}}
	tests := []struct {
		header      string
		wantExpires int64
		wantStatus  int // of GET /rest/v1.0/me with the token
	}{
		{"0", 0, http.StatusUnauthorized},
		{"90s", 90, http.StatusOK},
		{"3h", 3 * 3600, http.StatusOK}, // longer than the configured 5400s
	}
	for _, tt := range tests {
		h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, TokenTTLHeader: {tt.header}}
		var tok tokenResponse
		send(t, srv, nil, http.MethodPost, "/oauth/token", h, strings.NewReader(form.Encode())).decode(t, &tok)
		if tok.ExpiresIn != tt.wantExpires {
			t.Errorf("%s %s: expires_in %d, want %d", TokenTTLHeader, tt.header, tok.ExpiresIn, tt.wantExpires)
		}
		if r := apiGet(t, srv, "/rest/v1.0/me", tok.AccessToken, "4264807"); r.status != tt.wantStatus {
			t.Errorf("%s %s: GET /me = %d, want %d", TokenTTLHeader, tt.header, r.status, tt.wantStatus)
		}
	}
}

func TestKnobErrors(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{})
	tests := []struct {
		header, value string // a header, or a query parameter when header is lower case
		wantMsg       string
	}{
		{LatencyHeader, "soon", `Sandbox-Latency "soon": "soon": want a duration`},
		{LatencyHeader, "-1s", "want a duration"},
		{LatencyHeader, "1s;jiter=2s", `unknown parameter "jiter" (want jitter)`},
		{LatencyHeader, "1s;jitter", `parameter "jitter": want name=value`},
		{LatencyHeader, "1s;jitter=", `parameter "jitter": empty value`},
		{LatencyHeader, "", "empty value"},
		{FailHeader, "200", `status "200": want a 4xx or 5xx status, or none`},
		{FailHeader, "503;rate=2", `rate "2": want a share from 0 to 1`},
		{FailHeader, "503;times=0", `times "0": want a whole number of at least 1`},
		{FailHeader, "503;retry-after=x;", "retry-after"},
		{FailHeader, "503;times=1;times=2", `parameter "times" given twice`},
		{FailHeader, "none;times=1", `"none" takes no parameters`},
		{RateLimitHeader, "-1", `limit "-1"`},
		{RateLimitHeader, "1;window=0", `window "0": want a positive duration`},
		{CodeTTLHeader, "10 minutes", `Sandbox-Code-TTL "10 minutes"`},
		{CodeTTLHeader, "1s;x=1", `unknown parameter "x" (it takes none)`},
		{TokenTTLHeader, "1y", `Sandbox-Token-TTL "1y"`},
		{"sandbox_latency", "x", `sandbox_latency "x"`},
		{"sandbox_fail", "ok", `sandbox_fail "ok"`},
	}
	for _, tt := range tests {
		path, h := "/oauth/authorize/x", http.Header{}
		if strings.HasPrefix(tt.header, "sandbox_") {
			path += "?" + url.Values{tt.header: {tt.value}}.Encode()
		} else {
			h[tt.header] = []string{tt.value}
		}
		r := send(t, srv, nil, http.MethodGet, path, h, nil)
		var body restError
		r.decode(t, &body)
		if r.status != 400 || !strings.Contains(body.Errors, tt.wantMsg) {
			t.Errorf("%s: %q = %d %s, want 400 with %q", tt.header, tt.value, r.status, r.body, tt.wantMsg)
		}
	}
	h := http.Header{FailHeader: {"503", "500"}}
	if r := send(t, srv, nil, http.MethodGet, "/oauth/authorize/x", h, nil); r.status != 400 || !strings.Contains(string(r.body), "given 2 times") {
		t.Errorf("Sandbox-Fail twice = %d %s, want 400 given 2 times", r.status, r.body)
	}
}

// TestHeaderBeforeQuery checks that a header wins over its query twin.
func TestHeaderBeforeQuery(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{})
	path := "/oauth/authorize/x?" + url.Values{"sandbox_fail": {"500"}}.Encode()
	if codes, _ := statuses(t, srv, 1, path, http.Header{FailHeader: {"502"}}); codes[0] != 502 {
		t.Errorf("status %d, want 502 from the header", codes[0])
	}
}
