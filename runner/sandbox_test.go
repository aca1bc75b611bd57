package runner

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/auth"
	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/sandbox"
)

// newSandbox starts the Procore sandbox over HTTPS and closes it when the
// test ends.
func newSandbox(t *testing.T, cfg sandbox.Config) *sandbox.Server {
	t.Helper()
	srv, err := sandbox.Start("127.0.0.1:0", cfg)
	if err != nil {
		t.Fatalf("sandbox.Start() error = %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// sandboxVars are the overrides that point a Procore collection at srv.
func sandboxVars(srv *sandbox.Server) map[string]any {
	return map[string]any{
		"login_url":     srv.URL,
		"base_url":      srv.URL,
		"client_id":     sandbox.DemoClientID,
		"client_secret": sandbox.DemoClientSecret,
		"company_id":    int64(sandbox.DemoCompanyID),
	}
}

// loadFirstCall loads the bundled flagship collection.
func loadFirstCall(t *testing.T, vars map[string]any) *collections.Collection {
	t.Helper()
	names := make([]string, 0, len(vars))
	for n := range vars {
		names = append(names, n)
	}
	c, err := collections.LoadBundled("procore/first-call", collections.Options{Defined: names})
	if err != nil {
		t.Fatalf("LoadBundled(procore/first-call) error = %v", err)
	}
	return c
}

// sandboxClient is srv's client, bounded in time.
func sandboxClient(srv *sandbox.Server) *http.Client {
	c := srv.Client()
	c.Timeout = testTimeout
	return c
}

func TestProcoreFirstCall(t *testing.T) {
	srv := newSandbox(t, sandbox.Config{})
	vars := sandboxVars(srv)
	c := loadFirstCall(t, vars)
	// The env vars of the collection are overridden, so never read.
	noEnv := func(name string) (string, bool) {
		t.Errorf("LookupEnv(%q) called for an overridden var", name)
		return "", false
	}
	res := runColl(t, sandboxClient(srv), c, Options{Vars: vars, AuthOptions: AuthOptions{AutoAuthorize: true}, LookupEnv: noEnv})
	wantOutcomes(t, res, "passed,passed,passed,passed")

	authorize := res.Steps[0]
	if authorize.Request == nil || authorize.Request.Method != "GET" || !strings.HasPrefix(authorize.Request.URL, srv.URL+"/oauth/authorize?") {
		t.Errorf("authorize Request = %+v, want GET <sandbox>/oauth/authorize…", authorize.Request)
	}
	if got := captured(t, authorize, "code"); got.Value != Mask || !authorize.Captures[0].Secret {
		t.Errorf("captured code = %v (secret %v), want it masked and secret", got, authorize.Captures[0].Secret)
	}
	if got := captured(t, res.Steps[3], "project_id"); got.TypeName() != "integer" {
		t.Errorf("project_id = %v, want an integer", got)
	}
	secrets := []string{sandbox.DemoClientSecret}
	for _, s := range res.Steps {
		if s.Request != nil {
			if h := s.Request.Header.Get("Authorization"); h != "" && h != "Bearer ***" {
				t.Errorf("step %s sent Authorization %q in the result", s.Name, h)
			}
		}
	}
	assertMasked(t, res, secrets...)
}

func TestProcoreTokenExpiry(t *testing.T) {
	clock := sandbox.NewManualClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	const ttl = time.Hour
	srv := newSandbox(t, sandbox.Config{Now: clock.Now, AccessTokenTTL: ttl})
	vars := sandboxVars(srv)
	c := loadFirstCall(t, vars)
	res := runColl(t, sandboxClient(srv), c, Options{
		Vars:        vars,
		AuthOptions: AuthOptions{AutoAuthorize: true},
		OnStep: func(s *StepResult) {
			if s.Name == "token" {
				clock.Advance(ttl + time.Second)
			}
		},
	})
	wantOutcomes(t, res, "passed,passed,failed,not run")
	if got := res.Steps[2].Checks[0]; got.Subject != "status" || got.Actual.String() != "integer <401>" {
		t.Errorf("me check = %s %s, want status integer <401>", got.Subject, got.Actual)
	}
}

func TestProcoreReusedCode(t *testing.T) {
	srv := newSandbox(t, sandbox.Config{})
	vars := sandboxVars(srv)
	c, err := collections.Load("testdata/procore/reuse-code.yaml", collections.Options{Defined: []string{"login_url", "client_id", "client_secret"}})
	if err != nil {
		t.Fatal(err)
	}
	res := runColl(t, sandboxClient(srv), c, Options{Vars: vars, AuthOptions: AuthOptions{AutoAuthorize: true}})
	wantOutcomes(t, res, "passed,passed,failed")
	second := res.Steps[2]
	if got := second.Checks[0].Actual.String(); got != "integer <401>" {
		t.Errorf("second exchange status = %s, want integer <401>", got)
	}
	if body := string(second.Response.Body); !strings.Contains(body, `"invalid_grant"`) {
		t.Errorf("second exchange body = %s, want invalid_grant", body)
	}
}

func TestAuthorizeWithGivenCode(t *testing.T) {
	srv := newSandbox(t, sandbox.Config{})
	vars := sandboxVars(srv)
	vars["code"] = "given-code-1234"
	c := loadFirstCall(t, vars)
	// No AutoAuthorize and no terminal: the flow would need a person, but
	// the code is given, so it is not run.
	res := runColl(t, sandboxClient(srv), c, Options{Vars: vars})
	if got := outcomes(res); got != "passed,failed,not run,not run" {
		t.Fatalf("outcomes = %s, want the token step to fail on the made-up code\n%s", got, describe(res))
	}
	if res.Steps[0].Request != nil {
		t.Errorf("authorize Request = %+v, want nil when the code is given", res.Steps[0].Request)
	}
	assertMasked(t, res, "given-code-1234")
}

func TestAuthorizeNeedsCode(t *testing.T) {
	srv := newSandbox(t, sandbox.Config{})
	vars := sandboxVars(srv)
	c := loadFirstCall(t, vars)
	res := runColl(t, sandboxClient(srv), c, Options{Vars: vars})
	wantOutcomes(t, res, "error,not run,not run,not run")
	var need *auth.CodeNeededError
	if !errors.As(res.Steps[0].Err, &need) {
		t.Errorf("authorize Err = %v, want *auth.CodeNeededError", res.Steps[0].Err)
	}
}

// TestProcoreOOBCodePage captures the sandbox's out-of-band code page by
// XPath and CSS, following the authorize redirect by hand.
func TestProcoreOOBCodePage(t *testing.T) {
	srv := newSandbox(t, sandbox.Config{})
	vars := sandboxVars(srv)
	vars["oob"] = sandbox.OOBRedirectURI
	src := `steps:
  - name: authorize
    GET: "{{ login_url }}/oauth/authorize"
    query: {client_id: "{{ client_id }}", response_type: code, redirect_uri: "{{ oob }}"}
    follow_redirects: false
    expect:
      status: 302
    capture:
      page: {header: Location}
  - name: code page
    GET: "{{ login_url }}{{ page }}"
    expect:
      status: 200
      xpath:
        "//code[@id='authorization_code']": {matches: "^[0-9a-f]{64}$"}
      css:
        "code#authorization_code": {length: 64}
    capture:
      by_xpath: {xpath: "//code[@id='authorization_code']"}
      by_css: {css: "code#authorization_code"}
`
	names := []string{"login_url", "base_url", "client_id", "client_secret", "company_id", "oob"}
	res := runColl(t, sandboxClient(srv), parse(t, src, names...), Options{Vars: vars})
	wantOutcomes(t, res, "passed,passed")
	x, c := captured(t, res.Steps[1], "by_xpath"), captured(t, res.Steps[1], "by_css")
	if x.Value != c.Value || !strings.HasSuffix(res.Steps[0].Captures[0].Value.Value.(string), x.Value.(string)) {
		t.Errorf("xpath %v, css %v, location %v: want the same code", x, c, res.Steps[0].Captures[0].Value)
	}
}
