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

// accessTokenTTL is the lifetime of the access token a token request with
// parameters p and settings k gets: its Sandbox-Token-TTL, else the one
// asked for with sandbox_expires_in (seconds, at least 0, at most the
// configured lifetime), else the configured one.
func (s *Sandbox) accessTokenTTL(p map[string]string, k knobs) time.Duration {
	if k.tokenTTL != nil {
		return *k.tokenTTL
	}
	v, ok := p[sandboxExpiresIn]
	if !ok {
		return s.cfg.AccessTokenTTL
	}
	secs, err := strconv.ParseInt(v, 10, 64)
	if err != nil || secs < 0 || time.Duration(secs)*time.Second > s.cfg.AccessTokenTTL {
		return s.cfg.AccessTokenTTL
	}
	return time.Duration(secs) * time.Second
}
