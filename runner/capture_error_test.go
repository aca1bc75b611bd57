package runner

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestCaptureErrorPos checks that a capture finding nothing fails the step
// with a *CaptureError at the capture's own line, with the query and a
// snippet of the body, and that a default: avoids it.
func TestCaptureErrorPos(t *testing.T) {
	base := contentServer(t)
	tests := []struct {
		name, capture string
		want          []string
	}{
		{"json path", "c: {json: user.nope}", []string{`capture "c": json path "user.nope" matched nothing`, `the body starts: {"id": 9007199254740993`}},
		{"xpath", `c: {xpath: "//nope"}`, []string{`capture "c": xpath "//nope" matched nothing`, "the body starts: {"}},
		{"cookie", "c: {cookie: nope}", []string{`capture "c": cookie "nope"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fmt.Sprintf("steps:\n  - GET: %s/json\n    capture:\n      ok: {json: name}\n      %s\n", base, tt.capture)
			res := runYAML(t, src, nil)
			wantOutcomes(t, res, "failed")
			var ce *CaptureError
			if !errors.As(res.Steps[0].Err, &ce) {
				t.Fatalf("error = %v (%T), want a *CaptureError", res.Steps[0].Err, res.Steps[0].Err)
			}
			if ce.Name != "c" || ce.Pos.Line != 5 || ce.Pos.Col != 7 {
				t.Errorf("CaptureError = %q at %d:%d, want \"c\" at 5:7", ce.Name, ce.Pos.Line, ce.Pos.Col)
			}
			for _, w := range tt.want {
				if !strings.Contains(ce.Error(), w) {
					t.Errorf("error = %q, want it to contain %q", ce.Error(), w)
				}
			}
		})
	}
	src := fmt.Sprintf("steps:\n  - GET: %s/json\n    capture:\n      c: {xpath: \"//nope\", default: none}\n", base)
	res := runYAML(t, src, nil)
	wantOutcomes(t, res, "passed")
	if got := captured(t, res.Steps[0], "c").Value; got != "none" {
		t.Errorf("capture with default = %v, want \"none\"", got)
	}
}

func TestCaptureNothingShowsSnippet(t *testing.T) {
	base := contentServer(t)
	res := runYAML(t, fmt.Sprintf("steps:\n  - GET: %s/html\n    capture:\n      c: {css: \"#nope\"}\n", base), nil)
	wantOutcomes(t, res, "failed")
	msg := res.Steps[0].Err.Error()
	for _, w := range []string{`css "#nope" matched nothing`, "the body starts: <html><body><h1> Your code"} {
		if !strings.Contains(msg, w) {
			t.Errorf("error = %q, want it to contain %q", msg, w)
		}
	}
}

// TestCaptureNothingOnALargeBody checks that the snippet of a large body
// costs what it shows, not copies of the body: the run allocates the
// body it reads and little more.
func TestCaptureNothingOnALargeBody(t *testing.T) {
	const size = 8 << 20
	body := []byte(`{"a": [` + strings.Repeat("1,  \n", size/5) + `1]}`)
	base := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})).URL
	c := parse(t, "steps:\n  - GET: \"{{ base }}/\"\n    capture:\n      c: {json: nope}\n", "base")
	var before, after runtimeMem
	before.read()
	res := runColl(t, nil, c, Options{Vars: map[string]any{"base": base}})
	after.read()
	wantOutcomes(t, res, "failed")
	if msg := res.Steps[0].Err.Error(); !strings.Contains(msg, `the body starts: {"a": [1, 1, 1,`) {
		t.Errorf("error = %q, want the start of the body on one line", msg)
	}
	if grew := after.totalAlloc - before.totalAlloc; grew > uint64(len(body))+allocOverhead {
		t.Errorf("the run allocated %d KiB, want at most the %d KiB body + %d KiB", grew>>10, len(body)>>10, allocOverhead>>10)
	}
}
