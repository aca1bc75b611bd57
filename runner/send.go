package runner

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/callsheet/callsheet/auth"
	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/mask"
)

// defaultTimeout bounds a request when neither the step, the collection's
// defaults nor Options set a timeout.
const defaultTimeout = 30 * time.Second

// sender sends a step's request as it was rendered, with the run's
// clients (one cookie jar per run), within its limits, carrying the token
// of the step's auth profile, and reads the whole response.
type sender struct {
	// follow follows redirects; noFollow does not, for
	// follow_redirects: false (made when a step first needs it).
	follow, noFollow *http.Client
	// expired is the cause of the last request timeout made, reused while
	// the timeout is the same.
	expired *timeoutError
	limits  Limits
	// collTimeout is the collection's defaults.timeout.
	collTimeout time.Duration
	mask        *mask.Masker
	tokens      *tokens
	// allowInsecure lets secrets go over plain http:// to hosts that are
	// not loopback.
	allowInsecure bool
	now           func() time.Time
}

// newSender returns a sender with copies of client, one following
// redirects and one not, sharing a new cookie jar and client's Transport
// (and its kept-alive connections).
func newSender(client *http.Client, opts Options, m *mask.Masker, now func() time.Time) *sender {
	if client == nil {
		client = http.DefaultClient
	}
	follow := *client
	follow.Jar, _ = cookiejar.New(nil) // never fails with nil options
	if follow.CheckRedirect == nil {
		follow.CheckRedirect = checkRedirect(maxRedirects(opts.Limits))
	}
	follow.CheckRedirect = redirectPolicy(m, follow.CheckRedirect)
	return &sender{follow: &follow, limits: opts.Limits, mask: m,
		allowInsecure: opts.AllowInsecureHTTP, now: now}
}

// noFollowClient returns the client that follows no redirect: the
// following one's copy, with its cookie jar and Transport.
func (sd *sender) noFollowClient() *http.Client {
	if sd.noFollow == nil {
		c := *sd.follow
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		sd.noFollow = &c
	}
	return sd.noFollow
}

// send sends req, the request of step s, and reads the whole response,
// recording both in sr (with whole bodies, cut and masked later). A
// request that carries an auth profile's token and is answered 401
// invalid_token is sent again once with a new token.
func (sd *sender) send(ctx context.Context, s *collections.Step, req *exchange.Request, sr *StepResult) (*subject, error) {
	r := s.Request()
	tok, err := sd.attachToken(ctx, s.Auth, r.Timeout, req)
	if err != nil {
		return nil, err
	}
	if err := sd.checkInsecure(req); err != nil {
		return nil, err
	}
	addCredentials(sd.mask, req.Header)
	ctx, cancel := sd.withTimeout(ctx, sd.timeout(r.Timeout))
	defer cancel()
	client := sd.follow
	if f := r.FollowRedirects; f != nil && !*f {
		client = sd.noFollowClient()
	}
	subj, err := sd.exchange(ctx, client, req, sr)
	if err != nil || tok == nil || subj.status != http.StatusUnauthorized || !invalidToken(subj.header) {
		return subj, err
	}
	return sd.refreshed(ctx, s.Auth, client, req, tok, subj, sr)
}

// exchange sends req within ctx's deadline and reads the whole response,
// recording it in sr.
func (sd *sender) exchange(ctx context.Context, client *http.Client, req *exchange.Request, sr *StepResult) (*subject, error) {
	resp, meta, err := sendRequest(ctx, client, req, sd.maxBody(), sd.now)
	if err != nil {
		return nil, err
	}
	addTokenResponse(sd.mask, resp.Body)
	sr.Response = resp
	return &subject{status: resp.Status, header: meta.header, body: resp.Body, meta: meta}, nil
}

// timeout picks the request timeout: the step's, the collection's default,
// the run's, else defaultTimeout.
func (sd *sender) timeout(step time.Duration) time.Duration {
	for _, d := range []time.Duration{step, sd.collTimeout, sd.limits.Timeout} {
		if d > 0 {
			return d
		}
	}
	return defaultTimeout
}

// maxBody is the response body limit of the run.
func (sd *sender) maxBody() int64 {
	if sd.limits.MaxBody > 0 {
		return sd.limits.MaxBody
	}
	return DefaultMaxBody
}

// timeoutError is the cause of a request that ran out of time. It is
// context.DeadlineExceeded for errors.Is, and says which timeout expired.
type timeoutError struct{ d time.Duration }

func (e *timeoutError) Error() string { return fmt.Sprintf("timeout after %v", e.d) }
func (e *timeoutError) Unwrap() error { return context.DeadlineExceeded }

// withTimeout bounds ctx by d, with a cause that names d.
func withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeoutCause(ctx, d, &timeoutError{d})
}

// withTimeout is withTimeout with the sender's cause for d, made once
// for the steps that share a timeout.
func (sd *sender) withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if sd.expired == nil || sd.expired.d != d {
		sd.expired = &timeoutError{d}
	}
	return context.WithTimeoutCause(ctx, d, sd.expired)
}

// sendRequest sends req with client, following redirects as client's
// policy says, and reads the whole body up to maxBody bytes after
// decompression, within ctx's deadline. Runs and replays send through it.
func sendRequest(ctx context.Context, client *http.Client, req *exchange.Request, maxBody int64, now func() time.Time) (*exchange.Response, *responseMeta, error) {
	hreq, err := req.HTTP(ctx)
	if err != nil {
		return nil, nil, err
	}
	start := now()
	hresp, err := client.Do(hreq)
	showJarCookies(req, hreq)
	if err != nil {
		return nil, nil, err
	}
	defer hresp.Body.Close()
	body, err := readResponseBody(ctx, hresp, maxBody)
	if err != nil {
		return nil, nil, err
	}
	resp := &exchange.Response{
		Status:   hresp.StatusCode,
		Proto:    hresp.Proto,
		Header:   exchange.FromHTTP(hresp.Header),
		Body:     body,
		Size:     int64(len(body)),
		Duration: now().Sub(start),
	}
	return resp, newResponseMeta(hresp, resp.Duration), nil
}

// showJarCookies puts in req the Cookie header the client sent: net/http
// adds the cookie jar's cookies to hreq's header as it sends it, and the
// request value shows what was sent.
func showJarCookies(req *exchange.Request, hreq *http.Request) {
	sent := hreq.Header.Get("Cookie")
	if sent == "" || sent == req.Header.Get("Cookie") {
		return
	}
	req.Header.Set("Cookie", sent)
	wireOrder(req.Header)
}

// attachToken sets "Authorization: Bearer" from the auth profile called
// profile and returns the token, or nil when there is no profile.
// Obtaining the token is bounded by the request timeout, unless a person
// must approve.
func (sd *sender) attachToken(ctx context.Context, profile string, timeout time.Duration, req *exchange.Request) (*oauth2.Token, error) {
	if profile == "" {
		return nil, nil
	}
	src, err := sd.tokens.source(profile)
	if err != nil {
		return nil, err
	}
	tok := src.Fresh()
	if tok == nil {
		if tok, err = sd.obtainToken(ctx, src, timeout); err != nil {
			return nil, err
		}
	}
	addToken(sd.mask, tok)
	setBearer(req, tok.AccessToken)
	return tok, nil
}

// obtainToken gets a token from src that it does not hold, within the
// request timeout unless a person must approve.
func (sd *sender) obtainToken(ctx context.Context, src *auth.Source, timeout time.Duration) (*oauth2.Token, error) {
	if src.Mode != auth.ModeLoopback && src.Mode != auth.ModeOOBPrompt {
		var cancel context.CancelFunc
		ctx, cancel = sd.withTimeout(ctx, sd.timeout(timeout))
		defer cancel()
	}
	return src.Token(ctx)
}

// refreshed gets a new token of the profile once, after a 401
// `WWW-Authenticate: Bearer error="invalid_token"` to req (first), and
// sends req again once with it; the second answer stands, whatever it is.
// When the profile cannot refresh, first stands.
func (sd *sender) refreshed(ctx context.Context, profile string, client *http.Client, req *exchange.Request, tok *oauth2.Token, first *subject, sr *StepResult) (*subject, error) {
	src, err := sd.tokens.source(profile)
	if err != nil {
		return nil, err
	}
	fresh, err := src.Refresh(ctx, tok.AccessToken)
	if errors.Is(err, auth.ErrNoRefresh) {
		return first, nil
	}
	if err != nil {
		return nil, fmt.Errorf("after 401 invalid_token: %w", err)
	}
	addToken(sd.mask, fresh)
	again := req.Clone()
	setBearer(again, fresh.AccessToken)
	sr.Request = again
	return sd.exchange(ctx, client, again, sr)
}

// setBearer sets the Authorization header of req to a bearer token, in the
// header's wire order.
func setBearer(req *exchange.Request, token string) {
	req.Header.Set("Authorization", "Bearer "+token)
	wireOrder(req.Header)
}

// addToken masks the values of a token.
func addToken(m *mask.Masker, tok *oauth2.Token) {
	m.Add(tok.AccessToken)
	m.Add(tok.RefreshToken)
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
func (sd *sender) checkInsecure(req *exchange.Request) error {
	if len(req.URL) < 5 || !strings.EqualFold(req.URL[:5], "http:") {
		return nil // not plain http: auth.CheckInsecureHTTP would not refuse it
	}
	refusal := auth.CheckInsecureHTTP(req.URL, sd.allowInsecure)
	if refusal == nil || !sd.carriesSecret(req) {
		return nil
	}
	return refusal
}

func (sd *sender) carriesSecret(req *exchange.Request) bool {
	for _, f := range req.Header {
		if mask.Sensitive(f.Name) || sd.mask.Contains(f.Value) {
			return true
		}
	}
	return sd.mask.Contains(req.URL) || sd.mask.ContainsBytes(req.Body)
}

// redirectPolicy wraps next, a redirect limit (limits.go), so that a
// redirect to another origin (scheme, host or port) drops Authorization,
// Proxy-Authorization, Cookie set by hand and every header holding a
// secret m knows. Go's own policy keeps them across ports of one host;
// curl and Python requests do not, nor does callsheet. Cookies from the
// jar are still sent where they belong. No redirect carries a Referer.
func redirectPolicy(m *mask.Masker, next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		// net/http adds a Referer to a redirect; the collection did not ask
		// for one (nor does curl -L send one).
		req.Header.Del("Referer")
		if len(via) > 0 && !sameOrigin(req.URL, via[0].URL) { // mutate:ignore "> -> >=" net/http calls CheckRedirect with the first request in via
			for name, values := range req.Header {
				if mask.Sensitive(name) || slices.ContainsFunc(values, m.Contains) {
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
