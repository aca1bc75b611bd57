package console

import (
	"fmt"
	"io"
	"time"

	"github.com/callsheet/callsheet/auth"
	"github.com/callsheet/callsheet/internal/safetext"
)

// LoggedIn prints what `callsheet auth login` says once p has a token:
// the profile, its token URL, and when the token e expires and whether
// it can be refreshed. It never shows a token.
func LoggedIn(w io.Writer, p auth.Profile, e *auth.Entry) {
	fmt.Fprintf(w, "logged in: profile %s (%s), %s\n", safetext.Line(p.Name), safetext.Line(p.TokenURL), expiry(e))
}

// expiry says when an entry's access token expires and whether it can be
// refreshed.
func expiry(e *auth.Entry) string {
	s := "no expiry"
	if !e.Expiry.IsZero() {
		s = "expires " + e.Expiry.Local().Format(time.RFC3339)
	}
	if e.RefreshToken != "" {
		s += ", refreshable"
	}
	return s
}

// LoggedOut prints what `callsheet auth logout` did for p: nothing when
// it was not logged in (cached false), else that its token was removed
// from the cache, and revoked at its revoke_url or not.
func LoggedOut(w io.Writer, p auth.Profile, cached, revoked bool) {
	name := safetext.Line(p.Name)
	switch {
	case !cached:
		fmt.Fprintf(w, "profile %s was not logged in\n", name)
	case revoked:
		fmt.Fprintf(w, "logged out: profile %s, token revoked at %s and removed from the cache\n", name, safetext.Line(p.RevokeURL))
	default:
		fmt.Fprintf(w, "logged out: profile %s, token removed from the cache (no revoke_url to revoke it)\n", name)
	}
}

// TokenCache prints what `callsheet auth status` shows: the cache folder
// dir and a table of its entries (Tokens), or that it holds none.
func TokenCache(w io.Writer, dir string, entries []*auth.Entry) error {
	if len(entries) == 0 {
		fmt.Fprintf(w, "no cached tokens in %s\n", safetext.Line(dir))
		return nil
	}
	fmt.Fprintf(w, "cached tokens in %s:\n", safetext.Line(dir))
	return Tokens(w, entries)
}
