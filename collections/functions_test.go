package collections

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/eval"
)

// evalWith compiles src and evaluates it in a scope with a seeded runtime.
func evalWith(t *testing.T, src string, rt eval.Runtime) (any, error) {
	t.Helper()
	e, err := CompileExpr(src, Pos{File: "f.yaml", Line: 1, Col: 1})
	if err != nil {
		return nil, err
	}
	s := eval.NewScope(nil)
	s.SetRuntime(rt)
	s.Set("token", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTEiLCJpZCI6OTAwNzE5OTI1NDc0MDk5M30.")
	return e.Eval(s)
}

func TestFunctions(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "body.txt"), []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	frozen := time.Date(2024, 5, 17, 10, 30, 0, 0, time.UTC)
	rt := func() eval.Runtime {
		return eval.Runtime{Rand: eval.NewRand(42, true), Now: func() time.Time { return frozen }, Dir: dir}
	}
	tests := []struct {
		src  string
		want any
	}{
		{`now() | format("2006-01-02")`, "2024-05-17"},
		{`now() | offset("-24h") | format("2006-01-02T15:04")`, "2024-05-16T10:30"},
		{`unix()`, int64(1715941800)},
		{`unix(now())`, int64(1715941800)},
		{`base64_encode("user:pass")`, "dXNlcjpwYXNz"},
		{`base64_decode("dXNlcjpwYXNz")`, "user:pass"},
		{`base64url_encode("??>")`, "Pz8-"},
		{`base64url_decode("Pz8-")`, "??>"},
		{`url_encode("a b&c")`, "a+b%26c"},
		{`sha256("abc")`, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{`hmac_sha256("key", "The quick brown fox jumps over the lazy dog")`, "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"},
		{`pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")`, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"},
		{`jwt_decode(token).sub`, "user-1"},
		{`jwt_decode(token).id`, int64(9007199254740993)},
		{`json_encode({"a": [1, "x"]})`, `{"a":[1,"x"]}`},
		{`file("body.txt")`, "hello"},
		{`len(random_string(12))`, int64(12)},
		{`len(pkce_verifier())`, int64(64)},
		{`random_int(5, 5)`, int64(5)},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			got, err := evalWith(t, tt.src, rt())
			if err != nil {
				t.Fatalf("Eval(%q) error = %v", tt.src, err)
			}
			if got != tt.want {
				t.Errorf("Eval(%q) = %#v, want %#v", tt.src, got, tt.want)
			}
		})
	}
}

func TestFunctionErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ src, want string }{
		{`file("../secret")`, "file"},
		{`file("/etc/passwd")`, "file"},
		{`random_int(3, 1)`, "above"},
		{`base64_decode("%%%")`, "invalid base64"},
		{`jwt_decode("abc")`, "3 parts"},
		{`format(1, "2006")`, "format takes a time"},
		{`sha256(1)`, "takes a string"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			_, err := evalWith(t, tt.src, eval.Runtime{Dir: dir})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Eval(%q) error = %v, want it to contain %q", tt.src, err, tt.want)
			}
		})
	}
}

// TestSeedReproducible checks that a seed makes every random function
// reproducible and that different seeds differ.
func TestSeedReproducible(t *testing.T) {
	src := `[uuid(), ulid(), random_int(1, 1000000), random_string(16), pkce_verifier()]`
	frozen := func() time.Time { return time.Unix(1700000000, 0) }
	run := func(seed uint64) string {
		got, err := evalWith(t, src, eval.Runtime{Rand: eval.NewRand(seed, true), Now: frozen})
		if err != nil {
			t.Fatalf("Eval(%q) error = %v", src, err)
		}
		return eval.Stringify(got)
	}
	a, b, c := run(7), run(7), run(8)
	if a != b {
		t.Errorf("same seed gave %s and %s", a, b)
	}
	if a == c {
		t.Errorf("seeds 7 and 8 gave the same values %s", a)
	}
	got, _ := evalWith(t, `uuid()`, eval.Runtime{Rand: eval.NewRand(7, true)})
	if s, _ := got.(string); len(s) != 36 || s[14] != '4' {
		t.Errorf("uuid() = %v, want a version 4 UUID", got)
	}
}

func TestFunctionNamesReserved(t *testing.T) {
	src := "vars:\n  uuid: x\nsteps:\n  - GET: https://example.com\n"
	_, err := Parse("f.yaml", []byte(src), Options{})
	if err == nil || !strings.Contains(err.Error(), `variable name "uuid" is reserved`) {
		t.Errorf("Parse error = %v, want uuid reserved", err)
	}
}
