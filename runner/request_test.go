package runner

import (
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

func TestRequestBodies(t *testing.T) {
	rec := &requestLog{}
	base := newServer(t, rec).URL

	t.Run("form", func(t *testing.T) {
		src := `steps:
  - name: form
    POST: "{{ base }}/form"
    form:
      b: "x&y=z"
      a: "{{ 7 * 6 }}"
`
		wantOutcomes(t, runYAML(t, src, map[string]any{"base": base}), "passed")
		req, body := rec.last(t)
		if got, want := string(body), "b=x%26y%3Dz&a=42"; got != want {
			t.Errorf("form body = %q, want %q (in order)", got, want)
		}
		if ct := req.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
			t.Errorf("Content-Type = %q", ct)
		}
		if err := req.ParseForm(); err != nil || req.PostForm.Get("b") != "x&y=z" {
			t.Errorf("server parsed form %v, %v; want b=x&y=z", req.PostForm, err)
		}
	})

	t.Run("multipart", func(t *testing.T) {
		dir := t.TempDir()
		file := filepath.Join(dir, "test.yaml")
		if err := os.WriteFile(filepath.Join(dir, "data.json"), []byte(`{"k":1}`), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "blob.unknownext"), []byte{0, 1, 2}, 0o600); err != nil {
			t.Fatal(err)
		}
		src := `steps:
  - name: upload
    POST: "{{ base }}/upload"
    multipart:
      title: hello
      doc: { file: data.json }
      blob: { file: blob.unknownext, filename: "renamed.bin" }
`
		if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := collections.Load(file, collections.Options{Defined: []string{"base"}})
		if err != nil {
			t.Fatal(err)
		}
		wantOutcomes(t, runColl(t, nil, c, Options{Vars: map[string]any{"base": base}}), "passed")
		req, _ := rec.last(t)
		if err := req.ParseMultipartForm(1 << 20); err != nil {
			t.Fatalf("server ParseMultipartForm() error = %v", err)
		}
		if got := req.MultipartForm.Value["title"]; len(got) != 1 || got[0] != "hello" {
			t.Errorf("field title = %q, want hello", got)
		}
		for field, want := range map[string]struct{ name, ctype, content string }{
			"doc":  {"data.json", "application/json", `{"k":1}`},
			"blob": {"renamed.bin", "application/octet-stream", "\x00\x01\x02"},
		} {
			fhs := req.MultipartForm.File[field]
			if len(fhs) != 1 {
				t.Fatalf("file part %s: got %d parts", field, len(fhs))
			}
			fh := fhs[0]
			f, err := fh.Open()
			if err != nil {
				t.Fatal(err)
			}
			content, _ := io.ReadAll(f)
			f.Close()
			if fh.Filename != want.name || fh.Header.Get("Content-Type") != want.ctype || string(content) != want.content {
				t.Errorf("file part %s = {%s %s %q}, want %v", field, fh.Filename, fh.Header.Get("Content-Type"), content, want)
			}
		}
	})

	t.Run("raw", func(t *testing.T) {
		src := `steps:
  - name: raw
    PUT: "{{ base }}/raw"
    body: "plain {{ base != '' }} text"
  - name: raw with type
    PUT: "{{ base }}/raw"
    headers:
      Content-Type: application/xml
    body: "<a/>"
`
		res := runColl(t, nil, parse(t, src, "base"), Options{Vars: map[string]any{"base": base}, Retention: Retention{KeepBodies: true}})
		wantOutcomes(t, res, "passed,passed")
		if got := string(res.Steps[0].Request.Body); got != "plain true text" {
			t.Errorf("RequestInfo.Body = %q", got)
		}
		if ct := res.Steps[0].Request.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
			t.Errorf("raw Content-Type = %q", ct)
		}
		req, body := rec.last(t)
		if req.Header.Get("Content-Type") != "application/xml" || string(body) != "<a/>" {
			t.Errorf("server got %q with Content-Type %q", body, req.Header.Get("Content-Type"))
		}
	})

	t.Run("json keeps types and escapes", func(t *testing.T) {
		src := `vars:
  n: 12
  quoted: 'a "b" <c> & d'
steps:
  - name: json
    POST: "{{ base }}/json"
    json:
      n: "{{ n }}"
      s: "{{ quoted }}"
      list: ["{{ n + 1 }}", true, null]
      text: "n is {{ n }}"
`
		wantOutcomes(t, runYAML(t, src, map[string]any{"base": base}), "passed")
		_, body := rec.last(t)
		want := `{"n":12,"s":"a \"b\" <c> & d","list":[13,true,null],"text":"n is 12"}` // keys as written
		if string(body) != want {
			t.Errorf("json body = %s, want %s", body, want)
		}
	})
}

func TestRequestQueryAndHeaders(t *testing.T) {
	rec := &requestLog{}
	base := newServer(t, rec).URL
	src := `defaults:
  headers:
    X-A: default-a
    X-B: default-b
steps:
  - name: q
    GET: "{{ base }}/q?z=1"
    query:
      b: 2
      a: "x y&"
    headers:
      x-b: step-b
  - name: agent
    GET: "{{ base }}/agent"
    headers:
      User-Agent: mine
`
	res := runYAML(t, src, map[string]any{"base": base})
	wantOutcomes(t, res, "passed,passed")
	reqs := rec.all()
	first := reqs[0]
	if got, want := first.URL.RawQuery, "z=1&b=2&a=x+y%26"; got != want {
		t.Errorf("query = %q, want %q", got, want)
	}
	for name, want := range map[string]string{"X-A": "default-a", "X-B": "step-b", "User-Agent": "callsheet"} {
		if got := first.Header.Values(name); len(got) != 1 || got[0] != want {
			t.Errorf("header %s = %q, want [%s]", name, got, want)
		}
	}
	if got := reqs[1].Header.Get("User-Agent"); got != "mine" {
		t.Errorf("User-Agent = %q, want mine", got)
	}
	if got := res.Steps[0].Request.URL; got != base+"/q?z=1&b=2&a=x+y%26" {
		t.Errorf("RequestInfo.URL = %q", got)
	}
}

func TestVarPrecedence(t *testing.T) {
	rec := &requestLog{}
	base := newServer(t, rec).URL
	src := `vars:
  a: from-collection
  b: "{{ env.CALLSHEET_TEST_UNSET }}"
  c: "{{ a }}-{{ b }}"
steps:
  - name: vars
    GET: "{{ base }}/"
    headers:
      X-A: "{{ a }}"
      X-C: "{{ c }}"
`
	env := func(name string) (string, bool) { return "", false }
	c := parse(t, src, "base")
	res := runColl(t, nil, c, Options{
		Vars:      map[string]any{"base": base, "b": "from-override"},
		LookupEnv: env,
	})
	wantOutcomes(t, res, "passed")
	req, _ := rec.last(t)
	if got := req.Header.Get("X-A"); got != "from-collection" {
		t.Errorf("X-A = %q, want from-collection", got)
	}
	if got := req.Header.Get("X-C"); got != "from-collection-from-override" {
		t.Errorf("X-C = %q, want the override used by later vars", got)
	}

	t.Run("override wins over collection var", func(t *testing.T) {
		res := runColl(t, nil, c, Options{Vars: map[string]any{"base": base, "a": "from-var", "b": "x"}})
		wantOutcomes(t, res, "passed")
		if req, _ := rec.last(t); req.Header.Get("X-A") != "from-var" {
			t.Errorf("X-A = %q, want from-var", req.Header.Get("X-A"))
		}
	})

	t.Run("var that fails to evaluate stops the run", func(t *testing.T) {
		var notified []Outcome
		res := runColl(t, nil, c, Options{
			Vars:      map[string]any{"base": base},
			LookupEnv: env,
			OnStep:    func(s *StepResult) { notified = append(notified, s.Outcome) },
		})
		var undef *collections.UndefinedError
		if !errors.As(res.Err, &undef) || !undef.Env || undef.Name != "CALLSHEET_TEST_UNSET" {
			t.Fatalf("Run() Err = %v, want an UndefinedError for the env var", res.Err)
		}
		if !strings.HasPrefix(res.Err.Error(), `var "b": `) {
			t.Errorf("Err = %q, want it to name the var", res.Err)
		}
		if got := outcomes(res); got != "not run" {
			t.Errorf("outcomes = %s, want not run", got)
		}
		if len(notified) != 1 || notified[0] != NotRun {
			t.Errorf("OnStep saw %v, want [not run]", notified)
		}
	})
}

func TestUserAgentAndMethod(t *testing.T) {
	rec := &requestLog{}
	base := newServer(t, rec).URL
	res := runYAML(t, "steps:\n  - name: d\n    DELETE: \"{{ base }}/x\"\n", map[string]any{"base": base})
	wantOutcomes(t, res, "passed")
	got, _ := rec.last(t)
	if got.Method != http.MethodDelete || got.UserAgent() != "callsheet" {
		t.Errorf("server got %s with User-Agent %q", got.Method, got.UserAgent())
	}
}
