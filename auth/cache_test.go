package auth

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/sandbox"
)

// TestFileCacheDamagedEntry damages the cached entry of a profile in
// several ways; the next run moves the file aside, warns once and obtains a
// new token, which later runs then reuse.
func TestFileCacheDamagedEntry(t *testing.T) {
	damages := []struct {
		name    string
		damage  func(valid []byte) []byte
		wantWhy string // in the warning
	}{
		{"truncated", func(b []byte) []byte { return b[:len(b)/2] }, "not JSON at byte"},
		{"garbage", func([]byte) []byte { return []byte("\x00\xffPK\x03\x04 not a token") }, "not JSON at byte 1 of 18"},
		{"empty", func([]byte) []byte { return nil }, "empty file"},
		{"wrong type", func([]byte) []byte { return []byte(`{"access_token": 5}`) }, "field access_token is not a string"},
	}
	grants := []struct {
		name    string
		profile func(cs *countingSandbox) Profile
	}{
		{"authorization code", (*countingSandbox).profile},
		{"client credentials", func(cs *countingSandbox) Profile {
			return Profile{Name: "svc", Grant: GrantClientCredentials, TokenURL: cs.URL + "/oauth/token",
				ClientID: sandbox.DemoClientID, ClientSecret: sandbox.DemoClientSecret}
		}},
	}
	for _, g := range grants {
		for _, d := range damages {
			t.Run(g.name+"/"+d.name, func(t *testing.T) {
				cs := newCountingSandbox(t, sandbox.Config{})
				p := g.profile(cs)
				dir := filepath.Join(t.TempDir(), "callsheet")
				ctx := testContext(t)
				first, err := cs.source(p, NewFileCache(dir), nil).Token(ctx)
				if err != nil {
					t.Fatal(err)
				}
				path := filepath.Join(dir, p.Key().id()+entrySuffix)
				valid, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				damaged := d.damage(valid)
				if err := os.WriteFile(path, damaged, 0o600); err != nil {
					t.Fatal(err)
				}

				var warnings []string
				cache := NewFileCache(dir)
				cache.Warn = func(msg string) { warnings = append(warnings, msg) }
				second, err := cs.source(p, cache, nil).Token(ctx)
				if err != nil {
					t.Fatalf("Token() with a damaged cache entry: %v", err)
				}
				cs.wantTokenRequests(t, 2)
				if second.AccessToken == first.AccessToken {
					t.Errorf("Token() returned the token of the damaged entry, want a new one")
				}
				if len(warnings) != 1 {
					t.Fatalf("warnings = %q, want one", warnings)
				}
				aside := wantSetAside(t, dir, damaged)
				w := warnings[0]
				for _, want := range []string{`profile "` + p.Name + `"`, d.wantWhy, aside, "new token"} {
					if !strings.Contains(w, want) {
						t.Errorf("warning %q does not contain %q", w, want)
					}
				}
				if strings.Contains(w, "\n") || strings.Contains(w, first.AccessToken) || (first.RefreshToken != "" && strings.Contains(w, first.RefreshToken)) {
					t.Errorf("warning %q is not one line free of tokens", w)
				}

				// The next run uses the new entry: no request, no warning.
				third, err := cs.source(p, cache, nil).Token(ctx)
				if err != nil || third.AccessToken != second.AccessToken {
					t.Errorf("Token() after recovery = %v, want the new cached token", err)
				}
				cs.wantTokenRequests(t, 2)
				if len(warnings) != 1 {
					t.Errorf("warnings after recovery = %q, want still one", warnings)
				}
			})
		}
	}
}

// wantSetAside checks that dir (mode 0700) holds one NAME.damaged-TIME file
// with the damaged bytes, mode 0600, and returns its path.
func wantSetAside(t *testing.T, dir string, damaged []byte) string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(dir, "*"+entrySuffix+".damaged-*"))
	if err != nil || len(matches) != 1 {
		t.Fatalf("damaged files in %s = %q, %v, want one", dir, matches, err)
	}
	got, err := os.ReadFile(matches[0])
	if err != nil || string(got) != string(damaged) {
		t.Errorf("%s holds %q, %v, want the damaged bytes", matches[0], got, err)
	}
	for path, mode := range map[string]os.FileMode{dir: 0o700, matches[0]: 0o600} {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != mode {
			t.Errorf("%s: mode %v, %v, want %v", path, fi.Mode().Perm(), err, mode)
		}
	}
	return matches[0]
}
