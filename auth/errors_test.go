package auth

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// TestErrorMessages walks every error kind, so a new one gets a message test.
func TestErrorMessages(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&AuthorizationError{Code: "access_denied"}, "authorize: authorization server returned access_denied"},
		{&AuthorizationError{Code: "invalid_scope", Description: "bad\nscope", URI: "https://e.example/s"},
			"authorize: authorization server returned invalid_scope: bad scope (see https://e.example/s)"},
		{&StateMismatchError{Want: "a"}, "authorize: redirect carries a code but no state parameter"},
		{&StateMismatchError{Want: "a", Got: "b"}, "authorize: redirect state does not match the state sent with the request"},
		{&CodeNotFoundError{URL: "https://l.example/oauth/authorize", StatusCode: 400, Snippet: "invalid client"},
			`authorize: no authorization code in the response to GET https://l.example/oauth/authorize: 400 Bad Request, body "invalid client"`},
		{&CodeNotFoundError{URL: "https://l.example/a", StatusCode: 302, Location: "myapp://x"},
			"authorize: no authorization code in the response to GET https://l.example/a: 302 Found, location myapp://x"},
		{&CodeNeededError{AuthURL: "https://l.example/a?client_id=c&state=s"},
			"authorize: the authorization step needs a code: run with --var code=<code> (open https://l.example/a?client_id=c&state=s in a browser, approve, copy the code), or use --sandbox / auto: true against a server that approves automatically"},
		{ErrNoCode, "authorize: no authorization code entered"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%T.Error() = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestAuthorizeInvalid(t *testing.T) {
	valid := Request{AuthURL: "https://l.example/oauth/authorize", ClientID: "client-1", RedirectURI: oobURI}
	tests := []struct {
		name    string
		edit    func(r *Request)
		mode    Mode
		a       Authorizer
		wantErr string
	}{
		{"empty URL", func(r *Request) { r.AuthURL = "" }, ModeAuto, Authorizer{}, "authorization URL is empty"},
		{"relative URL", func(r *Request) { r.AuthURL = "/oauth/authorize" }, ModeAuto, Authorizer{}, "not an absolute http or https URL"},
		{"ftp URL", func(r *Request) { r.AuthURL = "ftp://l.example/a" }, ModeAuto, Authorizer{}, "not an absolute http or https URL"},
		{"fragment", func(r *Request) { r.AuthURL += "#x" }, ModeAuto, Authorizer{}, "has a fragment"},
		{"no client ID", func(r *Request) { r.ClientID = "" }, ModeAuto, Authorizer{}, "client ID is empty"},
		{"reserved extra param", func(r *Request) { r.ExtraParams = map[string]string{"state": "x"} }, ModeAuto, Authorizer{}, `extra parameter "state"`},
		{"unknown mode", func(*Request) {}, Mode(9), Authorizer{}, "unknown mode Mode(9)"},
		{"loopback needs loopback URI", func(*Request) {}, ModeLoopback, Authorizer{}, "is not an http URI on 127.0.0.1"},
		{"loopback needs a port", func(r *Request) { r.RedirectURI = "http://127.0.0.1/cb" }, ModeLoopback, Authorizer{}, "needs a port"},
		{"prompt needs input", func(*Request) {}, ModeOOBPrompt, Authorizer{}, "needs an input"},
		{"short random source", func(*Request) {}, ModeOOBPrompt, Authorizer{Prompt: strings.NewReader("x"), Rand: strings.NewReader("short")}, "reading random bytes: unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := valid
			tt.edit(&req)
			_, err := tt.a.Authorize(testContext(t), req, tt.mode)
			if err == nil || !strings.HasPrefix(err.Error(), "authorize: ") || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Authorize(%+v, %v) error = %v, want one containing %q", req, tt.mode, err, tt.wantErr)
			}
		})
	}
}

func TestAuthCodeURL(t *testing.T) {
	req := Request{
		AuthURL: "https://l.example/oauth/authorize?tenant=t1", ClientID: "client-1", RedirectURI: oobURI,
		Scopes: []string{"a", "b"}, ExtraParams: map[string]string{"prompt": "consent", "audience": "api"},
	}
	got := authCodeURL(req, req.RedirectURI, "st", "")
	u, err := url.Parse(got)
	if err != nil {
		t.Fatalf("authCodeURL() = %q, not a URL: %v", got, err)
	}
	want := url.Values{
		"tenant": {"t1"}, "response_type": {"code"}, "client_id": {"client-1"}, "redirect_uri": {oobURI},
		"scope": {"a b"}, "state": {"st"}, "prompt": {"consent"}, "audience": {"api"},
	}
	if u.Query().Encode() != want.Encode() {
		t.Errorf("authCodeURL() query = %v, want %v", u.Query(), want)
	}
}

func TestGrantRedacts(t *testing.T) {
	g := Grant{Code: "secret-code", State: "st", CodeVerifier: "secret-verifier", RedirectURI: oobURI, AuthURL: "https://l.example/a"}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(verb, g); strings.Contains(s, "secret") || !strings.Contains(s, "REDACTED") {
			t.Errorf("Sprintf(%q, grant) = %q, want code and verifier redacted", verb, s)
		}
	}
}
