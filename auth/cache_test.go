package auth

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

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
		{"bad time", func([]byte) []byte { return []byte(`{"expiry": "soon"}`) }, "not a token entry"},
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
				cache.Now = func() time.Time { return time.Date(2026, 3, 1, 10, 0, 0, 5, time.FixedZone("CET", 3600)) }
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
				aside := path + ".damaged-20260301T090000.000000005Z"
				wantSetAside(t, dir, aside, damaged)
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

// wantSetAside checks that dir (mode 0700) holds one damaged file, aside,
// with the damaged bytes and mode 0600.
func wantSetAside(t *testing.T, dir, aside string, damaged []byte) {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(dir, "*"+entrySuffix+".damaged-*"))
	if err != nil || !slices.Equal(matches, []string{aside}) {
		t.Fatalf("damaged files in %s = %q, %v, want %s", dir, matches, err, aside)
	}
	got, err := os.ReadFile(aside)
	if err != nil || string(got) != string(damaged) {
		t.Errorf("%s holds %q, %v, want the damaged bytes", aside, got, err)
	}
	for path, mode := range map[string]os.FileMode{dir: 0o700, aside: 0o600} {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != mode {
			t.Errorf("%s: mode %v, %v, want %v", path, fi.Mode().Perm(), err, mode)
		}
	}
}

// TestFileCacheDamagedEntryStuck damages an entry whose file cannot be
// moved aside (its new name is taken by a folder): Load fails and says why.
func TestFileCacheDamagedEntryStuck(t *testing.T) {
	c := NewFileCache(t.TempDir())
	c.Now = func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }
	var warnings []string
	c.Warn = func(msg string) { warnings = append(warnings, msg) }
	k := Key{Profile: "p"}
	path := c.path(k)
	if err := os.WriteFile(path, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	folderAt(filepath.Base(path)+".damaged-20260301T090000.000000000Z")(t, c.Dir)
	e, err := c.Load(k)
	const want = `token cache: the entry of profile "p" is damaged (not JSON at byte 1 of 7) and could not be moved aside: rename `
	if e != nil || err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Load() = %v, %v, want an error starting %q", e, err, want)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings = %q, want none", warnings)
	}
}

// TestFileCacheTightensFolder saves into an existing folder open to others:
// it becomes 0700.
func TestFileCacheTightensFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "callsheet")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := NewFileCache(dir).Save(Key{Profile: "p"}, &Entry{Profile: "p"}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("folder mode after Save = %v, %v, want 0700", fi.Mode().Perm(), err)
	}
}

// TestFileCacheLayout pins the names of a key's files: every version of
// callsheet sharing a cache folder must find the same entry and take the
// same lock. The name is the first 12 bytes of SHA-256 over profile,
// client ID and token URL joined by NUL bytes.
func TestFileCacheLayout(t *testing.T) {
	c := NewFileCache(t.TempDir())
	k := Key{Profile: "procore", ClientID: "client-1", TokenURL: "https://login.example/oauth/token"}
	unlock, err := c.Lock(testContext(t), k)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Save(k, &Entry{Profile: k.Profile, ClientID: k.ClientID, TokenURL: k.TokenURL, AccessToken: "a"}); err != nil {
		t.Fatal(err)
	}
	unlock()
	var names []string
	files, _ := os.ReadDir(c.Dir)
	for _, f := range files {
		names = append(names, f.Name())
	}
	want := []string{"0aa5499f3c56b1f50f72fb10.lock", "0aa5499f3c56b1f50f72fb10.token.json"}
	if !slices.Equal(names, want) {
		t.Errorf("cache folder holds %q, want %q", names, want)
	}
}

// TestFileCacheKeysKeptApart saves entries whose keys would share a file if
// their parts were joined without a separator: each loads back its own.
func TestFileCacheKeysKeptApart(t *testing.T) {
	c := NewFileCache(t.TempDir())
	keys := []Key{
		{Profile: "ab", ClientID: "c", TokenURL: "u"},
		{Profile: "a", ClientID: "bc", TokenURL: "u"},
		{Profile: "p", ClientID: "x", TokenURL: "yz"},
		{Profile: "p", ClientID: "xy", TokenURL: "z"},
	}
	for i, k := range keys {
		if err := c.Save(k, &Entry{Profile: k.Profile, ClientID: k.ClientID, TokenURL: k.TokenURL, AccessToken: fmt.Sprint("token-", i)}); err != nil {
			t.Fatal(err)
		}
	}
	for i, k := range keys {
		if e, err := c.Load(k); err != nil || e == nil || e.AccessToken != fmt.Sprint("token-", i) {
			t.Errorf("Load(%+v) = %v, %v, want token-%d", k, e, err, i)
		}
	}
}

func TestEntryStringRedacts(t *testing.T) {
	e := Entry{Profile: "p", ClientID: "c", TokenURL: "https://x/token", AccessToken: "access-secret",
		RefreshToken: "refresh-secret", Expiry: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	tests := []struct{ format, want string }{
		{"%v", "{Profile:p ClientID:c TokenURL:https://x/token AccessToken:REDACTED RefreshToken:REDACTED Expiry:2026-03-01T09:00:00Z}"},
		{"%s", "{Profile:p ClientID:c TokenURL:https://x/token AccessToken:REDACTED RefreshToken:REDACTED Expiry:2026-03-01T09:00:00Z}"},
		{"%#v", "auth.Entry{Profile:p ClientID:c TokenURL:https://x/token AccessToken:REDACTED RefreshToken:REDACTED Expiry:2026-03-01T09:00:00Z}"},
	}
	for _, tt := range tests {
		if got := fmt.Sprintf(tt.format, e); got != tt.want {
			t.Errorf("Sprintf(%q) = %s, want %s", tt.format, got, tt.want)
		}
		if got := fmt.Sprintf(tt.format, &e); got != tt.want {
			t.Errorf("Sprintf(%q) of a pointer = %s, want %s", tt.format, got, tt.want)
		}
	}
}

// TestCacheList saves entries out of order into each kind of cache and
// lists them sorted by profile, token URL and client ID. The file cache
// lists only its entry files.
func TestCacheList(t *testing.T) {
	keys := []Key{{"b", "c1", "u1"}, {"a", "c1", "u2"}, {"a", "c2", "u1"}, {"a", "c1", "u1"}}
	want := []Key{{"a", "c1", "u1"}, {"a", "c2", "u1"}, {"a", "c1", "u2"}, {"b", "c1", "u1"}}
	dir := t.TempDir()
	for name, c := range map[string]Cache{"memory": NewMemoryCache(), "file": NewFileCache(dir)} {
		t.Run(name, func(t *testing.T) {
			if list, err := c.List(); err != nil || len(list) != 0 {
				t.Errorf("List() of an empty cache = %v, %v, want none", list, err)
			}
			for _, k := range keys {
				if err := c.Save(k, &Entry{Profile: k.Profile, ClientID: k.ClientID, TokenURL: k.TokenURL, AccessToken: "t-" + k.Profile}); err != nil {
					t.Fatal(err)
				}
			}
			if name == "file" {
				addNonEntries(t, dir)
			}
			list, err := c.List()
			if err != nil {
				t.Fatal(err)
			}
			var got []Key
			for _, e := range list {
				got = append(got, e.Key())
				if e.AccessToken != "t-"+e.Profile {
					t.Errorf("listed entry %v has another token", e)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("List() keys = %v, want %v", got, want)
			}
		})
	}
}

// addNonEntries puts into a cache folder what List must skip: a folder and
// a damaged file with the entry suffix, and entry JSON under other names.
func addNonEntries(t *testing.T, dir string) {
	t.Helper()
	stray := `{"profile": "stray", "access_token": "t-stray"}`
	for name, data := range map[string]string{
		"damaged" + entrySuffix: "{garbage",
		"notes.json":            stray,
		"x" + entrySuffix + ".damaged-20260301T090000Z":   stray,
		".x" + entrySuffix + ".123.tmp":                   stray,
		filepath.Join("folder"+entrySuffix, "inner.json"): stray,
	} {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCacheLockWaits holds the lock of a key: another Lock of the same
// cache waits until its context ends, and works once the lock is released.
func TestCacheLockWaits(t *testing.T) {
	for name, c := range map[string]Cache{"memory": NewMemoryCache(), "file": NewFileCache(t.TempDir())} {
		t.Run(name, func(t *testing.T) {
			k := Key{Profile: "p"}
			unlock, err := c.Lock(testContext(t), k)
			if err != nil {
				t.Fatal(err)
			}
			other, err := c.Lock(testContext(t), Key{Profile: "q"})
			if err != nil {
				t.Fatalf("Lock() of another key: %v", err)
			}
			other()
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			// With a done context, a Lock that could take the lock might
			// return either way (select chooses at random): 20 tries make
			// a missing exclusion show.
			for range 20 {
				if u, err := c.Lock(ctx, k); !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), `profile "p"`) || u != nil {
					t.Fatalf("second Lock() error = %v, want context.Canceled naming the profile while the first holds it", err)
				}
			}
			unlock()
			unlock2, err := c.Lock(testContext(t), k)
			if err != nil {
				t.Fatalf("Lock() after unlock error = %v", err)
			}
			unlock2()
		})
	}
}

func TestDefaultCacheDir(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("os.UserCacheDir reads XDG_CACHE_HOME on Linux only")
	}
	t.Setenv("XDG_CACHE_HOME", "/home/u/.cache")
	if dir, err := DefaultCacheDir(); err != nil || dir != "/home/u/.cache/callsheet" {
		t.Errorf("DefaultCacheDir() = %q, %v, want /home/u/.cache/callsheet", dir, err)
	}
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	if dir, err := DefaultCacheDir(); err == nil || !strings.HasPrefix(err.Error(), "token cache: ") {
		t.Errorf("DefaultCacheDir() without HOME = %q, %v, want a token cache error", dir, err)
	}
}

// TestFileCacheErrors breaks the cache folder in several ways: each
// operation fails with a "token cache: " error saying why, and a failed
// Lock leaves no lock held behind it.
func TestFileCacheErrors(t *testing.T) {
	k := Key{Profile: "p", ClientID: "c", TokenURL: "u"}
	entry := &Entry{Profile: "p", ClientID: "c", TokenURL: "u", AccessToken: "a"}
	// Each setup returns the cache folder.
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) string
		op    string // save, load, delete, lock, list
		want  string
	}{
		{"no folder: save", func(*testing.T, string) string { return "" }, "save", "no directory"},
		{"no folder: lock", func(*testing.T, string) string { return "" }, "lock", "no directory"},
		{"folder under a file: save", underFile, "save", "mkdir "},
		{"folder under a file: lock", underFile, "lock", "mkdir "},
		{"folder under a file: list", underFile, "list", "not a directory"},
		{"entry is a folder: load", entryFolder(k), "load", "is a directory"},
		{"entry is a folder: save", entryFolder(k), "save", "file exists"},
		{"entry is a folder: delete", entryFolder(k), "delete", "directory not empty"},
		{"lock is a folder: lock", lockFolder(k), "lock", "is a directory"},
		{"entry is a dangling link: list", danglingEntry, "list", "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewFileCache(tt.setup(t, t.TempDir()))
			// Twice: a lock left held by the first call would make the
			// second wait, then fail with the context's error instead.
			for range 2 {
				var err error
				switch tt.op {
				case "save":
					err = c.Save(k, entry)
				case "load":
					_, err = c.Load(k)
				case "delete":
					err = c.Delete(k)
				case "lock":
					var unlock func()
					if unlock, err = c.Lock(testContext(t), k); err == nil {
						unlock()
					}
				case "list":
					_, err = c.List()
				}
				if err == nil || !strings.HasPrefix(err.Error(), "token cache: ") || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("%s: error = %v, want a token cache error saying %q", tt.op, err, tt.want)
				}
			}
		})
	}
}

func TestFileCacheSaveUnencodable(t *testing.T) {
	c := NewFileCache(t.TempDir())
	k := Key{Profile: "p"}
	err := c.Save(k, &Entry{Profile: "p", Expiry: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err == nil || !strings.HasPrefix(err.Error(), "token cache: ") {
		t.Errorf("Save() of an expiry in year 10000 error = %v, want a token cache error", err)
	}
	if e, err := c.Load(k); e != nil || err != nil {
		t.Errorf("Load() after a failed save = %v, %v, want nothing", e, err)
	}
}

func TestFileCacheDeleteMissing(t *testing.T) {
	c := NewFileCache(filepath.Join(t.TempDir(), "absent"))
	if err := c.Delete(Key{Profile: "p"}); err != nil {
		t.Errorf("Delete() of a missing entry = %v, want nil", err)
	}
	if list, err := c.List(); list != nil || err != nil {
		t.Errorf("List() of a missing folder = %v, %v, want nothing", list, err)
	}
}

// underFile returns a cache folder whose parent is a regular file.
func underFile(t *testing.T, dir string) string {
	t.Helper()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(file, "callsheet")
}

// entryFolder returns a setup putting a non-empty folder where the entry
// of k goes.
func entryFolder(k Key) func(*testing.T, string) string {
	return folderAt(k.id() + entrySuffix)
}

// lockFolder returns a setup putting a non-empty folder where the lock
// file of k goes.
func lockFolder(k Key) func(*testing.T, string) string {
	return folderAt(k.id() + ".lock")
}

func folderAt(name string) func(*testing.T, string) string {
	return func(t *testing.T, dir string) string {
		t.Helper()
		if err := os.MkdirAll(filepath.Join(dir, name), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name, "x"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		return dir
	}
}

// danglingEntry puts an entry file that is a link to nothing in dir.
func danglingEntry(t *testing.T, dir string) string {
	t.Helper()
	if err := os.Symlink(filepath.Join(dir, "gone"), filepath.Join(dir, "x"+entrySuffix)); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCacheDir(t *testing.T) {
	def, err := DefaultCacheDir()
	if err != nil {
		t.Skipf("no user cache folder here: %v", err)
	}
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"set", map[string]string{CacheDirEnv: "/tmp/tokens"}, "/tmp/tokens"},
		{"empty", map[string]string{CacheDirEnv: ""}, def},
		{"unset", nil, def},
	}
	for _, tt := range tests {
		got, err := CacheDir(func(name string) (string, bool) { v, ok := tt.env[name]; return v, ok })
		if err != nil || got != tt.want {
			t.Errorf("%s: CacheDir() = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}
