package sandbox

import (
	"slices"
	"testing"
)

// TestSeedReproducible runs the same requests against sandboxes with the
// same and with different seeds: the same seed gives the same code and
// token pair, another seed other ones.
func TestSeedReproducible(t *testing.T) {
	t.Parallel()
	issued := func(seed string) []string {
		srv := newTestServer(t, Config{Seed: seed})
		code := authorizeCode(t, srv, OOBRedirectURI)
		r := postForm(t, srv, "/oauth/token", codeForm(code, OOBRedirectURI))
		var tok tokenResponse
		r.decode(t, &tok)
		return []string{code, tok.AccessToken, tok.RefreshToken}
	}
	a1, a2, b := issued("lab-42"), issued("lab-42"), issued("lab-43")
	if !slices.Equal(a1, a2) {
		t.Errorf("same seed: %v then %v, want the same", a1, a2)
	}
	for i := range a1 {
		if a1[i] == b[i] || a1[i] == "" {
			t.Errorf("value %d: %q with one seed and %q with another, want two different values", i, a1[i], b[i])
		}
	}
	if slices.Equal(issued(""), issued("")) {
		t.Error("two unseeded sandboxes issued the same code and tokens")
	}
}
