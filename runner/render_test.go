package runner

import (
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/exchange"
)

// newTestRenderer returns a renderer of c over a scope holding vars, its
// boundaries drawn from a seeded source.
func newTestRenderer(c *collections.Collection, vars map[string]any) *renderer {
	scope := eval.NewScope(nil)
	for k, v := range vars {
		scope.Set(k, v)
	}
	return &renderer{scope: scope, coll: c, rand: eval.NewRand(1, true), secret: map[string]bool{"token": true}, computed: true}
}

// TestRendererRequest renders requests without sending them: the URL
// with its query after the URL's own, the header fields in the order
// net/http writes them (a step's header replaces the default of that
// name), the body and its content type.
func TestRendererRequest(t *testing.T) {
	c := parse(t, `defaults:
  headers: {X-Default: d, Accept: text/plain}
steps:
  - name: form
    POST: "{{ base }}/items?a=1"
    query:
      - b: "{{ n }}"
      - b: [2, 3]
    headers:
      Accept: application/json
      Authorization: "Basic {{ base64_encode('u:' + token) }}"
    form: {name: Ada Lovelace, n: "{{ n }}"}
  - name: multipart
    POST: "{{ base }}/upload"
    multipart:
      note: {value: hi, content_type: text/markdown}
`, "base", "n", "token")
	rd := newTestRenderer(c, map[string]any{"base": "http://h", "n": int64(1), "token": "s3cret"})
	req, err := rd.request(c.Steps[0].Request())
	if err != nil {
		t.Fatal(err)
	}
	if want := "http://h/items?a=1&b=1&b=2&b=3"; req.URL != want {
		t.Errorf("URL = %q, want %q", req.URL, want)
	}
	var names []string
	for _, f := range req.Header {
		names = append(names, f.Name+": "+f.Value)
	}
	want := "Accept: application/json|Authorization: Basic dTpzM2NyZXQ=|Content-Type: application/x-www-form-urlencoded|User-Agent: " + exchange.DefaultUserAgent + "|X-Default: d"
	if got := strings.Join(names, "|"); got != want {
		t.Errorf("header =\n%s\nwant\n%s", got, want)
	}
	if got := string(req.Body); got != "name=Ada+Lovelace&n=1" || req.BodySize != int64(len(got)) {
		t.Errorf("body = %q (size %d)", got, req.BodySize)
	}
	if len(req.Computed) != 1 || req.Computed[0].Value != "dTpzM2NyZXQ=" || req.Computed[0].From[0] != "token" {
		t.Errorf("Computed = %+v, want the Basic credential computed from token", req.Computed)
	}
	first, err := rd.request(c.Steps[1].Request())
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Parts) != 1 || first.Parts[0].Header.Get("Content-Type") != "text/markdown" {
		t.Errorf("multipart parts = %+v, want one with its own Content-Type", first.Parts)
	}
	next, _ := rd.request(c.Steps[1].Request())
	seeded, _ := newTestRenderer(c, map[string]any{"base": "http://h"}).request(c.Steps[1].Request())
	if string(seeded.Body) != string(first.Body) || string(next.Body) == string(first.Body) {
		t.Error("multipart boundaries: want the same first body from the same seed, and a new boundary for the next")
	}
}
