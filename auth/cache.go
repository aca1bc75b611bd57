package auth

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/callsheet/callsheet/internal/atomicfile"
)

// Key identifies one profile's tokens in a [Cache].
type Key struct {
	Profile  string
	ClientID string
	TokenURL string
}

// id is a file-name-safe digest of the key.
func (k Key) id() string {
	sum := sha256.Sum256([]byte(k.Profile + "\x00" + k.ClientID + "\x00" + k.TokenURL))
	return hex.EncodeToString(sum[:12])
}

// Entry is what a cache stores for a profile: the tokens, their expiry and
// the key they belong to. It holds secrets; String redacts them.
type Entry struct {
	Profile      string    `json:"profile"`
	ClientID     string    `json:"client_id"`
	TokenURL     string    `json:"token_url"`
	AccessToken  string    `json:"access_token"`
	TokenType    string    `json:"token_type,omitempty"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"`
	// Saved is when the entry was written.
	Saved time.Time `json:"saved,omitzero"`
	// Instance is the server instance that issued the tokens, as its
	// token response named it (InstanceHeader); empty when it named none.
	Instance string `json:"instance,omitempty"`
}

// String describes the entry with the tokens redacted.
func (e Entry) String() string {
	return fmt.Sprintf("{Profile:%s ClientID:%s TokenURL:%s AccessToken:%s RefreshToken:%s Expiry:%s}",
		e.Profile, e.ClientID, e.TokenURL, redacted(e.AccessToken), redacted(e.RefreshToken), e.Expiry.Format(time.RFC3339))
}

// GoString is like String, for the %#v verb.
func (e Entry) GoString() string { return "auth.Entry" + e.String() }

// Key returns the key the entry is stored under.
func (e Entry) Key() Key { return Key{Profile: e.Profile, ClientID: e.ClientID, TokenURL: e.TokenURL} }

// Cache stores token entries between requests and, for [FileCache],
// between runs. Implementations are safe for concurrent use.
//
// Lock serialises everything that may use a refresh token: the holder
// loads, refreshes and saves, so that a rotated refresh token is never used
// twice. Load returns nil and no error when nothing is stored.
type Cache interface {
	Load(k Key) (*Entry, error)
	Save(k Key, e *Entry) error
	Delete(k Key) error
	Lock(ctx context.Context, k Key) (unlock func(), err error)
	List() ([]*Entry, error)
}

// MemoryCache keeps entries in memory for the life of the process (the
// --no-token-cache mode). The zero value is ready to use.
type MemoryCache struct {
	mu      sync.Mutex
	entries map[Key]Entry
	locks   keyLocks
}

// NewMemoryCache returns an empty MemoryCache.
func NewMemoryCache() *MemoryCache { return &MemoryCache{} }

// Load returns a copy of the entry for k, or nil.
func (c *MemoryCache) Load(k Key) (*Entry, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok {
		return nil, nil
	}
	return &e, nil
}

// Save stores a copy of e under k.
func (c *MemoryCache) Save(k Key, e *Entry) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[Key]Entry{}
	}
	c.entries[k] = *e
	return nil
}

// Delete removes the entry for k.
func (c *MemoryCache) Delete(k Key) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, k)
	return nil
}

// Lock takes the in-process lock of k, waiting at most until ctx is done.
func (c *MemoryCache) Lock(ctx context.Context, k Key) (func(), error) {
	return c.locks.lock(ctx, k)
}

// List returns copies of all entries, sorted by profile.
func (c *MemoryCache) List() ([]*Entry, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]*Entry, 0, len(c.entries))
	for _, e := range c.entries {
		out = append(out, &e)
	}
	sortEntries(out)
	return out, nil
}

// keyLocks is a set of per-key locks that can be waited on with a context.
type keyLocks struct {
	mu    sync.Mutex
	locks map[Key]chan struct{}
}

func (l *keyLocks) lock(ctx context.Context, k Key) (func(), error) {
	l.mu.Lock()
	if l.locks == nil {
		l.locks = map[Key]chan struct{}{}
	}
	ch, ok := l.locks[k]
	if !ok {
		ch = make(chan struct{}, 1)
		l.locks[k] = ch
	}
	l.mu.Unlock()
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("token cache: waiting for the lock of profile %q: %w", k.Profile, context.Cause(ctx))
	}
}

// CacheDirEnv is the environment variable that says where the token
// cache is, in place of DefaultCacheDir (tests, CI caches).
const CacheDirEnv = "CALLSHEET_CACHE_DIR"

// CacheDir is the folder of the token cache: $CALLSHEET_CACHE_DIR (as
// lookupEnv reads it) when set and not empty, else DefaultCacheDir.
func CacheDir(lookupEnv func(string) (string, bool)) (string, error) {
	if dir, ok := lookupEnv(CacheDirEnv); ok && dir != "" {
		return dir, nil
	}
	dir, err := DefaultCacheDir()
	if err != nil {
		return "", fmt.Errorf("%w (set %s)", err, CacheDirEnv)
	}
	return dir, nil
}

// DefaultCacheDir is os.UserCacheDir()/callsheet, where FileCache keeps
// tokens unless told otherwise.
func DefaultCacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("token cache: %w", err)
	}
	return filepath.Join(dir, "callsheet"), nil
}

// FileCache keeps one JSON file per key in Dir, so that tokens survive
// between runs. The directory is created with mode 0700 and files are
// written with mode 0600, atomically (a temporary file renamed over the
// old one), so that a writer killed midway leaves the previous entry. Lock
// takes an advisory file lock (flock on Unix) beside the entry, so two
// processes never refresh the same token at once.
//
// An entry file that does not parse is renamed to NAME.damaged-TIME in Dir
// and Load reports no entry, so that its profile gets a new token; Warn
// says so.
type FileCache struct {
	// Dir is the cache directory, such as DefaultCacheDir().
	Dir string
	// Warn, when set, receives one-line warnings, such as a damaged entry
	// moved aside. They never hold a token. The package prints nothing.
	Warn func(msg string)
	// Now is the clock naming damaged entries; nil means time.Now.
	Now func() time.Time

	locks keyLocks
	// wrapWriter, when set, wraps the writer Save writes an entry through
	// (tests stop a writer midway with it).
	wrapWriter func(io.Writer) io.Writer
}

// NewFileCache returns a FileCache storing its files in dir.
func NewFileCache(dir string) *FileCache { return &FileCache{Dir: dir} }

// entrySuffix ends the name of every entry file.
const entrySuffix = ".token.json"

func (c *FileCache) path(k Key) string { return filepath.Join(c.Dir, k.id()+entrySuffix) }

// ensureDir creates Dir with mode 0700 and tightens an existing one.
func (c *FileCache) ensureDir() error {
	if c.Dir == "" {
		return errors.New("token cache: no directory")
	}
	err := os.MkdirAll(c.Dir, 0o700)
	if err == nil {
		err = os.Chmod(c.Dir, 0o700)
	}
	if err != nil {
		return fmt.Errorf("token cache: %w", err)
	}
	return nil
}

// Load reads the entry for k; nil when there is none. A damaged entry is
// moved aside (see [FileCache]) and reads as none.
func (c *FileCache) Load(k Key) (*Entry, error) {
	path := c.path(k)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("token cache: %w", err)
	}
	var e Entry
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, c.setAside(k, path, damage(err, len(data)))
	}
	if e.Key() != k {
		return nil, nil // a digest collision or a hand-edited file: not ours
	}
	return &e, nil
}

// setAside renames the damaged entry file of k to NAME.damaged-TIME in the
// same folder and warns about it. A file another process has already moved
// is not an error.
func (c *FileCache) setAside(k Key, path, why string) error {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	aside := path + ".damaged-" + now().UTC().Format("20060102T150405.000000000Z")
	if err := os.Rename(path, aside); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("token cache: the entry of profile %q is damaged (%s) and could not be moved aside: %w", k.Profile, why, err)
	}
	if c.Warn != nil {
		c.Warn(fmt.Sprintf("token cache: the entry of profile %q was damaged (%s); moved it to %s; the profile needs a new token", k.Profile, why, aside))
	}
	return nil
}

// damage describes why an entry file of size bytes did not parse, without
// quoting any of it (the file may hold parts of tokens).
func damage(err error, size int) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case size == 0:
		return "empty file"
	case errors.As(err, &syntax):
		return fmt.Sprintf("not JSON at byte %d of %d", syntax.Offset, size)
	case errors.As(err, &typ):
		return fmt.Sprintf("field %s is not a %s", typ.Field, typ.Type)
	}
	return "not a token entry"
}

// Save writes e for k atomically with mode 0600.
func (c *FileCache) Save(k Key, e *Entry) error {
	if err := c.ensureDir(); err != nil {
		return err
	}
	data, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return fmt.Errorf("token cache: %w", err)
	}
	err = atomicfile.Write(c.path(k), 0o600, func(w io.Writer) error {
		if c.wrapWriter != nil {
			w = c.wrapWriter(w)
		}
		_, err := w.Write(data)
		return err
	})
	if err != nil {
		return fmt.Errorf("token cache: %w", err)
	}
	return nil
}

// Delete removes the entry for k; a missing entry is not an error.
func (c *FileCache) Delete(k Key) error {
	err := os.Remove(c.path(k))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("token cache: %w", err)
	}
	return nil
}

// Lock takes the in-process lock of k, then an exclusive file lock on a
// lock file beside the entry, waiting at most until ctx is done.
func (c *FileCache) Lock(ctx context.Context, k Key) (func(), error) {
	unlockMem, err := c.locks.lock(ctx, k)
	if err != nil {
		return nil, err
	}
	if err := c.ensureDir(); err != nil {
		unlockMem()
		return nil, err
	}
	unlockFile, err := lockFile(ctx, filepath.Join(c.Dir, k.id()+".lock"))
	if err != nil {
		unlockMem()
		return nil, fmt.Errorf("token cache: lock for profile %q: %w", k.Profile, err)
	}
	return func() {
		unlockFile()
		unlockMem()
	}, nil
}

// List reads every entry of the directory, sorted by profile; an absent
// directory holds none.
func (c *FileCache) List() ([]*Entry, error) {
	files, err := os.ReadDir(c.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("token cache: %w", err)
	}
	var out []*Entry
	for _, f := range files {
		if f.IsDir() || !strings.HasSuffix(f.Name(), entrySuffix) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(c.Dir, f.Name()))
		if err != nil {
			return nil, fmt.Errorf("token cache: %w", err)
		}
		var e Entry
		if json.Unmarshal(data, &e) != nil {
			continue
		}
		out = append(out, &e)
	}
	sortEntries(out)
	return out, nil
}

// sortEntries sorts by profile, then token URL, then client ID.
func sortEntries(es []*Entry) {
	slices.SortFunc(es, func(a, b *Entry) int {
		return cmp.Or(strings.Compare(a.Profile, b.Profile), strings.Compare(a.TokenURL, b.TokenURL), strings.Compare(a.ClientID, b.ClientID))
	})
}
