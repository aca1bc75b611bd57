package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// ExpirySkew is how long before its expiry a cached access token stops
// being used, so that it does not expire in flight.
const ExpirySkew = time.Minute

// Source gives the access tokens of one [Profile]: from memory, from the
// Cache, by refreshing, or by running the profile's grant. Token requests go
// through Client, passed to x/oauth2 with its HTTPClient context key, so
// that they honour the caller's TLS, proxy and timeout settings.
//
// A Source is safe for concurrent use. Concurrent calls that need a new
// token cause one token request: the first caller fetches while the others
// wait, then they all use its token. Across Sources and processes, the
// Cache's lock gives the same guarantee. Set the fields before first use.
type Source struct {
	// Profile is the rendered profile.
	Profile Profile
	// Cache stores tokens; nil means a private MemoryCache.
	Cache Cache
	// Client sends token and revoke requests; nil means http.DefaultClient.
	Client *http.Client
	// Now is the clock deciding expiry; nil means time.Now.
	Now func() time.Time
	// Authorizer and Mode let Token run the authorization code flow when an
	// authorization_code profile has nothing cached. With Mode zero, Token
	// returns a *LoginRequiredError instead.
	Authorizer *Authorizer
	Mode       Mode
	// AllowInsecureHTTP permits token requests over plain http:// to hosts
	// that are not loopback.
	AllowInsecureHTTP bool
	// File is the collection file declaring the profile, named in the
	// errors that say how to log in; empty shows FILE.
	File string
	// LoginFlags are the flags, shell-quoted, that the login command those
	// errors suggest needs to reach the same server (--var, --cacert, …).
	LoginFlags string

	mu   sync.Mutex
	tok  *Entry
	once sync.Once
}

func (s *Source) init() {
	s.once.Do(func() {
		if s.Cache == nil {
			s.Cache = NewMemoryCache()
		}
		if s.Client == nil {
			s.Client = http.DefaultClient
		}
		if s.Now == nil {
			s.Now = time.Now
		}
	})
}

// fresh reports whether e is an access token usable for a while yet.
func (s *Source) fresh(e *Entry) bool {
	return e != nil && e.AccessToken != "" && (e.Expiry.IsZero() || s.Now().Add(ExpirySkew).Before(e.Expiry))
}

// Token returns a valid access token, fetching a new one when needed.
func (s *Source) Token(ctx context.Context) (*oauth2.Token, error) {
	s.init()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fresh(s.tok) {
		return s.tok.token(), nil
	}
	return s.obtain(ctx, "")
}

// Fresh returns an access token usable for a while yet that the Source
// holds, or that its Cache holds in this process's memory (a
// MemoryCache, which users of one load test share), else nil. It never
// sends a request, waits for a lock nor reads a file: a caller tries it
// before bounding a call to Token in time.
func (s *Source) Fresh() *oauth2.Token {
	s.init()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.fresh(s.tok) && !s.freshInMemory() {
		return nil
	}
	return s.tok.token()
}

// freshInMemory takes a fresh token from a MemoryCache as obtain would,
// without the key's lock (a fresh token needs no refresh to wait for),
// and reports whether there was one.
func (s *Source) freshInMemory() bool {
	mc, ok := s.Cache.(*MemoryCache)
	if !ok || s.Profile.Grant == GrantBearer || s.cannotObtain() != nil {
		return false // obtain says why
	}
	e, _ := mc.Load(s.Profile.Key()) // a MemoryCache never fails
	if !s.fresh(e) {
		return false
	}
	s.tok = e
	return true
}

// Refresh returns a token other than stale, the access token a server just
// refused: another caller's newer token, or a new one. A bearer profile
// returns ErrNoRefresh.
func (s *Source) Refresh(ctx context.Context, stale string) (*oauth2.Token, error) {
	s.init()
	if s.Profile.Grant == GrantBearer {
		return nil, ErrNoRefresh
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fresh(s.tok) && s.tok.AccessToken != stale {
		return s.tok.token(), nil
	}
	return s.obtain(ctx, stale)
}

// obtain gets a token under the cache lock: a fresh cached one other than
// stale, else a refreshed one, else one from the profile's grant.
func (s *Source) obtain(ctx context.Context, stale string) (*oauth2.Token, error) {
	p := s.Profile
	if p.Grant == GrantBearer {
		s.tok = &Entry{Profile: p.Name, AccessToken: p.Token, TokenType: "Bearer"}
		return s.tok.token(), nil
	}
	if err := s.cannotObtain(); err != nil {
		return nil, err
	}
	key := p.Key()
	unlock, err := s.Cache.Lock(ctx, key)
	if err != nil {
		return nil, err
	}
	defer unlock()
	cached, err := s.Cache.Load(key)
	if err != nil {
		return nil, err
	}
	if s.fresh(cached) && cached.AccessToken != stale {
		s.tok = cached
		return cached.token(), nil
	}

	instance := new(string)
	ctx = context.WithValue(ctx, oauth2.HTTPClient, instanceClient(s.Client, instance))
	tok, err := s.fetch(ctx, key, cached, instance)
	if te, ok := err.(*TokenError); ok {
		te.File, te.LoginFlags = s.File, s.LoginFlags
	}
	if err != nil {
		return nil, err
	}
	e := s.entry(tok, *instance)
	if err := s.Cache.Save(key, e); err != nil {
		return nil, err
	}
	s.tok = e
	return e.token(), nil
}

// cannotObtain says why the profile, not a bearer one, cannot obtain a
// token: a field it needs is missing, or its token_url is plain http:// to
// a host that is not loopback. Neither a cached token nor a new one is
// used then.
func (s *Source) cannotObtain() error {
	p := s.Profile
	if err := p.Validate(); err != nil {
		return err
	}
	if err := CheckInsecureHTTP(p.TokenURL, s.AllowInsecureHTTP); err != nil {
		return fmt.Errorf("auth profile %q: token_url: %w", p.Name, err)
	}
	return nil
}

// fetch gets a new token: by refreshing the cached one, else by the
// profile's grant. A refresh token the server refused is removed from the
// cache under key; instance is the server instance that answered.
func (s *Source) fetch(ctx context.Context, key Key, cached *Entry, instance *string) (*oauth2.Token, error) {
	if cached == nil || cached.RefreshToken == "" {
		return s.grant(ctx)
	}
	tok, err := s.refresh(ctx, cached.RefreshToken)
	if te, ok := err.(*TokenError); ok && te.InvalidGrant() {
		// The refresh token is dead; never offer it again.
		_ = s.Cache.Delete(key)
		if *instance != "" && *instance != cached.Instance {
			// Another instance of the server (a sandbox started
			// again) never issued it: get a new token quietly.
			return s.grant(ctx)
		}
	}
	return tok, err
}

// grant gets a token by the profile's own grant, without a cached one.
func (s *Source) grant(ctx context.Context) (*oauth2.Token, error) {
	p := s.Profile
	switch p.Grant {
	case GrantRefreshToken:
		if p.RefreshToken == "" {
			return nil, fmt.Errorf("auth profile %q: refresh_token rendered empty", p.Name)
		}
		return s.refresh(ctx, p.RefreshToken)
	case GrantClientCredentials:
		return s.clientCredentials(ctx)
	case GrantAuthorizationCode:
		if s.Mode == 0 {
			return nil, &LoginRequiredError{Profile: p.Name, File: s.File, Flags: s.LoginFlags}
		}
		return s.login(ctx, s.Authorizer, s.Mode)
	}
	return nil, fmt.Errorf("auth profile %q: unknown grant %q", p.Name, p.Grant)
}

// refresh runs the refresh_token grant.
func (s *Source) refresh(ctx context.Context, refreshToken string) (*oauth2.Token, error) {
	tok, err := s.Profile.config().TokenSource(ctx, &oauth2.Token{RefreshToken: refreshToken}).Token()
	if err != nil {
		return nil, tokenError(s.Profile.Name, opRefresh, err)
	}
	return tok, nil
}

// clientCredentials runs the client_credentials grant.
func (s *Source) clientCredentials(ctx context.Context) (*oauth2.Token, error) {
	p := s.Profile
	cfg := clientcredentials.Config{
		ClientID: p.ClientID, ClientSecret: p.ClientSecret, TokenURL: p.TokenURL, Scopes: p.Scopes,
		AuthStyle: p.config().Endpoint.AuthStyle,
	}
	tok, err := cfg.Token(ctx)
	if err != nil {
		return nil, tokenError(p.Name, opClientCredentials, err)
	}
	return tok, nil
}

// Login runs the authorization code flow with a in the given mode,
// exchanges the code and caches the tokens, replacing any cached ones.
func (s *Source) Login(ctx context.Context, a *Authorizer, mode Mode) error {
	s.init()
	p := s.Profile
	if p.Grant != GrantAuthorizationCode {
		return fmt.Errorf("auth profile %q: login runs the authorization_code grant, not %s", p.Name, p.Grant)
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if err := CheckInsecureHTTP(p.TokenURL, s.AllowInsecureHTTP); err != nil {
		return fmt.Errorf("auth profile %q: token_url: %w", p.Name, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := p.Key()
	unlock, err := s.Cache.Lock(ctx, key)
	if err != nil {
		return err
	}
	defer unlock()
	instance := new(string)
	tok, err := s.login(context.WithValue(ctx, oauth2.HTTPClient, instanceClient(s.Client, instance)), a, mode)
	if err != nil {
		return err
	}
	e := s.entry(tok, *instance)
	if err := s.Cache.Save(key, e); err != nil {
		return err
	}
	s.tok = e
	return nil
}

// AuthRequest is the authorization request of the profile.
func (p Profile) AuthRequest() Request {
	return Request{AuthURL: p.AuthorizeURL, ClientID: p.ClientID, RedirectURI: p.RedirectURI, Scopes: p.Scopes, PKCE: p.PKCE}
}

// login obtains a code and exchanges it; ctx carries the HTTP client.
func (s *Source) login(ctx context.Context, a *Authorizer, mode Mode) (*oauth2.Token, error) {
	if a == nil {
		a = &Authorizer{Client: s.Client}
	}
	p := s.Profile
	g, err := a.Authorize(ctx, p.AuthRequest(), mode)
	if err != nil {
		return nil, fmt.Errorf("auth profile %q: %w", p.Name, err)
	}
	cfg := p.config()
	cfg.RedirectURL = g.RedirectURI
	var opts []oauth2.AuthCodeOption
	if g.CodeVerifier != "" {
		opts = append(opts, oauth2.VerifierOption(g.CodeVerifier))
	}
	tok, err := cfg.Exchange(ctx, g.Code, opts...)
	if err != nil {
		return nil, tokenError(p.Name, opExchange, err)
	}
	return tok, nil
}

// entry converts a token response from the server instance into a cache
// entry. The expiry is computed with s.Now from expires_in, so that a test
// clock decides it.
func (s *Source) entry(tok *oauth2.Token, instance string) *Entry {
	p := s.Profile
	e := &Entry{
		Profile: p.Name, ClientID: p.ClientID, TokenURL: p.TokenURL,
		AccessToken: tok.AccessToken, TokenType: tok.TokenType, RefreshToken: tok.RefreshToken,
		Expiry: tok.Expiry, Saved: s.Now(), Instance: instance,
	}
	if secs, ok := expiresIn(tok); ok {
		e.Expiry = s.Now().Add(time.Duration(secs) * time.Second)
	}
	return e
}

// expiresIn reads the raw expires_in of a token response.
func expiresIn(tok *oauth2.Token) (int64, bool) {
	switch v := tok.Extra("expires_in").(type) {
	case float64:
		return int64(v), v > 0
	case json.Number:
		n, err := v.Int64()
		return n, err == nil && n > 0
	case string:
		n, err := strconv.ParseInt(v, 10, 64)
		return n, err == nil && n > 0
	}
	return 0, false
}

// token converts the entry to an *oauth2.Token.
func (e *Entry) token() *oauth2.Token {
	return &oauth2.Token{AccessToken: e.AccessToken, TokenType: e.TokenType, RefreshToken: e.RefreshToken, Expiry: e.Expiry}
}

// Cached returns the cache entry of the profile, or nil.
func (s *Source) Cached() (*Entry, error) {
	s.init()
	return s.Cache.Load(s.Profile.Key())
}

// Logout revokes the cached token at the profile's RevokeURL, when it has
// one, then deletes the cache entry. It reports whether a token was
// revoked. The entry is deleted even when revocation fails.
func (s *Source) Logout(ctx context.Context) (revoked bool, err error) {
	s.init()
	p := s.Profile
	key := p.Key()
	unlock, err := s.Cache.Lock(ctx, key)
	if err != nil {
		return false, err
	}
	defer unlock()
	s.mu.Lock()
	s.tok = nil
	s.mu.Unlock()
	e, err := s.Cache.Load(key)
	if err != nil {
		return false, err
	}
	if e != nil && p.RevokeURL != "" {
		err = s.revoke(ctx, e)
		revoked = err == nil
	}
	if derr := s.Cache.Delete(key); derr != nil && err == nil {
		err = derr
	}
	return revoked, err
}

// revoke posts the refresh token (or the access token) to RevokeURL
// (RFC 7009), authenticating as the profile says.
func (s *Source) revoke(ctx context.Context, e *Entry) error {
	p := s.Profile
	if err := CheckInsecureHTTP(p.RevokeURL, s.AllowInsecureHTTP); err != nil {
		return fmt.Errorf("auth profile %q: revoke_url: %w", p.Name, err)
	}
	form := url.Values{}
	if e.RefreshToken != "" {
		form.Set("token", e.RefreshToken)
		form.Set("token_type_hint", "refresh_token")
	} else {
		form.Set("token", e.AccessToken)
		form.Set("token_type_hint", "access_token")
	}
	if p.ClientAuth != ClientAuthBasic {
		form.Set("client_id", p.ClientID)
		form.Set("client_secret", p.ClientSecret)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.RevokeURL, strings.NewReader(form.Encode()))
	if err != nil {
		return &TokenError{Profile: p.Name, Op: opRevoke, Err: err}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if p.ClientAuth == ClientAuthBasic {
		req.SetBasicAuth(url.QueryEscape(p.ClientID), url.QueryEscape(p.ClientSecret))
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		return &TokenError{Profile: p.Name, Op: opRevoke, Err: err}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		te := &TokenError{Profile: p.Name, Op: opRevoke, Status: resp.StatusCode}
		var oe struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		if json.Unmarshal(body, &oe) == nil {
			te.Code, te.Description = oe.Error, oe.Description
		}
		return te
	}
	return nil
}
