package eval

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/google/uuid"
	"github.com/oklog/ulid/v2"
)

// Template functions come in two kinds. Pure functions (base64_encode,
// sha256, format, …) are registered with expr when an expression is
// compiled. Functions that read the run's random source, clock or folder
// (uuid, now, random_int, file, …) are values in the Scope, reading the
// Runtime SetRuntime gives it, so each run has its own and nothing is
// global: a run started with a seed and a frozen clock produces the same
// values every time.

// Runtime is what the run-dependent template functions read.
type Runtime struct {
	// Rand is the source of uuid(), ulid(), random_int, random_string and
	// pkce_verifier(); nil means a source seeded from crypto/rand.
	Rand *mrand.Rand
	// Now is the clock of now(), unix() and ulid(); nil means time.Now.
	Now func() time.Time
	// Dir is the folder file(path) reads from; paths may not leave it. An
	// empty Dir makes file() fail.
	Dir string
}

// NewRand returns a random source for Runtime.Rand: reproducible from seed
// when seeded is true, else seeded from crypto/rand.
func NewRand(seed uint64, seeded bool) *mrand.Rand {
	if seeded {
		return mrand.New(mrand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	}
	var key [32]byte
	_, _ = rand.Read(key[:]) // crypto/rand.Read never fails
	return mrand.New(mrand.NewChaCha8(key))
}

// function is a template function: how many arguments it takes (-1 when
// it checks them itself) and what it does with them.
type function struct {
	arity int
	call  func(args []any) (any, error)
}

// runtimeFuncs are the functions that read the run's Runtime, by name.
// Each is bound to the scope's Runtime, read at every call, so that
// SetRuntime replaces what the bound functions read.
var runtimeFuncs = map[string]func(rt *Runtime) function{
	"uuid": func(rt *Runtime) function {
		return function{0, func([]any) (any, error) {
			u, err := uuid.NewRandomFromReader(randReader{rt.rand()})
			if err != nil {
				return nil, err
			}
			return u.String(), nil
		}}
	},
	"ulid": func(rt *Runtime) function {
		return function{0, func([]any) (any, error) {
			id, err := ulid.New(ulid.Timestamp(rt.now()), randReader{rt.rand()})
			if err != nil {
				return nil, err
			}
			return id.String(), nil
		}}
	},
	"now": func(rt *Runtime) function { return function{0, func([]any) (any, error) { return rt.now(), nil }} },
	"unix": func(rt *Runtime) function {
		return function{-1, func(args []any) (any, error) { return unix(rt, args) }}
	},
	"random_int": func(rt *Runtime) function {
		return function{2, func(args []any) (any, error) { return randomInt(rt, args) }}
	},
	"random_string": func(rt *Runtime) function {
		return function{1, func(args []any) (any, error) { return randomText(rt, args) }}
	},
	"pkce_verifier": func(rt *Runtime) function {
		// RFC 7636 section 4.1: 43 to 128 unreserved characters.
		return function{0, func([]any) (any, error) { return randomString(rt.rand(), 64, alphanumeric+"-._~"), nil }}
	},
	"file": func(rt *Runtime) function {
		return function{1, func(args []any) (any, error) {
			name, ok := args[0].(string)
			if !ok {
				return nil, fmt.Errorf("file takes a path (string), not %T", args[0])
			}
			return readFileIn(rt.Dir, name)
		}}
	},
}

// rand returns the random source, seeding one from crypto/rand at its
// first use when rt has none.
func (rt *Runtime) rand() *mrand.Rand {
	if rt.Rand == nil {
		rt.Rand = NewRand(0, false)
	}
	return rt.Rand
}

// now reads the clock, time.Now when rt has none.
func (rt *Runtime) now() time.Time {
	if rt.Now == nil {
		return time.Now()
	}
	return rt.Now()
}

// SetRuntime makes the run-dependent functions of the scope read rt,
// replacing the Runtime they read before.
func (s *Scope) SetRuntime(rt Runtime) { s.rt = rt }

// exprEnv returns the variables as expr reads them, the run-dependent
// functions installed at the first call: most runs evaluate no
// expression that calls one, and a variable alone is read without expr.
func (s *Scope) exprEnv() map[string]any {
	s.envVars()
	if !s.bound {
		s.bound = true
		for name, bind := range runtimeFuncs {
			s.vars[name] = checked(name, bind(&s.rt))
		}
	}
	return s.vars
}

// checked returns f as expr calls it, its arguments counted first.
func checked(name string, f function) func(args ...any) (any, error) {
	return func(args ...any) (any, error) {
		if f.arity >= 0 {
			if err := arity(name, args, f.arity); err != nil {
				return nil, err
			}
		}
		return f.call(args)
	}
}

// unix returns the Unix time of now, or of its argument.
func unix(rt *Runtime, args []any) (any, error) {
	if len(args) == 0 {
		return rt.now().Unix(), nil
	}
	if err := arity("unix", args, 1); err != nil {
		return nil, err
	}
	t, err := timeArg("unix", args[0])
	if err != nil {
		return nil, err
	}
	return t.Unix(), nil
}

// randomInt returns an integer between its two arguments, inclusive.
func randomInt(rt *Runtime, args []any) (any, error) {
	lo, err1 := intArg("random_int", args[0])
	hi, err2 := intArg("random_int", args[1])
	if err := errors.Join(err1, err2); err != nil {
		return nil, err
	}
	if hi < lo {
		return nil, fmt.Errorf("random_int(%d, %d): the first bound is above the second", lo, hi)
	}
	span := uint64(hi - lo)
	if span == ^uint64(0) {
		return int64(rt.rand().Uint64()), nil
	}
	return lo + int64(rt.rand().Uint64N(span+1)), nil
}

// randomText returns a random alphanumeric string of the length given.
func randomText(rt *Runtime, args []any) (any, error) {
	n, err := intArg("random_string", args[0])
	if err != nil {
		return nil, err
	}
	if n < 0 || n > 1<<20 {
		return nil, fmt.Errorf("random_string(%d): length must be between 0 and 1048576", n)
	}
	return randomString(rt.rand(), int(n), alphanumeric), nil
}

// readFileIn reads name relative to dir, refusing paths that leave dir
// (through .., an absolute path or a symbolic link).
func readFileIn(dir, name string) (string, error) {
	if dir == "" {
		return "", fmt.Errorf("file(%q): the collection has no folder to read from", name)
	}
	if !filepath.IsLocal(name) {
		return "", fmt.Errorf("file(%q): refused: the path leaves the collection's folder (write it relative to the folder, without ..)", name)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return "", fmt.Errorf("file(%q): %w", name, err)
	}
	defer root.Close()
	b, err := root.ReadFile(name)
	if err != nil {
		return "", fmt.Errorf("file(%q): %w", name, err)
	}
	return string(b), nil
}

const alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func randomString(r *mrand.Rand, n int, alphabet string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// randReader reads bytes from a math/rand/v2 source, for uuid and ulid.
type randReader struct{ r *mrand.Rand }

func (rr randReader) Read(p []byte) (int, error) {
	var buf [8]byte
	for i := 0; i < len(p); i += 8 {
		binary.LittleEndian.PutUint64(buf[:], rr.r.Uint64())
		copy(p[i:], buf[:])
	}
	return len(p), nil
}

// stringFuncs are the pure functions of one string, by name.
var stringFuncs = map[string]func(string) (any, error){
	"base64_encode":    func(s string) (any, error) { return base64.StdEncoding.EncodeToString([]byte(s)), nil },
	"base64url_encode": func(s string) (any, error) { return base64.RawURLEncoding.EncodeToString([]byte(s)), nil },
	"base64_decode":    func(s string) (any, error) { return decodeBase64(s, base64.StdEncoding) },
	"base64url_decode": func(s string) (any, error) { return decodeBase64(s, base64.URLEncoding) },
	"url_encode":       func(s string) (any, error) { return url.QueryEscape(s), nil },
	"sha256": func(s string) (any, error) {
		sum := sha256.Sum256([]byte(s))
		return hex.EncodeToString(sum[:]), nil
	},
	"pkce_challenge": func(s string) (any, error) {
		sum := sha256.Sum256([]byte(s))
		return base64.RawURLEncoding.EncodeToString(sum[:]), nil
	},
	"jwt_decode": jwtClaims,
}

// otherFuncs are the other pure functions, by name.
var otherFuncs = map[string]function{
	"hmac_sha256": {2, func(args []any) (any, error) {
		key, err1 := stringArg("hmac_sha256", args[0])
		msg, err2 := stringArg("hmac_sha256", args[1])
		if err := errors.Join(err1, err2); err != nil {
			return nil, err
		}
		m := hmac.New(sha256.New, []byte(key))
		m.Write([]byte(msg))
		return hex.EncodeToString(m.Sum(nil)), nil
	}},
	"json_encode": {1, func(args []any) (any, error) { return JSONText(normalize(args[0])), nil }},
	"format": {2, func(args []any) (any, error) {
		t, err1 := timeArg("format", args[0])
		layout, err2 := stringArg("format", args[1])
		if err := errors.Join(err1, err2); err != nil {
			return nil, err
		}
		return t.Format(layout), nil
	}},
	"offset": {2, func(args []any) (any, error) {
		t, err1 := timeArg("offset", args[0])
		d, err2 := stringArg("offset", args[1])
		if err := errors.Join(err1, err2); err != nil {
			return nil, err
		}
		dur, err := time.ParseDuration(d)
		if err != nil {
			return nil, fmt.Errorf("offset: %w", err)
		}
		return t.Add(dur), nil
	}},
}

// IsFunction reports whether name is a template function, which no
// variable may be called.
func IsFunction(name string) bool {
	_, runtime := runtimeFuncs[name]
	_, str := stringFuncs[name]
	_, other := otherFuncs[name]
	return runtime || str || other
}

// options are the compile options of every expression: the pure
// functions, and the builtin now() replaced by the Scope's clock.
func options() []expr.Option {
	opts := []expr.Option{expr.DisableBuiltin("now")}
	for name, fn := range stringFuncs {
		opts = append(opts, expr.Function(name, checked(name, function{1, func(args []any) (any, error) {
			s, err := stringArg(name, args[0])
			if err != nil {
				return nil, err
			}
			return fn(s)
		}})))
	}
	for name, f := range otherFuncs {
		opts = append(opts, expr.Function(name, checked(name, f)))
	}
	return opts
}

func decodeBase64(s string, enc *base64.Encoding) (any, error) {
	s = strings.TrimRight(s, "=")
	b, err := enc.WithPadding(base64.NoPadding).DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("invalid base64: %w", err)
	}
	return string(b), nil
}

// jwtClaims decodes the payload of a JWT without verifying it.
func jwtClaims(token string) (any, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("jwt_decode: a JWT has 3 parts separated by dots, not %d", len(parts))
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil, fmt.Errorf("jwt_decode: payload is not base64url: %w", err)
	}
	claims, err := DecodeJSON(payload)
	if _, isObject := claims.(map[string]any); err != nil || !isObject {
		if err == nil {
			err = errors.New("not an object")
		}
		return nil, fmt.Errorf("jwt_decode: payload is not a JSON object: %w", err)
	}
	return claims, nil
}

func arity(name string, args []any, n int) error {
	if len(args) != n {
		return fmt.Errorf("%s takes %d argument(s), not %d", name, n, len(args))
	}
	return nil
}

func stringArg(name string, x any) (string, error) {
	s, ok := x.(string)
	if !ok {
		return "", fmt.Errorf("%s takes a string, not %T", name, x)
	}
	return s, nil
}

func intArg(name string, x any) (int64, error) {
	switch n := normalize(x).(type) {
	case int64:
		return n, nil
	case float64:
		if n == float64(int64(n)) {
			return int64(n), nil
		}
	}
	return 0, fmt.Errorf("%s takes integers, not %T", name, x)
}

// timeArg accepts a time or an RFC 3339 string.
func timeArg(name string, x any) (time.Time, error) {
	switch t := x.(type) {
	case time.Time:
		return t, nil
	case string:
		parsed, err := time.Parse(time.RFC3339Nano, t)
		if err != nil {
			return time.Time{}, fmt.Errorf("%s: %q is not an RFC 3339 time", name, t)
		}
		return parsed, nil
	}
	return time.Time{}, fmt.Errorf("%s takes a time, not %T", name, x)
}

// With sets name to value for the duration of a call and returns a
// function that restores the previous state. Assert expressions use it to
// see the response as res.
func (s *Scope) With(name string, value any) (restore func()) {
	old, had := s.vars[name]
	s.vars[name] = value
	return func() {
		if had {
			s.vars[name] = old
		} else {
			delete(s.vars, name)
		}
	}
}
