package runner

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/oauth2"

	"github.com/callsheet/callsheet/auth"
	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/exchange"
)

// source returns the token source of the profile called name, rendering
// the profile on first use. The profile's secrets are masked from then on.
func (rn *run) source(name string) (*auth.Source, error) {
	if src, ok := rn.sources[name]; ok {
		return src, nil
	}
	cp := rn.coll.Profile(name)
	if cp == nil {
		if owner := rn.imported[name]; owner != nil && owner.coll.Profile(name) != nil {
			return owner.source(name) // declared by an included file (authinclude.go)
		}
		return nil, fmt.Errorf("unknown auth profile %q: the include: step of the file declaring it has not run", name)
	}
	p, err := rn.renderProfile(cp)
	if err != nil {
		return nil, err
	}
	for _, s := range p.Secrets() {
		rn.mask.add(s)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	cache := rn.opts.TokenCache
	if cache == nil {
		cache = auth.NewMemoryCache()
	}
	src := &auth.Source{
		Profile:           p,
		Cache:             cache,
		Client:            rn.client,
		Now:               rn.now,
		AllowInsecureHTTP: rn.opts.AllowInsecureHTTP,
		File:              rn.coll.File,
		LoginFlags:        rn.opts.LoginFlags,
		Authorizer:        rn.authorizer(),
	}
	switch {
	case p.Grant != auth.GrantAuthorizationCode:
	case p.Auto || rn.opts.AutoAuthorize:
		src.Mode = auth.ModeAuto
	case rn.opts.Interactive:
		if mode, err := auth.ChooseMode(p.AuthRequest(), false, true); err == nil {
			src.Mode = mode
		}
	}
	if rn.sources == nil {
		rn.sources = map[string]*auth.Source{}
	}
	rn.sources[name] = src
	return src, nil
}

// renderProfile renders the templates of a profile into an auth.Profile.
func (rn *run) renderProfile(cp *collections.AuthProfile) (auth.Profile, error) {
	p := auth.Profile{
		Name: cp.Name, Grant: auth.GrantType(cp.Grant), PKCE: cp.PKCE,
		ClientAuth: auth.ClientAuth(cp.ClientAuth), Auto: cp.Auto,
	}
	var scope string
	dst := map[string]*string{
		"token_url": &p.TokenURL, "authorize_url": &p.AuthorizeURL, "revoke_url": &p.RevokeURL,
		"client_id": &p.ClientID, "client_secret": &p.ClientSecret, "redirect_uri": &p.RedirectURI,
		"scope": &scope, "token": &p.Token, "refresh_token": &p.RefreshToken,
	}
	var err error
	cp.Templates(func(key string, t *collections.Template) {
		if err != nil {
			return
		}
		v, rerr := t.Render(rn.scope)
		if rerr != nil {
			err = fmt.Errorf("auth profile %q: %s: %w", cp.Name, key, rerr)
			return
		}
		*dst[key] = v
	})
	p.Scopes = strings.Fields(scope)
	return p, err
}

// attachAuth sets "Authorization: Bearer" from the step's auth profile and
// returns the token, or nil when the step has no profile. Obtaining the
// token is bounded by the request timeout, unless a person must approve.
func (rn *run) attachAuth(ctx context.Context, s *collections.Step, req *exchange.Request) (*oauth2.Token, error) {
	if s.Auth == "" {
		return nil, nil
	}
	src, err := rn.source(s.Auth)
	if err != nil {
		return nil, err
	}
	if src.Mode != auth.ModeLoopback && src.Mode != auth.ModeOOBPrompt {
		var cancel context.CancelFunc
		ctx, cancel = withTimeout(ctx, rn.timeout(s.Request.Timeout))
		defer cancel()
	}
	tok, err := src.Token(ctx)
	if err != nil {
		return nil, err
	}
	rn.addToken(tok)
	setBearer(req, tok.AccessToken)
	return tok, nil
}

// setBearer sets the Authorization header of req to a bearer token, in the
// header's wire order.
func setBearer(req *exchange.Request, token string) {
	req.Header.Set("Authorization", "Bearer "+token)
	wireOrder(req.Header)
}

// addToken masks the values of a token.
func (rn *run) addToken(tok *oauth2.Token) {
	rn.mask.add(tok.AccessToken)
	rn.mask.add(tok.RefreshToken)
}

// exchangeAuth sends req. When the request carried a profile's token and
// the answer is 401 with `WWW-Authenticate: Bearer error="invalid_token"`,
// it gets a new token once and sends the request again once, with the new
// token; the second answer stands, whatever it is.
func (rn *run) exchangeAuth(ctx context.Context, s *collections.Step, client *http.Client, req *exchange.Request, tok *oauth2.Token, sr *StepResult) (*subject, error) {
	subj, err := rn.exchange(ctx, client, req, sr)
	if err != nil || tok == nil || subj.status != http.StatusUnauthorized || !invalidToken(subj.header) {
		return subj, err
	}
	fresh, err := rn.sources[s.Auth].Refresh(ctx, tok.AccessToken)
	if errors.Is(err, auth.ErrNoRefresh) {
		return subj, nil
	}
	if err != nil {
		return nil, fmt.Errorf("after 401 invalid_token: %w", err)
	}
	rn.addToken(fresh)
	again := req.Clone()
	setBearer(again, fresh.AccessToken)
	sr.Request = again
	return rn.exchange(ctx, client, again, sr)
}

// invalidToken reports whether a WWW-Authenticate header carries a Bearer
// challenge with error="invalid_token" (RFC 6750 section 3.1).
func invalidToken(h http.Header) bool {
	for _, v := range h.Values("WWW-Authenticate") {
		lower := strings.ToLower(v)
		if strings.HasPrefix(strings.TrimSpace(lower), "bearer") &&
			(strings.Contains(lower, `error="invalid_token"`) || strings.Contains(lower, `error=invalid_token`)) {
			return true
		}
	}
	return false
}

// checkInsecure refuses a request to a plain http:// URL on a host that is
// not loopback when it carries a secret: a credential header, or a secret
// value in the URL, a header or the body.
func (rn *run) checkInsecure(req *exchange.Request) error {
	refusal := auth.CheckInsecureHTTP(req.URL, rn.opts.AllowInsecureHTTP)
	if refusal == nil || !rn.carriesSecret(req) {
		return nil
	}
	return refusal
}

func (rn *run) carriesSecret(req *exchange.Request) bool {
	for _, f := range req.Header {
		if sensitiveHeader(f.Name) || rn.mask.occurs(f.Value) {
			return true
		}
	}
	return rn.mask.occurs(req.URL) || rn.mask.occursBytes(req.Body)
}

// sensitiveHeader reports headers that always hold credentials.
func sensitiveHeader(name string) bool {
	switch http.CanonicalHeaderKey(name) {
	case "Authorization", "Proxy-Authorization", "Cookie":
		return true
	}
	return false
}

// redirectPolicy wraps next, a redirect limit (limits.go), so that a
// redirect to another origin (scheme, host or port) drops Authorization,
// Proxy-Authorization, Cookie set by hand and every header holding a
// secret mask knows. Go's own policy keeps them across ports of one host;
// curl and Python requests do not, nor does callsheet. Cookies from the
// jar are still sent where they belong. No redirect carries a Referer.
func redirectPolicy(mask *masker, next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		// net/http adds a Referer to a redirect; the collection did not ask
		// for one (nor does curl -L send one).
		req.Header.Del("Referer")
		if len(via) > 0 && !sameOrigin(req.URL, via[0].URL) {
			for name, values := range req.Header {
				if sensitiveHeader(name) || slices.ContainsFunc(values, mask.occurs) {
					req.Header.Del(name)
				}
			}
		}
		return next(req, via)
	}
}

// sameOrigin compares scheme, host and port (default ports made explicit).
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// ResolveProfile renders the vars of c (with opts.Vars overriding them, as
// in a run) and then the auth profile called name, for commands that use a
// profile outside a run (`callsheet auth login`).
func ResolveProfile(c *collections.Collection, name string, opts Options) (auth.Profile, error) {
	cp := c.Profile(name)
	if cp == nil {
		if p, _ := c.IncludedProfile(name, len(c.Steps)); p == nil {
			names := make([]string, len(c.Auth))
			for i, p := range c.Auth {
				names[i] = p.Name
			}
			return auth.Profile{}, fmt.Errorf("%s has no auth profile %q (profiles: %s)", c.File, name, strings.Join(names, ", "))
		}
	}
	rn := newRun(nil, c, opts)
	if err := rn.initScope(); err != nil {
		return auth.Profile{}, rn.mask.err(err)
	}
	if cp == nil {
		// Declared by an included file: render it in that file's scope.
		owner, err := rn.includedProfileRun(name)
		if err != nil {
			return auth.Profile{}, rn.mask.err(err)
		}
		rn, cp = owner, owner.coll.Profile(name)
	}
	p, err := rn.renderProfile(cp)
	if err != nil {
		for _, s := range p.Secrets() {
			rn.mask.add(s)
		}
		return auth.Profile{}, rn.mask.err(err)
	}
	return p, p.Validate()
}
