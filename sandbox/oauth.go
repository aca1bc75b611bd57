package sandbox

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"html"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxBodyBytes bounds token and revoke request bodies.
const maxBodyBytes = 1 << 20

// OAuth error codes (RFC 6749 and Doorkeeper).
const (
	errInvalidRequest          = "invalid_request"
	errInvalidClient           = "invalid_client"
	errInvalidGrant            = "invalid_grant"
	errUnauthorizedClient      = "unauthorized_client"
	errUnsupportedGrantType    = "unsupported_grant_type"
	errInvalidRedirectURI      = "invalid_redirect_uri"
	errUnsupportedResponseType = "unsupported_response_type"
	errAccessDenied            = "access_denied"
	errServerError             = "server_error"
)

// describe returns Doorkeeper's English error_description for code.
func describe(code string) string {
	switch code {
	case errInvalidRequest:
		return "The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed."
	case errInvalidClient:
		return "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method."
	case errInvalidGrant:
		return "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."
	case errUnauthorizedClient:
		return "The client is not authorized to perform this request using this method."
	case errUnsupportedGrantType:
		return "The authorization grant type is not supported by the authorization server."
	case errInvalidRedirectURI:
		return "The requested redirect uri is malformed or doesn't match client redirect URI."
	case errUnsupportedResponseType:
		return "The authorization server does not support this response type."
	case errAccessDenied:
		return "The resource owner or authorization server denied the request."
	default:
		return "The authorization server encountered an unexpected condition which prevented it from fulfilling the request."
	}
}

// oauthError is the body of OAuth error responses.
type oauthError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// tokenResponse is the token endpoint's success body, in Procore's key order.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token,omitempty"`
	CreatedAt    int64  `json:"created_at"`
}

func noStore(h http.Header) {
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
}

func setChallenge(h http.Header, code, desc string) {
	h.Set("WWW-Authenticate", fmt.Sprintf(`Bearer realm="Doorkeeper", error="%s", error_description="%s"`, code, desc))
}

// writeOAuthError writes a token-endpoint error with the status chosen by
// Config.TokenErrorStatus.
func (s *Sandbox) writeOAuthError(w http.ResponseWriter, code string) {
	status := http.StatusUnauthorized
	switch {
	case code == errServerError:
		status = http.StatusInternalServerError
	case s.cfg.TokenErrorStatus == TokenErrorsRFC && code != errInvalidClient:
		status = http.StatusBadRequest
	}
	desc := describe(code)
	noStore(w.Header())
	setChallenge(w.Header(), code, desc)
	writeJSON(w, status, oauthError{code, desc})
}

// authorize serves E1: GET /oauth/authorize.
func (s *Sandbox) authorize(w http.ResponseWriter, r *http.Request, k knobs) {
	q := r.URL.Query()
	clientID, redirectURI, state := q.Get("client_id"), q.Get("redirect_uri"), q.Get("state")
	switch {
	case clientID != s.fx.client.id:
		writeErrorPage(w, r, errInvalidClient)
		return
	case !s.redirectAllowed(redirectURI):
		writeErrorPage(w, r, errInvalidRedirectURI)
		return
	}
	fail := func(code string) {
		if redirectURI == OOBRedirectURI {
			writeErrorPage(w, r, code)
			return
		}
		redirect(w, redirectURI, url.Values{"error": {code}, "error_description": {describe(code)}}, state)
	}
	if q.Get("response_type") != "code" {
		fail(errUnsupportedResponseType)
		return
	}
	if q.Get("sandbox_decision") == "deny" {
		fail(errAccessDenied)
		return
	}
	ttl := s.cfg.CodeTTL
	if k.codeTTL != nil {
		ttl = *k.codeTTL
	}
	code, err := s.issueCode(clientID, redirectURI, ttl)
	if err != nil {
		writeErrorPage(w, r, errServerError)
		return
	}
	if redirectURI == OOBRedirectURI {
		noStore(w.Header())
		w.Header().Set("Location", "/oauth/authorize/"+code)
		w.WriteHeader(http.StatusFound)
		return
	}
	redirect(w, redirectURI, url.Values{"code": {code}}, state)
}

// redirectAllowed reports whether uri is registered or is a loopback http
// URI (RFC 8252 §7.3: any port).
func (s *Sandbox) redirectAllowed(uri string) bool {
	if uri == "" {
		return false
	}
	for _, r := range s.cfg.RedirectURIs {
		if uri == r {
			return true
		}
	}
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "http" || u.User != nil || u.Fragment != "" {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// redirect answers 302 to base with params (and state, if any) added to its
// query.
func redirect(w http.ResponseWriter, base string, params url.Values, state string) {
	u, _ := url.Parse(base) // checked by redirectAllowed
	q := u.Query()
	for k, v := range params {
		q[k] = v
	}
	if state != "" {
		q.Set("state", state)
	}
	u.RawQuery = q.Encode()
	noStore(w.Header())
	w.Header().Set("Location", u.String())
	w.WriteHeader(http.StatusFound)
}

// writeErrorPage renders an authorization error that is not redirected: HTML,
// or JSON when the client accepts it.
func writeErrorPage(w http.ResponseWriter, r *http.Request, code string) {
	status := http.StatusBadRequest
	if code == errServerError {
		status = http.StatusInternalServerError
	}
	noStore(w.Header())
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		writeJSON(w, status, oauthError{code, describe(code)})
		return
	}
	writeHTML(w, status, "An error has occurred",
		"<h1>An error has occurred</h1>\n<p>"+html.EscapeString(describe(code))+"</p>")
}

// showCode serves E2: the out-of-band page that displays a code. Like
// Doorkeeper, it shows whatever code is in the URL.
func (s *Sandbox) showCode(w http.ResponseWriter, code string) {
	noStore(w.Header())
	writeHTML(w, http.StatusOK, "Authorization code:",
		"<h1>Authorization code:</h1>\n<code id=\"authorization_code\">"+html.EscapeString(code)+"</code>")
}

func writeHTML(w http.ResponseWriter, status int, title, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>%s</title></head>\n<body><main>\n%s\n</main></body>\n</html>\n",
		html.EscapeString(title), body)
}

// issueCode issues a code that lives for ttl.
func (s *Sandbox) issueCode(clientID, redirectURI string, ttl time.Duration) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	code, err := s.newSecretLocked()
	if err != nil {
		return "", err
	}
	s.addCodeLocked(code, &grant{
		clientID: clientID, redirectURI: redirectURI, userID: DemoUserID,
		expires: s.now().Add(ttl),
	})
	return code, nil
}

// token serves E3: POST /oauth/token.
func (s *Sandbox) token(w http.ResponseWriter, r *http.Request, k knobs) {
	p, err := readParams(w, r)
	if err != nil {
		s.writeOAuthError(w, errInvalidRequest)
		return
	}
	id, secret, ok := clientCredentials(r, p)
	if !ok {
		s.writeOAuthError(w, errInvalidRequest)
		return
	}
	var resp tokenResponse
	var code string
	ttl := s.accessTokenTTL(p, k)
	switch p["grant_type"] {
	case "authorization_code":
		resp, code = s.exchangeCode(p, id, secret, ttl)
	case "refresh_token":
		resp, code = s.refreshToken(p, id, secret, ttl)
	case "client_credentials":
		resp, code = s.clientCredentialsGrant(id, secret, ttl)
	default:
		code = errUnsupportedGrantType
	}
	if code != "" {
		s.writeOAuthError(w, code)
		return
	}
	noStore(w.Header())
	writeJSON(w, http.StatusOK, resp)
}

// authenticate reports whether id and secret belong to the client.
func (s *Sandbox) authenticate(id, secret string) bool {
	c := s.fx.client
	return subtle.ConstantTimeCompare([]byte(id), []byte(c.id)) == 1 &&
		subtle.ConstantTimeCompare([]byte(secret), []byte(c.secret)) == 1
}

// exchangeCode runs the authorization_code grant. The client authenticates
// before the code is looked at, so a rejected attempt never burns it.
func (s *Sandbox) exchangeCode(p map[string]string, id, secret string, ttl time.Duration) (tokenResponse, string) {
	code, redirectURI := p["code"], p["redirect_uri"]
	if code == "" || redirectURI == "" {
		return tokenResponse{}, errInvalidRequest
	}
	if !s.authenticate(id, secret) {
		return tokenResponse{}, errInvalidClient
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.codes[code]
	if g == nil || g.clientID != id || !s.now().Before(g.expires) || g.redirectURI != redirectURI {
		return tokenResponse{}, errInvalidGrant
	}
	// A used code is refused like an unknown one: forget it.
	delete(s.codes, code)
	return s.issueLocked(id, g.userID, false, ttl)
}

// refreshToken runs the refresh_token grant: the old pair is revoked and a
// new one issued. A sent redirect_uri is ignored.
func (s *Sandbox) refreshToken(p map[string]string, id, secret string, ttl time.Duration) (tokenResponse, string) {
	rt := p["refresh_token"]
	if rt == "" {
		return tokenResponse{}, errInvalidRequest
	}
	if !s.authenticate(id, secret) {
		return tokenResponse{}, errInvalidClient
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.refresh[rt]
	if old == nil || old.revoked || old.clientID != id {
		return tokenResponse{}, errInvalidGrant
	}
	old.revoked = true
	return s.issueLocked(id, old.ownerID, false, ttl)
}

func (s *Sandbox) clientCredentialsGrant(id, secret string, ttl time.Duration) (tokenResponse, string) {
	if !s.authenticate(id, secret) {
		return tokenResponse{}, errInvalidClient
	}
	if !s.fx.client.clientCredentials {
		return tokenResponse{}, errUnauthorizedClient
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issueLocked(id, ServiceAccountID, true, ttl)
}

// issueLocked creates a token pair whose access token lives for ttl;
// service pairs have no refresh token.
func (s *Sandbox) issueLocked(clientID string, owner int64, service bool, ttl time.Duration) (tokenResponse, string) {
	access, err := s.newSecretLocked()
	if err != nil {
		return tokenResponse{}, errServerError
	}
	var refresh string
	if !service {
		if refresh, err = s.newSecretLocked(); err != nil {
			return tokenResponse{}, errServerError
		}
	}
	now := s.now()
	t := &tokenPair{
		access: access, refresh: refresh, clientID: clientID, ownerID: owner, service: service,
		created: now, expires: now.Add(ttl),
	}
	s.addPairLocked(t)
	return tokenResponse{
		AccessToken: access, TokenType: "bearer", ExpiresIn: int64(ttl / time.Second),
		RefreshToken: refresh, CreatedAt: now.Unix(),
	}, ""
}

// readParams reads the body parameters of a token or revoke request from a
// form-urlencoded, multipart or JSON body.
func readParams(w http.ResponseWriter, r *http.Request) (map[string]string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return nil, fmt.Errorf("parse content type: %w", err)
	}
	p := make(map[string]string)
	var values url.Values
	switch mt {
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return nil, fmt.Errorf("parse form body: %w", err)
		}
		values = r.PostForm
	case "multipart/form-data":
		if err := r.ParseMultipartForm(maxBodyBytes); err != nil {
			return nil, fmt.Errorf("parse multipart body: %w", err)
		}
		values = r.MultipartForm.Value
	case "application/json":
		dec := json.NewDecoder(r.Body)
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("parse JSON body: %w", err)
		}
		for k, v := range m {
			switch v := v.(type) {
			case string:
				p[k] = v
			case json.Number:
				p[k] = v.String()
			default:
				return nil, fmt.Errorf("parse JSON body: field %q is not a string", k)
			}
		}
		return p, nil
	default:
		return nil, fmt.Errorf("unsupported content type %q", mt)
	}
	for k, v := range values {
		if len(v) > 0 {
			p[k] = v[0]
		}
	}
	return p, nil
}

// clientCredentials returns the client ID and secret from HTTP Basic or the
// body. It reports false when both are present and disagree.
func clientCredentials(r *http.Request, p map[string]string) (id, secret string, ok bool) {
	bid, bsecret, basic := r.BasicAuth()
	if !basic {
		return p["client_id"], p["client_secret"], true
	}
	// RFC 6749 §2.3.1: Basic credentials are form-encoded first.
	bid, bsecret = unescape(bid), unescape(bsecret)
	if v, sent := p["client_id"]; sent && v != bid {
		return "", "", false
	}
	if v, sent := p["client_secret"]; sent && v != bsecret {
		return "", "", false
	}
	return bid, bsecret, true
}

func unescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// bearer returns the token of an "Authorization: Bearer" header.
func bearer(r *http.Request) string {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

// Reasons a bearer token is refused, as Doorkeeper words them.
const (
	tokenInvalid = "The access token is invalid"
	tokenExpired = "The access token expired"
	tokenRevoked = "The access token was revoked"
)

// lookupAccess returns a copy of the live token pair for the request's
// bearer token, or why the token is refused.
func (s *Sandbox) lookupAccess(r *http.Request) (tokenPair, string) {
	tok := bearer(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.access[tok]
	switch {
	case tok == "" || t == nil:
		return tokenPair{}, tokenInvalid
	case t.revoked:
		return tokenPair{}, tokenRevoked
	case !s.now().Before(t.expires):
		return tokenPair{}, tokenExpired
	}
	return *t, ""
}

// tokenInfo serves E4: GET /oauth/token/info.
func (s *Sandbox) tokenInfo(w http.ResponseWriter, r *http.Request) {
	noStore(w.Header())
	t, problem := s.lookupAccess(r)
	if problem != "" {
		desc := describe(errInvalidRequest)
		setChallenge(w.Header(), errInvalidRequest, desc)
		writeJSON(w, http.StatusUnauthorized, oauthError{errInvalidRequest, desc})
		return
	}
	writeJSON(w, http.StatusOK, struct {
		ResourceOwnerID  int64             `json:"resource_owner_id"`
		Scopes           []string          `json:"scopes"`
		ExpiresInSeconds int64             `json:"expires_in_seconds"`
		Application      map[string]string `json:"application"`
		CreatedAt        int64             `json:"created_at"`
	}{
		ResourceOwnerID:  t.ownerID,
		Scopes:           []string{},
		ExpiresInSeconds: int64(t.expires.Sub(s.now()) / time.Second),
		Application:      map[string]string{"uid": t.clientID},
		CreatedAt:        t.created.Unix(),
	})
}

// revoke serves E5: POST /oauth/revoke. The pair is revoked only when the
// client authenticates and owns the token; the answer is always 200 {}.
func (s *Sandbox) revoke(w http.ResponseWriter, r *http.Request) {
	if p, err := readParams(w, r); err == nil {
		if id, secret, ok := clientCredentials(r, p); ok && s.authenticate(id, secret) {
			s.mu.Lock()
			t := s.access[p["token"]]
			if t == nil {
				t = s.refresh[p["token"]]
			}
			if t != nil && t.clientID == id {
				t.revoked = true
				s.changedLocked()
			}
			s.mu.Unlock()
		}
	}
	noStore(w.Header())
	writeJSON(w, http.StatusOK, struct{}{})
}
