package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// requestLog is a handler that keeps the requests it received, with their
// bodies, and answers with a canned JSON body.
type requestLog struct {
	mu       sync.Mutex
	requests []*http.Request
	bodies   [][]byte
}

func (rec *requestLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	// A clone, so the test may parse it after the server is done with r.
	kept := r.Clone(context.Background())
	kept.Body = io.NopCloser(bytes.NewReader(body))
	rec.mu.Lock()
	rec.requests = append(rec.requests, kept)
	rec.bodies = append(rec.bodies, body)
	rec.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, `{"ok": true}`)
}

// last returns the last request received and its body.
func (rec *requestLog) last(t *testing.T) (*http.Request, []byte) {
	t.Helper()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.requests) == 0 {
		t.Fatal("the server received no request")
	}
	n := len(rec.requests) - 1
	return rec.requests[n], rec.bodies[n]
}

// all returns every request received, in order.
func (rec *requestLog) all() []*http.Request {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]*http.Request(nil), rec.requests...)
}

func TestCapturesChainIntoNextRequest(t *testing.T) {
	rec := &requestLog{}
	mux := http.NewServeMux()
	mux.HandleFunc("/source", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Token", "tok-123")
		w.Header().Set("Location", "/items/42")
		w.WriteHeader(http.StatusCreated)
		fmt.Fprint(w, `{"id": 9007199254740993, "name": "say \"hi\" \\ <b>", "ratio": 1.5, "tags": ["a", 2], "ref": "ref-77"}`)
	})
	mux.Handle("/sink", rec)
	base := newServer(t, mux).URL

	src := `steps:
  - name: source
    GET: "{{ base }}/source"
    capture:
      id: id
      name: { json: name }
      ratio: ratio
      tags: tags
      status: { status: true }
      token: { header: x-token }
      item: { header: Location, regex: '/items/(\d+)$' }
      ref: { regex: '"ref": "(ref-\d+)"' }
      raw: { body: true }
  - name: sink
    POST: "{{ base }}/sink"
    headers:
      X-Token: "{{ token }}"
    json:
      id: "{{ id }}"
      name: "{{ name }}"
      ratio: "{{ ratio }}"
      tags: "{{ tags }}"
      status: "{{ status }}"
      item: "{{ item }}"
      ref: "{{ ref }}"
      text: "id={{ id }}"
`
	res := runYAML(t, src, map[string]any{"base": base})
	wantOutcomes(t, res, "passed,passed")

	caps := res.Steps[0]
	for name, want := range map[string]string{
		"id":     "integer <9007199254740993>",
		"name":   `string <"say \"hi\" \\ <b>">`,
		"ratio":  "number <1.5>",
		"tags":   `array <["a",2]>`,
		"status": "integer <201>",
		"token":  `string <"tok-123">`,
		"item":   `string <"42">`,
		"ref":    `string <"ref-77">`,
	} {
		if got := captured(t, caps, name).String(); got != want {
			t.Errorf("capture %s = %s, want %s", name, got, want)
		}
	}
	if got := captured(t, caps, "raw").Value.(string); len(got) < 20 {
		t.Errorf("capture raw = %q, want the whole body", got)
	}

	req, body := rec.last(t)
	if got := req.Header.Get("X-Token"); got != "tok-123" {
		t.Errorf("sink got X-Token %q, want tok-123", got)
	}
	if ct := req.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("sink got Content-Type %q, want application/json", ct)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var got map[string]any
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("sink body %s is not valid JSON: %v", body, err)
	}
	want := map[string]any{
		"id":     json.Number("9007199254740993"),
		"name":   `say "hi" \ <b>`,
		"ratio":  json.Number("1.5"),
		"tags":   []any{"a", json.Number("2")},
		"status": json.Number("201"),
		"item":   "42",
		"ref":    "ref-77",
		"text":   "id=9007199254740993",
	}
	for k, w := range want {
		if g := fmt.Sprintf("%#v", got[k]); g != fmt.Sprintf("%#v", w) {
			t.Errorf("sink body %s = %s, want %#v (body %s)", k, g, w, body)
		}
	}
}

func TestCaptureFailures(t *testing.T) {
	base := fixtureServer(t)
	tests := []struct {
		name, capture, wantErr string
	}{
		{"json path matched nothing", `x: a.b`, `capture "x": json path "a.b" matched nothing`},
		{"header missing", `x: { header: X-Nope }`, `capture "x": header "X-Nope" not found`},
		{"regex matched nothing", `x: { regex: 'zzz(\d+)' }`, `capture "x": regex "zzz(\\d+)" matched nothing in the body`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fmt.Sprintf("steps:\n  - name: s\n    GET: \"{{ base }}/\"\n    capture:\n      %s\n  - name: next\n    GET: \"{{ base }}/\"\n", tt.capture)
			res := runYAML(t, src, map[string]any{"base": base})
			wantOutcomes(t, res, "failed,not run")
			// A capture that finds nothing in the body also quotes its start.
			if err := res.Steps[0].Err; err == nil || strings.SplitN(err.Error(), "; the body starts: ", 2)[0] != tt.wantErr {
				t.Errorf("step Err = %v, want %s", err, tt.wantErr)
			}
		})
	}
	t.Run("json capture on a body that is not JSON", func(t *testing.T) {
		src := "steps:\n  - name: s\n    GET: \"{{ base }}/text\"\n    capture:\n      x: a\n"
		res := runYAML(t, src, map[string]any{"base": base})
		wantOutcomes(t, res, "failed")
		want := `capture "x": json path "a": response body is not valid JSON`
		if err := res.Steps[0].Err; err == nil || err.Error() != want {
			t.Errorf("step Err = %v, want %s", err, want)
		}
	})
}

func TestCapturesCookiesRedirectsAndMarkup(t *testing.T) {
	base := contentServer(t)
	src := fmt.Sprintf(`steps:
  - name: redirected
    GET: %[1]s/redirect
    capture:
      session: {cookie: session}
      took: {duration: true}
      final: {url: true}
      hops: {redirects: true}
      fallback: {json: nope, default: 42}
  - name: page
    GET: %[1]s/html
    capture:
      by_xpath: {xpath: "//code[@id='authorization_code']"}
      by_css: {css: "#authorization_code"}
      items: {xpath: "count(//li)"}
`, base)
	res := runYAML(t, src, nil)
	wantOutcomes(t, res, "passed,passed")
	checks := []struct {
		step int
		name string
		want any
	}{
		{0, "session", "s-42"},
		{0, "final", base + "/json"},
		{0, "hops", int64(1)},
		{0, "fallback", int64(42)},
		{1, "by_xpath", "abc123"},
		{1, "by_css", "abc123"},
		{1, "items", int64(2)},
	}
	for _, c := range checks {
		if got := captured(t, res.Steps[c.step], c.name); got.Value != c.want {
			t.Errorf("capture %s = %v, want %v", c.name, got, c.want)
		}
	}
	if _, ok := captured(t, res.Steps[0], "took").Value.(int64); !ok {
		t.Errorf("capture took = %v, want an integer", captured(t, res.Steps[0], "took"))
	}
}
