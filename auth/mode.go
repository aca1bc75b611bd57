package auth

import (
	"crypto/rand"
	"fmt"
	"net"
	"net/url"
)

// Mode is the way an [Authorizer] obtains the authorization code.
type Mode int

const (
	// ModeAuto visits the authorization URL itself and expects the server
	// to approve without a user: a redirect whose Location carries the code,
	// or a page showing it in <code id="authorization_code"> (failing that,
	// a page whose path ends in 64 hex digits, such as Procore's
	// /oauth/authorize/<code>). Redirects without a code are followed, at
	// most 10. The state is checked on redirects; a page has none to check.
	ModeAuto Mode = iota + 1
	// ModeLoopback listens on the loopback redirect URI, shows the URL (and
	// opens a browser) and waits for the browser to be redirected back. The
	// first redirect carrying a code or an error ends the wait.
	ModeLoopback
	// ModeOOBPrompt shows the URL and reads one line the user pastes: the
	// code, or the whole URL the browser was redirected to (whose state
	// and error are then checked).
	ModeOOBPrompt
)

// String returns "auto", "loopback" or "prompt".
func (m Mode) String() string {
	switch m {
	case ModeAuto:
		return "auto"
	case ModeLoopback:
		return "loopback"
	case ModeOOBPrompt:
		return "prompt"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// ChooseMode picks the mode for req: [ModeAuto] when auto is set (automatic
// consent, as under --sandbox or "auto: true"); otherwise [ModeLoopback] when
// the redirect URI is an http URI on 127.0.0.1, [::1] or localhost (a browser
// is needed, not a terminal); otherwise [ModeOOBPrompt] when interactive (a
// terminal can be prompted). In the remaining case it returns a
// *[CodeNeededError] whose message tells the user how to supply the code and
// which URL to open.
//
// It also validates req, so an invalid request is reported before any mode.
func ChooseMode(req Request, auto, interactive bool) (Mode, error) {
	if err := req.validate(); err != nil {
		return 0, err
	}
	if auto {
		return ModeAuto, nil
	}
	u, err := url.Parse(req.RedirectURI)
	if err != nil {
		return 0, fmt.Errorf("authorize: invalid redirect URI: %w", err)
	}
	if isLoopback(u) {
		return ModeLoopback, nil
	}
	if interactive {
		return ModeOOBPrompt, nil
	}
	state, err := randomString(rand.Reader)
	if err != nil {
		return 0, err
	}
	return 0, &CodeNeededError{AuthURL: authCodeURL(req, req.RedirectURI, state, "")}
}

// isLoopback reports whether u is an http URI on a loopback host (RFC 8252
// section 7.3).
func isLoopback(u *url.URL) bool {
	if u.Scheme != "http" {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
