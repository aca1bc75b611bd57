package sandbox

import (
	"strconv"
	"time"
)

// sandboxExpiresIn is the token-request parameter that shortens the
// lifetime of the access token being issued, so that a collection can
// obtain an already expired token (sandbox_expires_in=0) and see the 401
// an expired token gets. Procore has no such parameter.
const sandboxExpiresIn = "sandbox_expires_in"

// applyExpiresIn gives the token just issued in resp the lifetime asked
// for with sandbox_expires_in (seconds, at least 0, at most the configured
// lifetime); other values are ignored.
func (s *Sandbox) applyExpiresIn(p map[string]string, resp *tokenResponse) {
	v, ok := p[sandboxExpiresIn]
	if !ok {
		return
	}
	secs, err := strconv.ParseInt(v, 10, 64)
	if err != nil || secs < 0 || time.Duration(secs)*time.Second > s.cfg.AccessTokenTTL {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.access[resp.AccessToken]
	if t == nil {
		return
	}
	t.expires = t.created.Add(time.Duration(secs) * time.Second)
	resp.ExpiresIn = secs
}
