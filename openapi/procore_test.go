package openapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/sandbox"
)

// procoreDescription is the bundled description of the Procore endpoints
// of the first-call flow.
const procoreDescription = "../collections/procore/openapi.yaml"

// procoreFlow runs requests against the sandbox's handler on a loopback
// server and keeps the tokens and code it captures.
type procoreFlow struct {
	t       *testing.T
	sb      *sandbox.Sandbox
	srv     *httptest.Server
	client  *http.Client
	code    string
	access  string
	refresh string
	expired string
}

// call is one request of the flow: what to send, and what to capture from
// the response.
type call struct {
	name   string
	method string
	target func(f *procoreFlow) string
	header func(f *procoreFlow) http.Header
	body   func(f *procoreFlow) (contentType, body string)
	before func(f *procoreFlow)
	after  func(f *procoreFlow, status int, header http.Header, body []byte)
	// badRequest says the request is meant to break the description;
	// deviates, that the sandbox's response does.
	badRequest, deviates bool
}

// TestSandboxConformsToProcoreDescription runs the first-call flow and the
// error paths against the sandbox and checks every request and response
// against collections/procore/openapi.yaml. Where the sandbox deviates
// from Procore as described, the violations are the expected ones, kept
// in testdata/procore-sandbox.golden with the rest of the run.
func TestSandboxConformsToProcoreDescription(t *testing.T) {
	d, c := load(t, procoreDescription)
	f := newProcoreFlow(t)
	var report strings.Builder
	for _, cl := range procoreCalls() {
		if cl.before != nil {
			cl.before(f)
		}
		method, target, status, reqHeader, respHeader, reqBody, respBody := f.do(cl)
		fmt.Fprintf(&report, "%s: %s %s -> %d\n", cl.name, method, strings.Split(target, "?")[0], status)
		u, err := url.Parse(target)
		if err != nil {
			t.Fatal(err)
		}
		m, err := d.Find(method, u)
		if err != nil {
			t.Fatalf("%s: %v", cl.name, err)
		}
		warnings := c.CheckRequest(m, u, reqHeader, reqBody)
		for _, v := range warnings {
			fmt.Fprintf(&report, "  request warning: %s\n", v)
		}
		deviations := c.CheckResponse(m, status, respHeader, respBody)
		for _, v := range deviations {
			fmt.Fprintf(&report, "  deviation: %s\n", v)
		}
		if got := len(warnings) > 0; got != cl.badRequest {
			t.Errorf("%s: request warnings = %v, want %v:\n%s", cl.name, got, cl.badRequest, describe(warnings))
		}
		if got := len(deviations) > 0; got != cl.deviates {
			t.Errorf("%s: deviates = %v, want %v:\n%s", cl.name, got, cl.deviates, describe(deviations))
		}
		if cl.after != nil {
			cl.after(f, status, respHeader, respBody)
		}
	}
	checkGolden(t, "procore-sandbox.golden", []byte(report.String()))
}

func newProcoreFlow(t *testing.T) *procoreFlow {
	sb := sandbox.New(sandbox.Config{})
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &procoreFlow{t: t, sb: sb, srv: srv, client: client}
}

// do sends the call's request and returns what was sent and received.
func (f *procoreFlow) do(cl call) (method, target string, status int, reqHeader, respHeader http.Header, reqBody, respBody []byte) {
	f.t.Helper()
	target = cl.target(f)
	reqHeader = http.Header{}
	if cl.header != nil {
		reqHeader = cl.header(f)
	}
	if cl.body != nil {
		ct, b := cl.body(f)
		reqHeader.Set("Content-Type", ct)
		reqBody = []byte(b)
	}
	ctx, cancel := context.WithTimeout(f.t.Context(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, cl.method, f.srv.URL+target, strings.NewReader(string(reqBody)))
	if err != nil {
		f.t.Fatal(err)
	}
	req.Header = reqHeader.Clone()
	resp, err := f.client.Do(req)
	if err != nil {
		f.t.Fatalf("%s: %v", cl.name, err)
	}
	defer resp.Body.Close()
	respBody, err = io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatalf("%s: read body: %v", cl.name, err)
	}
	return cl.method, target, resp.StatusCode, reqHeader, resp.Header, reqBody, respBody
}

// fixed returns a function that returns s.
func fixed[T any](v T) func(*procoreFlow) T { return func(*procoreFlow) T { return v } }

// authorizeURL is an authorize request for redirectURI with extra
// parameters.
func authorizeURL(clientID, redirectURI string, extra url.Values) string {
	q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {redirectURI}}
	for k, v := range extra {
		q[k] = v
	}
	return "/oauth/authorize?" + q.Encode()
}

// form encodes fields as application/x-www-form-urlencoded.
func form(fields url.Values) func(*procoreFlow) (string, string) {
	return func(*procoreFlow) (string, string) { return "application/x-www-form-urlencoded", fields.Encode() }
}

// bearer is the Authorization header of the token get returns, with a
// Procore-Company-Id header when company is not empty.
func bearer(get func(f *procoreFlow) string, company string) func(*procoreFlow) http.Header {
	return func(f *procoreFlow) http.Header {
		h := http.Header{"Authorization": {"Bearer " + get(f)}}
		if company != "" {
			h.Set("Procore-Company-ID", company)
		}
		return h
	}
}

// captureToken keeps the tokens of a token response.
func captureToken(keep func(f *procoreFlow, access, refresh string)) func(*procoreFlow, int, http.Header, []byte) {
	return func(f *procoreFlow, status int, _ http.Header, body []byte) {
		var tok struct{ AccessToken, RefreshToken string }
		tok.AccessToken, tok.RefreshToken = jsonField(body, "access_token"), jsonField(body, "refresh_token")
		if status != http.StatusOK || tok.AccessToken == "" {
			f.t.Fatalf("token response %d %s, want 200 with a token", status, body)
		}
		keep(f, tok.AccessToken, tok.RefreshToken)
	}
}

// jsonField returns a string field of a JSON object.
func jsonField(body []byte, key string) string {
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	s, _ := m[key].(string)
	return s
}

// multipartCodeExchange is the first-call collection's token request: a
// multipart body.
func multipartCodeExchange(f *procoreFlow) (string, string) {
	var b strings.Builder
	w := multipart.NewWriter(&b)
	for _, kv := range [][2]string{
		{"grant_type", "authorization_code"}, {"client_id", sandbox.DemoClientID},
		{"client_secret", sandbox.DemoClientSecret}, {"code", f.code}, {"redirect_uri", sandbox.OOBRedirectURI},
	} {
		_ = w.WriteField(kv[0], kv[1])
	}
	_ = w.Close()
	return w.FormDataContentType(), b.String()
}

// procoreCalls are the first-call flow, then the error paths of
// procore/errors and the other responses of the four endpoints.
func procoreCalls() []call {
	company := fmt.Sprint(sandbox.DemoCompanyID)
	access := func(f *procoreFlow) string { return f.access }
	projects := "/rest/v1.0/projects?company_id=" + company
	return []call{
		{name: "authorize", method: "GET", target: fixed(authorizeURL(sandbox.DemoClientID, sandbox.OOBRedirectURI, nil)),
			after: func(f *procoreFlow, _ int, h http.Header, _ []byte) {
				f.code = strings.TrimPrefix(h.Get("Location"), "/oauth/authorize/")
			}},
		{name: "token", method: "POST", target: fixed("/oauth/token"), body: multipartCodeExchange,
			after: captureToken(func(f *procoreFlow, a, r string) { f.access, f.refresh = a, r })},
		{name: "me", method: "GET", target: fixed("/rest/v1.0/me"), header: bearer(access, "")},
		{name: "list projects", method: "GET", target: fixed(projects), header: bearer(access, company)},
		{name: "wrong secret", method: "POST", target: fixed("/oauth/token"), body: form(url.Values{
			"grant_type": {"client_credentials"}, "client_id": {sandbox.DemoClientID}, "client_secret": {"not-the-secret"}})},
		{name: "reused code", method: "POST", target: fixed("/oauth/token"), body: multipartCodeExchange},
		{name: "missing company header", method: "GET", target: fixed(projects), header: bearer(access, ""), badRequest: true},
		{name: "expiring token", method: "POST", target: fixed("/oauth/token"), body: form(url.Values{
			"grant_type": {"client_credentials"}, "client_id": {sandbox.DemoClientID},
			"client_secret": {sandbox.DemoClientSecret}, "sandbox_expires_in": {"0"}}),
			after: captureToken(func(f *procoreFlow, a, _ string) { f.expired = a })},
		{name: "expired token", method: "GET", target: fixed("/rest/v1.0/me?company_id=" + company),
			header: bearer(func(f *procoreFlow) string { return f.expired }, company)},
		{name: "refresh (JSON body)", method: "POST", target: fixed("/oauth/token"),
			body: func(f *procoreFlow) (string, string) {
				b, _ := json.Marshal(map[string]string{"grant_type": "refresh_token", "refresh_token": f.refresh,
					"client_id": sandbox.DemoClientID, "client_secret": sandbox.DemoClientSecret})
				return "application/json", string(b)
			},
			after: captureToken(func(f *procoreFlow, a, r string) { f.access, f.refresh = a, r })},
		{name: "unsupported grant", method: "POST", target: fixed("/oauth/token"), body: form(url.Values{
			"grant_type": {"password"}, "client_id": {sandbox.DemoClientID}, "client_secret": {sandbox.DemoClientSecret}})},
		{name: "me with company", method: "GET", target: fixed("/rest/v1.0/me?company_id=" + company), header: bearer(access, company)},
		{name: "projects without company_id", method: "GET", target: fixed("/rest/v1.0/projects"), header: bearer(access, company),
			badRequest: true},
		{name: "projects of a company without the app", method: "GET",
			target: fixed(fmt.Sprintf("/rest/v1.0/projects?company_id=%d", sandbox.OtherCompanyID)),
			header: bearer(access, fmt.Sprint(sandbox.OtherCompanyID))},
		{name: "second page", method: "GET", target: fixed(projects + "&per_page=1&page=2"), header: bearer(access, company)},
		{name: "loopback redirect with state", method: "GET",
			target: fixed(authorizeURL(sandbox.DemoClientID, "http://127.0.0.1:9/callback", url.Values{"state": {"xyz"}}))},
		{name: "denied", method: "GET",
			target: fixed(authorizeURL(sandbox.DemoClientID, "http://127.0.0.1:9/callback", url.Values{"sandbox_decision": {"deny"}}))},
		{name: "unknown client", method: "GET", target: fixed(authorizeURL("nobody", sandbox.OOBRedirectURI, nil)), deviates: true},
		{name: "unregistered redirect URI, JSON", method: "GET",
			target: fixed(authorizeURL(sandbox.DemoClientID, "https://evil.example/cb", nil)),
			header: fixed(http.Header{"Accept": {"application/json"}}), deviates: true},
		{name: "rate limit spent", method: "GET", target: fixed("/rest/v1.0/me"), header: bearer(access, ""),
			before: func(f *procoreFlow) { f.sb.ExhaustRateLimit(f.access) }},
		{name: "throttled", method: "GET", target: fixed("/rest/v1.0/me"), header: bearer(access, ""),
			before: func(f *procoreFlow) { f.sb.FailNext("/rest/v1.0/me", http.StatusServiceUnavailable, 30*time.Second) }},
	}
}
