package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
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

// Config holds the sandbox settings. The zero value means Procore's defaults.
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
	// RedirectURIs are the client's registered redirect URIs; nil means
	// OOBRedirectURI and "http://localhost". Loopback http URIs with any port
	// and path are accepted in addition (RFC 8252 §7.3).
	RedirectURIs []string
}

// Validate reports every setting that New would silently replace with its
// default. Start calls it.
func (c Config) Validate() error {
	var errs []error
	if c.AccessTokenTTL < 0 || c.CodeTTL < 0 {
		errs = append(errs, errors.New("sandbox: AccessTokenTTL and CodeTTL must not be negative"))
	}
	switch strings.ToLower(c.TokenErrorStatus) {
	case "", TokenErrorsLegacy, TokenErrorsRFC:
	default:
		errs = append(errs, fmt.Errorf("sandbox: TokenErrorStatus %q: want %q or %q", c.TokenErrorStatus, TokenErrorsLegacy, TokenErrorsRFC))
	}
	switch strings.ToLower(c.CompanyHeader) {
	case "", CompanyHeaderRequired, CompanyHeaderLenient:
	default:
		errs = append(errs, fmt.Errorf("sandbox: CompanyHeader %q: want %q or %q", c.CompanyHeader, CompanyHeaderRequired, CompanyHeaderLenient))
	}
	if s := c.MissingCompanyHeaderStatus; s != 0 && (s < 400 || s > 599) {
		errs = append(errs, fmt.Errorf("sandbox: MissingCompanyHeaderStatus %d: want a 4xx or 5xx status", s))
	}
	if c.Seed != "" && c.Rand != nil {
		errs = append(errs, errors.New("sandbox: set Seed or Rand, not both"))
	}
	if c.RateLimit < 0 || c.RateLimitWindow < 0 {
		errs = append(errs, fmt.Errorf("sandbox: RateLimit %d and RateLimitWindow %s must not be negative", c.RateLimit, c.RateLimitWindow))
	}
	for _, u := range c.RedirectURIs {
		if p, err := url.Parse(u); err != nil || !p.IsAbs() {
			errs = append(errs, fmt.Errorf("sandbox: redirect URI %q is not an absolute URI", u))
		}
	}
	return errors.Join(errs...)
}

// withDefaults returns c with every zero or unrecognised setting replaced by
// its default.
func (c Config) withDefaults() Config {
	if c.AccessTokenTTL <= 0 {
		c.AccessTokenTTL = 5400 * time.Second
	}
	if c.CodeTTL <= 0 {
		c.CodeTTL = 10 * time.Minute
	}
	if c.TokenErrorStatus = strings.ToLower(c.TokenErrorStatus); c.TokenErrorStatus != TokenErrorsRFC {
		c.TokenErrorStatus = TokenErrorsLegacy
	}
	if c.CompanyHeader = strings.ToLower(c.CompanyHeader); c.CompanyHeader != CompanyHeaderLenient {
		c.CompanyHeader = CompanyHeaderRequired
	}
	if s := c.MissingCompanyHeaderStatus; s < 400 || s > 599 {
		c.MissingCompanyHeaderStatus = http.StatusNotFound
	}
	if c.RateLimit <= 0 {
		c.RateLimit = 3600
	}
	if c.RateLimitWindow <= 0 {
		c.RateLimitWindow = time.Hour
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

// Sandbox is the in-memory Procore imitation. All state lives on it, and it
// is safe for concurrent use.
type Sandbox struct {
	cfg    Config
	fx     fixtures
	routes []route

	mu sync.Mutex
	// tokenStream is the seeded stream behind cfg.Rand; nil without
	// Config.Seed.
	tokenStream *mrand.ChaCha8
	codes       map[string]*grant     // authorization code → grant
	access      map[string]*tokenPair // access token → pair
	refresh     map[string]*tokenPair // refresh token → pair
	windows     map[string]*rateWindow
	failures    map[string][]failure // path → queued faults
	// codeOrder and pairOrder hold the codes and pairs in the order they
	// were issued, so the oldest go first past MaxCodes and MaxTokenPairs
	// (store.go).
	codeOrder []string
	pairOrder []*tokenPair
}

// grant is an issued authorization code.
type grant struct {
	clientID, redirectURI string
	userID                int64
	expires               time.Time
}

// tokenPair is an access token with its refresh token (empty for client
// credentials). Revoking the pair revokes both.
type tokenPair struct {
	access, refresh string
	clientID        string
	ownerID         int64
	service         bool // issued by client_credentials
	created         time.Time
	expires         time.Time
	revoked         bool
}

type route struct {
	method, path string
	handler      http.HandlerFunc
}

// New returns a Sandbox with fresh fixtures. Settings that are zero or not
// recognised take their defaults; use Config.Validate to catch mistakes.
func New(cfg Config) *Sandbox {
	s := &Sandbox{
		cfg:      cfg.withDefaults(),
		fx:       newFixtures(),
		codes:    make(map[string]*grant),
		access:   make(map[string]*tokenPair),
		refresh:  make(map[string]*tokenPair),
		windows:  make(map[string]*rateWindow),
		failures: make(map[string][]failure),
	}
	if cfg.Seed != "" {
		s.tokenStream = seededStream(cfg.Seed, "tokens")
		s.cfg.Rand = s.tokenStream
	}
	s.routes = []route{
		{http.MethodGet, "/oauth/authorize", s.authorize},
		{http.MethodPost, "/oauth/token", s.token},
		{http.MethodPost, "/oauth/token/", s.token},
		{http.MethodGet, "/oauth/token/info", s.tokenInfo},
		{http.MethodPost, "/oauth/revoke", s.revoke},
		{http.MethodGet, "/rest/v1.0/me", s.rest(s.me)},
		{http.MethodGet, "/rest/v1.0/companies", s.rest(s.companies)},
		{http.MethodGet, "/rest/v1.0/projects", s.rest(s.projects(false))},
		{http.MethodGet, "/rest/v1.1/projects", s.rest(s.projects(true))},
	}
	return s
}

// Handler returns the handler for /oauth/* and /rest/* on one origin.
func (s *Sandbox) Handler() http.Handler {
	return http.HandlerFunc(s.serveHTTP)
}

func (s *Sandbox) serveHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Request-Id", newRequestID())
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if f, ok := s.takeFailure(r.URL.Path); ok {
		f.write(w)
		return
	}
	for _, rt := range s.routes {
		if rt.path == r.URL.Path && rt.method == r.Method {
			rt.handler(w, r)
			return
		}
	}
	if code, ok := strings.CutPrefix(r.URL.Path, "/oauth/authorize/"); ok && r.Method == http.MethodGet && code != "" && !strings.Contains(code, "/") {
		s.showCode(w, code)
		return
	}
	writeJSON(w, http.StatusNotFound, restError{"Not found"})
}

func (s *Sandbox) now() time.Time { return s.cfg.Now() }

// randomHexLocked returns 64 lower-case hex characters from cfg.Rand. The
// caller holds s.mu, so Rand needs no locking of its own.
func (s *Sandbox) randomHexLocked() (string, error) {
	var b [32]byte
	if _, err := io.ReadFull(s.cfg.Rand, b[:]); err != nil {
		return "", fmt.Errorf("sandbox: read random bytes: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// newRequestID returns a random UUID v4. It uses crypto/rand, not
// Config.Rand, so request IDs do not shift deterministic tokens.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand.Read docs)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// restError is the v1 REST error body.
type restError struct {
	Errors string `json:"errors"`
}

// writeJSON writes v as the response body with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil { // only the package's own types get here
		status, b = http.StatusInternalServerError, []byte(`{"errors":"Internal Server Error"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
