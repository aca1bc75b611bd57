package sandbox

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Values of Config.TokenErrorStatus.
const (
	// TokenErrorsLegacy answers every token-endpoint error with 401, as
	// Doorkeeper ≤ 5.0 (and, by the evidence, Procore) does.
	TokenErrorsLegacy = "legacy"
	// TokenErrorsRFC answers 400, or 401 for invalid_client (RFC 6749 §5.2).
	TokenErrorsRFC = "rfc"
)

// Values of Config.CompanyHeader.
const (
	// CompanyHeaderRequired rejects calls without a Procore-Company-Id header
	// where Procore requires one.
	CompanyHeaderRequired = "required"
	// CompanyHeaderLenient lets such calls through; a company_id query
	// parameter, if any, then scopes the call.
	CompanyHeaderLenient = "lenient"
)

// Config holds the sandbox settings. The zero value means Procore's
// defaults, with no injected faults and no added latency. A request can
// replace the lifetimes, the rate limit, the faults and the latency for
// itself with a Sandbox-* header (knobs.go).
type Config struct {
	// AccessTokenTTL is the access-token lifetime; 0 means 5400s.
	AccessTokenTTL time.Duration
	// CodeTTL is the authorization-code lifetime; 0 means 10 minutes.
	CodeTTL time.Duration
	// TokenErrorStatus is TokenErrorsLegacy (the default when empty) or
	// TokenErrorsRFC; case is ignored.
	TokenErrorStatus string
	// CompanyHeader is CompanyHeaderRequired (the default when empty) or
	// CompanyHeaderLenient; case is ignored.
	CompanyHeader string
	// MissingCompanyHeaderStatus is the status for a missing or malformed
	// Procore-Company-Id header; 0 means 404.
	MissingCompanyHeaderStatus int
	// RateLimit is the request budget per access token in each
	// RateLimitWindow; 0 means 3600.
	RateLimit int
	// RateLimitWindow is the length of a rate-limit window, which opens
	// with a token's first counted request; 0 means an hour.
	RateLimitWindow time.Duration
	// FailRate is the share of requests, from 0 to 1, answered with an
	// injected fault before any other check; 0 means none. Which requests
	// fail is drawn at random (see Seed).
	FailRate float64
	// FailStatus is the status of injected faults, 4xx or 5xx; 0 means 503.
	FailStatus int
	// FailRetryAfter is the Retry-After of injected faults, sent in whole
	// seconds rounded up; 0 sends none.
	FailRetryAfter time.Duration
	// FailPaths are the URL path prefixes, such as "/rest/", whose requests
	// may get injected faults; nil means every path.
	FailPaths []string
	// Latency holds every answer back this long.
	Latency time.Duration
	// LatencyJitter adds to Latency a random delay from 0 to LatencyJitter
	// (see Seed).
	LatencyJitter time.Duration
	// Sleep waits d, or until ctx is done and then returns ctx.Err(); it
	// applies the latency. nil means a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock that decides expiry; nil means time.Now.
	Now func() time.Time
	// Rand is the randomness for codes and tokens; nil means crypto/rand.
	// A deterministic reader makes tokens reproducible.
	Rand io.Reader
	// Seed, when not empty, makes codes and tokens (in place of Rand),
	// injected faults and latency jitter reproducible: each is drawn from
	// a ChaCha8 stream seeded with it, so the same sequence of requests
	// gets the same answers. The instance ID stays random.
	Seed string
	// StateDir, when not empty, is a folder (made if missing, mode 0700)
	// where Start keeps the certificate and key, the instance ID and the
	// codes and token pairs issued, in 0600 files, so that a sandbox
	// started again with the same StateDir (on any port) serves the same
	// certificate and accepts the same tokens. One sandbox at a time may
	// use a StateDir. New ignores it.
	StateDir string
	// RedirectURIs are the client's registered redirect URIs; nil means
	// OOBRedirectURI and "http://localhost". Loopback http URIs with any port
	// and path are accepted in addition (RFC 8252 §7.3).
	RedirectURIs []string
}

// Validate reports every setting that New would silently replace with its
// default. Start calls it.
func (c Config) Validate() error {
	var errs []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf("sandbox: "+format, args...))
		}
	}
	check(c.AccessTokenTTL >= 0 && c.CodeTTL >= 0, "AccessTokenTTL and CodeTTL must not be negative")
	check(oneOf(strings.ToLower(c.TokenErrorStatus), "", TokenErrorsLegacy, TokenErrorsRFC),
		"TokenErrorStatus %q: want %q or %q", c.TokenErrorStatus, TokenErrorsLegacy, TokenErrorsRFC)
	check(oneOf(strings.ToLower(c.CompanyHeader), "", CompanyHeaderRequired, CompanyHeaderLenient),
		"CompanyHeader %q: want %q or %q", c.CompanyHeader, CompanyHeaderRequired, CompanyHeaderLenient)
	check(c.MissingCompanyHeaderStatus == 0 || isErrorStatus(c.MissingCompanyHeaderStatus),
		"MissingCompanyHeaderStatus %d: want a 4xx or 5xx status", c.MissingCompanyHeaderStatus)
	check(c.RateLimit >= 0 && c.RateLimitWindow >= 0,
		"RateLimit %d and RateLimitWindow %s must not be negative", c.RateLimit, c.RateLimitWindow)
	check(c.FailRate >= 0 && c.FailRate <= 1, "FailRate %v: want a share from 0 to 1", c.FailRate)
	check(c.FailStatus == 0 || isErrorStatus(c.FailStatus), "FailStatus %d: want a 4xx or 5xx status", c.FailStatus)
	check(c.FailRetryAfter >= 0 && c.Latency >= 0 && c.LatencyJitter >= 0,
		"FailRetryAfter, Latency and LatencyJitter must not be negative")
	for _, p := range c.FailPaths {
		check(strings.HasPrefix(p, "/"), "fail path %q: want a URL path starting with /", p)
	}
	check(c.Seed == "" || c.Rand == nil, "set Seed or Rand, not both")
	for _, u := range c.RedirectURIs {
		p, err := url.Parse(u)
		check(err == nil && p.IsAbs(), "redirect URI %q is not an absolute URI", u)
	}
	return errors.Join(errs...)
}

func oneOf(s string, choices ...string) bool {
	for _, c := range choices {
		if s == c {
			return true
		}
	}
	return false
}

func isErrorStatus(code int) bool { return code >= 400 && code <= 599 }

// withDefaults returns c with every zero or unrecognised setting replaced by
// its default.
func (c Config) withDefaults() Config {
	c.AccessTokenTTL = positiveOr(c.AccessTokenTTL, 5400*time.Second)
	c.CodeTTL = positiveOr(c.CodeTTL, 10*time.Minute)
	c.RateLimitWindow = positiveOr(c.RateLimitWindow, time.Hour)
	if c.TokenErrorStatus = strings.ToLower(c.TokenErrorStatus); c.TokenErrorStatus != TokenErrorsRFC {
		c.TokenErrorStatus = TokenErrorsLegacy
	}
	if c.CompanyHeader = strings.ToLower(c.CompanyHeader); c.CompanyHeader != CompanyHeaderLenient {
		c.CompanyHeader = CompanyHeaderRequired
	}
	if !isErrorStatus(c.MissingCompanyHeaderStatus) {
		c.MissingCompanyHeaderStatus = http.StatusNotFound
	}
	if c.RateLimit <= 0 {
		c.RateLimit = 3600
	}
	if c.FailRate = min(c.FailRate, 1); !(c.FailRate > 0) || math.IsNaN(c.FailRate) {
		c.FailRate = 0
	}
	if !isErrorStatus(c.FailStatus) {
		c.FailStatus = http.StatusServiceUnavailable
	}
	c.FailRetryAfter, c.Latency, c.LatencyJitter = max(c.FailRetryAfter, 0), max(c.Latency, 0), max(c.LatencyJitter, 0)
	c.FailPaths = append([]string(nil), c.FailPaths...)
	if c.Sleep == nil {
		c.Sleep = sleep
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Rand == nil {
		c.Rand = rand.Reader
	}
	if c.RedirectURIs == nil {
		c.RedirectURIs = []string{OOBRedirectURI, "http://localhost"}
	} else {
		c.RedirectURIs = append([]string(nil), c.RedirectURIs...)
	}
	return c
}

func positiveOr(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// sleep waits d, or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
