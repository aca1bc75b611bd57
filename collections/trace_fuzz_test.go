package collections

import (
	"testing"
	"time"

	"github.com/callsheet/callsheet/eval"
)

// FuzzExprEval compiles and evaluates arbitrary expressions, with their
// trace, against a scope holding a response: it must never panic.
func FuzzExprEval(f *testing.F) {
	for _, s := range []string{
		"len(res.json) >= 3", "res.status == 200 && res.json.id > 1", "uuid()", "now() | format('2006')",
		"random_int(1, 0)", "random_string(-1)", "jwt_decode('a.b.c')", "file('../x')", "not res.json",
		"res.json[10]", "1/0", "base64_decode(res.body)", "hmac_sha256(1, 2)", "offset(now(), 'x')",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := CompileExpr(src, Pos{File: "f", Line: 1, Col: 1})
		if err != nil {
			return
		}
		s := eval.NewScope(nil)
		s.SetRuntime(eval.Runtime{Rand: eval.NewRand(1, true), Now: func() time.Time { return time.Unix(0, 0) }, Dir: t.TempDir()})
		restore := s.With(ResName, map[string]any{"status": int64(200), "json": []any{int64(1), "a"}, "body": "eyJ9"})
		defer restore()
		_, _ = e.Eval(s)
		if tr := e.TraceMasked(s, nil); len(tr) < 2 {
			t.Errorf("TraceMasked(%q) = %q, want at least the source and the result", src, tr)
		}
	})
}
