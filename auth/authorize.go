package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"

	"golang.org/x/oauth2"
)

// Request describes one authorization request. Values are used as given: the
// caller renders any templates first.
type Request struct {
	// AuthURL is the authorization endpoint, an absolute http or https URL.
	// It may carry a query of its own.
	AuthURL string
	// ClientID is the client identifier registered with the server.
	ClientID string
	// RedirectURI is the redirect_uri parameter. It may be empty (the server
	// then uses the registered one), "urn:ietf:wg:oauth:2.0:oob", a loopback
	// URI such as "http://127.0.0.1:0/callback" (port 0: any free port), or
	// any other URI.
	RedirectURI string
	// Scopes are joined with spaces into the scope parameter.
	Scopes []string
	// PKCE adds an RFC 7636 code_challenge with method S256; the verifier is
	// returned in the Grant.
	PKCE bool
	// ExtraParams are added to the URL (for example "prompt" or "audience").
	// They may not set the parameters the package sets itself.
	ExtraParams map[string]string
}

// reservedParams are set by the package; ExtraParams may not override them.
var reservedParams = []string{
	"response_type", "client_id", "redirect_uri", "scope", "state",
	"code_challenge", "code_challenge_method",
}

func (r Request) validate() error {
	u, err := url.Parse(r.AuthURL)
	switch {
	case r.AuthURL == "":
		return fmt.Errorf("authorize: the authorization URL is empty")
	case err != nil:
		return fmt.Errorf("authorize: invalid authorization URL: %w", err)
	case u.Scheme != "http" && u.Scheme != "https" || u.Host == "":
		return fmt.Errorf("authorize: authorization URL %q is not an absolute http or https URL", r.AuthURL)
	case u.Fragment != "":
		return fmt.Errorf("authorize: authorization URL %q has a fragment", r.AuthURL)
	case r.ClientID == "":
		return fmt.Errorf("authorize: the client ID is empty")
	}
	for _, k := range reservedParams {
		if _, ok := r.ExtraParams[k]; ok {
			return fmt.Errorf("authorize: extra parameter %q is set by the authorization step itself", k)
		}
	}
	return nil
}

// Grant is what the authorization step yields: the code and what is needed
// to exchange it for a token (pass CodeVerifier with oauth2.VerifierOption
// and RedirectURI as the redirect URL of the exchange).
//
// A Grant holds secrets: its String and GoString methods redact Code and
// CodeVerifier so that printing it with fmt does not leak them.
type Grant struct {
	// Code is the authorization code.
	Code string
	// State is the state sent with the request.
	State string
	// CodeVerifier is the PKCE verifier; empty unless Request.PKCE was set.
	CodeVerifier string
	// RedirectURI is the redirect URI actually sent, with a loopback port 0
	// replaced by the port that was listened on.
	RedirectURI string
	// AuthURL is the full authorization URL that was visited or shown.
	AuthURL string
}

// String returns the grant with Code and CodeVerifier redacted.
func (g Grant) String() string {
	return fmt.Sprintf("{Code:%s State:%s CodeVerifier:%s RedirectURI:%s AuthURL:%s}",
		redacted(g.Code), g.State, redacted(g.CodeVerifier), g.RedirectURI, g.AuthURL)
}

// GoString is like String, for the %#v verb.
func (g Grant) GoString() string { return "auth.Grant" + g.String() }

func redacted(s string) string {
	if s == "" {
		return `""`
	}
	return "REDACTED"
}

// Authorizer obtains authorization codes. The zero value works for
// [ModeAuto] (with a default HTTP client) and [ModeLoopback] (printing
// nothing); [ModeOOBPrompt] needs Prompt.
//
// An Authorizer may be used by several goroutines at once provided its fields
// are not changed after first use and Rand, Out and Prompt are themselves safe
// for concurrent use (crypto/rand is). Concurrent prompts on one terminal
// interleave, so callers should run interactive steps one at a time.
type Authorizer struct {
	// Client sends the requests of ModeAuto. Its CheckRedirect is replaced
	// on a copy; its Transport, Jar and Timeout are kept. Nil means a client
	// with the default transport.
	Client *http.Client
	// Rand is the source of the state and the PKCE verifier. Nil means
	// crypto/rand. Tests may pass a deterministic reader.
	Rand io.Reader
	// OpenBrowser, if not nil, is called with the authorization URL in
	// ModeLoopback and ModeOOBPrompt. It is called synchronously and should
	// return promptly (see OpenBrowserCommand). The URL is printed to Out
	// in any case.
	OpenBrowser func(url string) error
	// Prompt is where ModeOOBPrompt reads the pasted code from. It is read
	// one byte at a time so that nothing after the line is consumed.
	Prompt io.Reader
	// Out receives the URL to open, the prompt and progress messages. Nil
	// means they are discarded.
	Out io.Writer
}

// Authorize builds the authorization URL for req and obtains a code in the
// given mode. It returns when a code arrives, when the server refuses, or when
// ctx is done, whichever is first; in loopback mode the listener is closed
// before it returns.
func (a *Authorizer) Authorize(ctx context.Context, req Request, mode Mode) (Grant, error) {
	if err := req.validate(); err != nil {
		return Grant{}, err
	}
	switch mode {
	case ModeAuto:
		return a.authorizeAuto(ctx, req)
	case ModeLoopback:
		return a.authorizeLoopback(ctx, req)
	case ModeOOBPrompt:
		return a.authorizeOOB(ctx, req)
	}
	return Grant{}, fmt.Errorf("authorize: unknown mode %v", mode)
}

// prepare draws the state (and verifier) and builds the URL for redirectURI.
func (a *Authorizer) prepare(req Request, redirectURI string) (Grant, error) {
	r := a.Rand
	if r == nil {
		r = rand.Reader
	}
	g := Grant{RedirectURI: redirectURI}
	var err error
	if g.State, err = randomString(r); err != nil {
		return Grant{}, err
	}
	if req.PKCE {
		if g.CodeVerifier, err = randomString(r); err != nil {
			return Grant{}, err
		}
	}
	g.AuthURL = authCodeURL(req, redirectURI, g.State, g.CodeVerifier)
	return g, nil
}

// randomString returns 32 random bytes, base64url-encoded without padding
// (43 characters, a valid RFC 7636 verifier).
func randomString(r io.Reader) (string, error) {
	b := make([]byte, 32)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("authorize: reading random bytes: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// URL returns the authorization URL of r with state and without a PKCE
// challenge, as an exporter shows it; Authorize makes its own, with a fresh
// state and challenge.
func (r Request) URL(state string) string { return authCodeURL(r, r.RedirectURI, state, "") }

func authCodeURL(req Request, redirectURI, state, verifier string) string {
	cfg := oauth2.Config{
		ClientID:    req.ClientID,
		Endpoint:    oauth2.Endpoint{AuthURL: req.AuthURL},
		RedirectURL: redirectURI,
		Scopes:      req.Scopes,
	}
	opts := make([]oauth2.AuthCodeOption, 0, len(req.ExtraParams)+1)
	for _, k := range slices.Sorted(maps.Keys(req.ExtraParams)) {
		opts = append(opts, oauth2.SetAuthURLParam(k, req.ExtraParams[k]))
	}
	if verifier != "" {
		opts = append(opts, oauth2.S256ChallengeOption(verifier))
	}
	return cfg.AuthCodeURL(state, opts...)
}

// redirectParams returns the response parameters of a redirect URL: its
// query, or its fragment when the query carries neither code nor error.
func redirectParams(u *url.URL) url.Values {
	q := u.Query()
	if q.Has("code") || q.Has("error") || u.Fragment == "" {
		return q
	}
	f, err := url.ParseQuery(u.Fragment)
	if err != nil {
		return q
	}
	return f
}

// codeFromParams interprets redirect parameters. found reports whether they
// carried a code or an error; err is an *AuthorizationError or a
// *StateMismatchError.
func codeFromParams(v url.Values, state string) (code string, found bool, err error) {
	if e := v.Get("error"); e != "" {
		return "", true, &AuthorizationError{Code: e, Description: v.Get("error_description"), URI: v.Get("error_uri")}
	}
	code = v.Get("code")
	if code == "" {
		return "", false, nil
	}
	got := v.Get("state")
	if subtle.ConstantTimeCompare([]byte(got), []byte(state)) != 1 {
		return "", true, &StateMismatchError{Want: state, Got: got}
	}
	return code, true, nil
}

// showURL tells the user which URL to open, trying OpenBrowser first.
func (a *Authorizer) showURL(authURL string) {
	out := a.out()
	if a.OpenBrowser == nil {
		fmt.Fprintf(out, "Open this URL in a browser to authorize:\n\n  %s\n\n", authURL)
		return
	}
	if err := a.OpenBrowser(authURL); err != nil {
		fmt.Fprintf(out, "Could not open a browser (%v). Open this URL to authorize:\n\n  %s\n\n", err, authURL)
		return
	}
	fmt.Fprintf(out, "Opened a browser to authorize. If it did not open, visit:\n\n  %s\n\n", authURL)
}

func (a *Authorizer) out() io.Writer {
	if a.Out == nil {
		return io.Discard
	}
	return a.Out
}
