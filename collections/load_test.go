package collections

import (
	"bytes"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/internal/golden"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestParseValid(t *testing.T) {
	files, err := filepath.Glob("testdata/valid/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no valid cases: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(file)
			if _, err := Parse(name, src, Options{}); err != nil {
				t.Errorf("Parse(%s) error:\n%s", file, RenderErrors(err, map[string][]byte{name: src}))
			}
		})
	}
}

// TestParseInvalid parses each testdata/invalid/*.yaml and compares the
// rendered errors with the .golden file beside it. Run with -update to
// rewrite the goldens.
func TestParseInvalid(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no invalid cases: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(file)
			c, err := Parse(name, src, Options{})
			if err == nil {
				t.Fatalf("Parse(%s) = %v, nil; want errors", file, c)
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("Parse(%s) error is %T, want ErrorList", file, err)
			}
			for i, e := range list {
				if !e.Pos.IsValid() || e.Pos.File != name {
					t.Errorf("error %d has position %v", i, e.Pos)
				}
				if i > 0 && less(e.Pos, list[i-1].Pos) {
					t.Errorf("errors not sorted: %v before %v", list[i-1].Pos, e.Pos)
				}
			}
			got := RenderErrors(err, map[string][]byte{name: src})
			golden.Check(t, strings.TrimSuffix(file, ".yaml")+".golden", []byte(got), *update)
		})
	}
}

func less(a, b Pos) bool {
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	return a.Col < b.Col
}

func mustParse(t *testing.T, src string, opts Options) *Collection {
	t.Helper()
	c, err := Parse("test.yaml", []byte(src), opts)
	if err != nil {
		t.Fatalf("Parse error:\n%s", RenderErrors(err, map[string][]byte{"test.yaml": []byte(src)}))
	}
	return c
}

func TestParseStructure(t *testing.T) {
	src := `vars:
  base: https://x.test
  n: 5
steps:
  - authorize:
      url: "{{ base }}/oauth/authorize"
      client_id: id
      redirect_uri: urn:ietf:wg:oauth:2.0:oob
      pkce: true
    capture:
      code: code
  - POST: "{{ base }}/token"
    multipart:
      code: "{{ code }}"
      n: 5
      doc: { file: a.pdf, content_type: application/pdf }
    expect:
      status: [200, 2xx]
      json:
        id: { gt: 0, type: integer }
        user: { name: Ann }
    capture:
      tok: { json: access_token, secret: true }
      loc: { header: Location, regex: "code=(\\w+)" }
`
	c := mustParse(t, src, Options{})
	if c.Name != "test" {
		t.Errorf("Name = %q, want test (file base name)", c.Name)
	}
	if len(c.Steps) != 2 || c.Steps[0].Name != "step 1" || c.Steps[1].Name != "step 2" {
		t.Fatalf("steps = %+v", c.Steps)
	}
	a := c.Steps[0].Authorize()
	if a == nil || !a.PKCE || a.URL.Pos != (Pos{File: "test.yaml", Line: 6, Col: 13}) {
		t.Errorf("authorize = %+v", a)
	}
	if got := a.URL.Parts[0].Expr.Pos; got != (Pos{File: "test.yaml", Line: 6, Col: 16}) {
		t.Errorf("authorize url expr pos = %v, want test.yaml:6:16", got)
	}
	r := c.Steps[1].Request()
	if r.Method != "POST" || r.MethodPos != (Pos{File: "test.yaml", Line: 12, Col: 5}) {
		t.Errorf("method = %q at %v", r.Method, r.MethodPos)
	}
	b := r.Body
	if b.Kind != BodyMultipart || len(b.Parts) != 3 || b.Parts[2].Field != "doc" || b.Parts[2].File == nil || b.Parts[1].Value.Kind != KindInt {
		t.Errorf("body = %+v", b)
	}
	st := c.Steps[1].Expect.Status
	if len(st.Predicates) != 1 || st.Predicates[0].Op != OpStatusIn || len(st.Predicates[0].Expected.Items) != 2 {
		t.Errorf("status = %+v", st.Predicates[0])
	}
	js := c.Steps[1].Expect.JSON
	if len(js) != 2 || js[0].Subject != "id" || len(js[0].Predicates) != 2 || js[1].Predicates[0].Op != OpEq || js[1].Predicates[0].Expected.Kind != KindMap {
		t.Errorf("json checks = %+v", js)
	}
	caps := c.Steps[1].Captures
	if len(caps) != 2 || caps[0].Source != FromJSON || !caps[0].Secret || caps[1].Source != FromRegex || caps[1].Path != "Location" {
		t.Errorf("captures = %+v %+v", caps[0], caps[1])
	}
	if got := c.SecretNames(); len(got) != 1 || got[0] != "tok" {
		t.Errorf("SecretNames() = %v, want [tok]", got)
	}
}

func TestParseScalarTypes(t *testing.T) {
	src := `vars:
  i: 200
  s: "200"
  f: 1.5
  b: true
  n: null
  t: 2024-01-02
steps:
  - GET: https://x.test
`
	c := mustParse(t, src, Options{})
	want := map[string]Kind{"i": KindInt, "s": KindString, "f": KindFloat, "b": KindBool, "n": KindNull, "t": KindString}
	if len(c.Vars) != len(want) {
		t.Fatalf("Parse gave %d vars, want %d", len(c.Vars), len(want))
	}
	for _, v := range c.Vars {
		if k, ok := want[v.Name]; !ok || v.Value.Kind != k {
			t.Errorf("var %s kind = %v, want %v", v.Name, v.Value.Kind, k)
		}
	}
}

func TestParseDefined(t *testing.T) {
	src := "steps:\n  - GET: \"{{ base_url }}/x\"\n"
	if _, err := Parse("t.yaml", []byte(src), Options{}); err == nil || !strings.Contains(err.Error(), `undefined variable "base_url"`) {
		t.Fatalf("Parse without Defined: error = %v, want undefined variable \"base_url\"", err)
	}
	mustParse(t, src, Options{Defined: []string{"base_url"}})
}

func TestParseEnvNotChecked(t *testing.T) {
	// env.NAME is checked at run time, never at load time.
	mustParse(t, "steps:\n  - GET: \"{{ env.SURELY_NOT_SET_ANYWHERE }}\"\n", Options{})
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "my-calls.yaml")
	if err := os.WriteFile(path, []byte("steps:\n  - GET: https://x.test\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, Options{})
	if err != nil || c.Name != "my-calls" || c.File != path {
		t.Fatalf("Load(%s) = %+v, %v", path, c, err)
	}
	_, err = Load(filepath.Join(dir, "missing.yaml"), Options{})
	if !errors.Is(err, os.ErrNotExist) || !strings.HasPrefix(err.Error(), "load ") {
		t.Errorf("Load(missing) error = %v, want a wrapped not-exist error", err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, bytes.Repeat([]byte("#\n"), MaxFileSize/2+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(big, Options{}); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("Load(big) error = %v, want too large", err)
	}
}

func TestLoadFS(t *testing.T) {
	fsys := fstest.MapFS{"dir/a.yaml": {Data: []byte("steps:\n  - GET: https://x.test\n")}}
	c, err := LoadFS(fsys, "dir/a.yaml", Options{})
	if err != nil || c.Name != "a" || c.File != "dir/a.yaml" {
		t.Fatalf("LoadFS = %+v, %v", c, err)
	}
	if _, err := LoadFS(fsys, "nope.yaml", Options{}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadFS(nope.yaml) error = %v, want a wrapped not-exist error", err)
	}
}

func TestBundled(t *testing.T) {
	names := BundledNames()
	if len(names) == 0 {
		t.Fatal("no bundled collections")
	}
	for _, name := range names {
		for _, n := range []string{name, name + ".yaml"} {
			if !IsBundled(n) {
				t.Errorf("IsBundled(%q) = false", n)
			}
			if _, err := LoadBundled(n, Options{}); err != nil {
				src, _ := os.ReadFile(name + ".yaml")
				t.Errorf("LoadBundled(%q) error:\n%s", n, RenderErrors(err, map[string][]byte{name + ".yaml": src}))
			}
		}
	}
	for _, n := range []string{"", "procore", "procore/nope", "../load.go"} {
		if IsBundled(n) {
			t.Errorf("IsBundled(%q) = true", n)
		}
	}
	if _, err := LoadBundled("nope", Options{}); err == nil {
		t.Error("LoadBundled(nope) error = nil")
	}
}

func TestFirstCall(t *testing.T) {
	c, err := LoadBundled("procore/first-call", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, s := range c.Steps {
		steps = append(steps, s.Name)
	}
	if got := strings.Join(steps, ","); got != "authorize,token,me,list projects" {
		t.Errorf("steps = %s", got)
	}
	// company_id renders as a number so that it equals JSON numbers.
	scope := eval.NewScope(func(name string) (string, bool) { return "4264807", name == "PROCORE_COMPANY_ID" })
	found := false
	for _, v := range c.Vars {
		if v.Name != "company_id" {
			continue
		}
		found = true
		x, err := v.Value.Render(scope)
		if x != int64(4264807) || err != nil {
			t.Errorf("company_id renders as %T %v, %v; want int64 4264807", x, x, err)
		}
	}
	if !found {
		t.Error("procore/first-call has no company_id var")
	}
	got := strings.Join(c.SecretNames(), ",")
	if got != "client_secret,access_token,refresh_token" {
		t.Errorf("SecretNames() = %s", got)
	}
}

func TestGJSONFromJSONPath(t *testing.T) {
	tests := []struct {
		path, want string
		looks      bool
	}{
		{"$.slideshow.author", "slideshow.author", true},
		{"slideshow.slides[0].title", "slideshow.slides.0.title", true},
		{"$[0].id", "0.id", true},
		{"$.items[*].id", "items.#.id", true},
		{"$['a.b'].c", `a\.b.c`, true},
		{"$..title", "", true},
		{"$.items[-1]", "", true},
		{"$", "", true},
		{"slideshow.author", "", false},
		{"items.#.id", "", false},
		{"friends.#(name==\"a[0]\").age", "", false},
		{"..0.name", "", false},
		{"[name,age]", "", false},
		{`a\[0]`, "", false},
		{"#", "", false},
	}
	for _, tt := range tests {
		got, looks := gjsonFromJSONPath(tt.path)
		if got != tt.want || looks != tt.looks {
			t.Errorf("gjsonFromJSONPath(%q) = %q, %v; want %q, %v", tt.path, got, looks, tt.want, tt.looks)
		}
	}
}
