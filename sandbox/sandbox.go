package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Sandbox is the in-memory Procore imitation. All state lives on it, and it
// is safe for concurrent use.
type Sandbox struct {
	cfg      Config
	fx       fixtures
	routes   []route
	instance string // see Instance

	mu sync.Mutex
	// tokenStream is the seeded stream behind cfg.Rand; nil without
	// Config.Seed. faultStream, behind dice, draws faults and jitter.
	tokenStream, faultStream *mrand.ChaCha8
	dice                     *mrand.Rand
	codes                    map[string]*grant     // authorization code → grant
	access                   map[string]*tokenPair // access token → pair
	refresh                  map[string]*tokenPair // refresh token → pair
	windows                  map[string]*rateWindow
	failures                 map[string][]failure // path → queued faults
	// failCounts counts the faults of each Sandbox-Fail with times=,
	// keyed by method, path and value; failOrder is their first-seen
	// order (faults.go).
	failCounts map[string]int
	failOrder  []string
	// onChange, when set, is called (with mu held) after each change to
	// the codes and token pairs, for the state saver (state.go).
	onChange func()
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
	handler      func(http.ResponseWriter, *http.Request, knobs)
}

// New returns a Sandbox with fresh fixtures. Settings that are zero or not
// recognised take their defaults; use Config.Validate to catch mistakes.
func New(cfg Config) *Sandbox {
	s := &Sandbox{
		cfg:        cfg.withDefaults(),
		fx:         newFixtures(),
		codes:      make(map[string]*grant),
		access:     make(map[string]*tokenPair),
		refresh:    make(map[string]*tokenPair),
		windows:    make(map[string]*rateWindow),
		failures:   make(map[string][]failure),
		failCounts: make(map[string]int),
		instance:   newInstanceID(),
	}
	if cfg.Seed != "" {
		s.tokenStream = seededStream(cfg.Seed, "tokens")
		s.cfg.Rand = s.tokenStream
		s.faultStream = seededStream(cfg.Seed, "faults")
	} else {
		s.faultStream = randomStream()
	}
	s.dice = mrand.New(s.faultStream)
	s.routes = []route{
		{http.MethodGet, "/oauth/authorize", s.authorize},
		{http.MethodPost, "/oauth/token", s.token},
		{http.MethodPost, "/oauth/token/", s.token},
		{http.MethodGet, "/oauth/token/info", withoutKnobs(s.tokenInfo)},
		{http.MethodPost, "/oauth/revoke", withoutKnobs(s.revoke)},
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

// serveHTTP reads the request's Sandbox-* settings, holds it back for its
// latency, answers an injected fault if it gets one, and else routes it.
func (s *Sandbox) serveHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Request-Id", newRequestID())
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set(InstanceHeader, s.Instance())
	k, err := readKnobs(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, restError{err.Error()})
		return
	}
	if err := s.delay(r.Context(), k); err != nil {
		return // the client has gone
	}
	if f, ok := s.injectedFault(r, k); ok {
		f.write(w)
		return
	}
	for _, rt := range s.routes {
		if rt.path == r.URL.Path && rt.method == r.Method {
			rt.handler(w, r, k)
			return
		}
	}
	if code, ok := strings.CutPrefix(r.URL.Path, "/oauth/authorize/"); ok && r.Method == http.MethodGet && code != "" && !strings.Contains(code, "/") {
		s.showCode(w, code)
		return
	}
	writeJSON(w, http.StatusNotFound, restError{"Not found"})
}

// withoutKnobs adapts a handler that takes no Sandbox-* settings.
func withoutKnobs(h http.HandlerFunc) func(http.ResponseWriter, *http.Request, knobs) {
	return func(w http.ResponseWriter, r *http.Request, _ knobs) { h(w, r) }
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

// InstanceHeader is the response header, sent on every answer, that carries
// the sandbox's instance ID.
const InstanceHeader = "Sandbox-Instance"

// Instance returns the sandbox's instance ID: 32 random hex digits, new for
// each Sandbox, so that a client can tell that a token it holds comes from
// another sandbox (one since stopped, or another one running) and is
// unknown here. A Server started with Config.StateDir keeps the ID of the
// sandbox whose state it takes over, with its tokens. Config.Seed does not
// fix it: two sandboxes with one seed issue the same tokens, but neither
// knows the other's.
func (s *Sandbox) Instance() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.instance
}

func newInstanceID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand.Read docs)
	return hex.EncodeToString(b[:])
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
