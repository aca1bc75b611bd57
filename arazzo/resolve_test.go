package arazzo

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/golden"
)

// TestResolveErrors resolves each testdata/resolve/*.arazzo.yaml whose
// golden file exists and compares the rendered errors.
func TestResolveErrors(t *testing.T) {
	for _, name := range []string{"operations", "nested-invalid", "async", "untyped"} {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join("testdata", "resolve", name+".arazzo.yaml")
			doc, err := Load(file)
			if err != nil {
				t.Fatalf("Load(%s) error = %v", file, err)
			}
			_, err = Resolve(context.Background(), doc, Sources{OpenAPI: ReadOpenAPI(nil), Protocols: []string{"ws", "wss"}})
			var list collections.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("Resolve(%s) error = %v, want an ErrorList", file, err)
			}
			sources := map[string][]byte{}
			for _, e := range list {
				if src, err := os.ReadFile(e.Pos.File); err == nil {
					sources[e.Pos.File] = src
				}
			}
			out := collections.RenderErrors(err, sources)
			golden.Check(t, filepath.Join("testdata", "resolve", name+".golden"), []byte(out), *update)
		})
	}
}

func TestResolveOverrides(t *testing.T) {
	lib := newLibrary(t)
	dir := t.TempDir()
	api, err := os.ReadFile(filepath.Join("testdata", "run", "library.openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// The OpenAPI file names the server; the override names the file.
	api = []byte(strings.Replace(string(api), "http://library.invalid", lib.url, 1))
	local := filepath.Join(dir, "local.openapi.yaml")
	if err := os.WriteFile(local, api, 0o644); err != nil {
		t.Fatal(err)
	}
	doc, err := Load(filepath.Join("testdata", "resolve", "operations.arazzo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	src := Sources{OpenAPI: ReadOpenAPI(nil), URLs: map[string]string{"missing": local}}
	if _, err := Resolve(context.Background(), doc, src); err == nil || strings.Contains(err.Error(), "nowhere.yaml") {
		t.Errorf("Resolve with an override of missing: error = %v; want other errors but none about nowhere.yaml", err)
	}
	doc, err = Load(filepath.Join("testdata", "run", "borrow.arazzo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := Resolve(context.Background(), doc, Sources{OpenAPI: ReadOpenAPI(nil), URLs: map[string]string{"library": local}})
	if err != nil {
		t.Fatalf("Resolve = %v", err)
	}
	e := &Engine{Sender: &HTTPSender{Client: lib.client()}}
	res, err := e.Run(context.Background(), d, "sign-in", map[string]any{"member": "ada", "pin": "1234"})
	if err != nil || !res.Passed || res.Outputs["token"] != "tok-ada" {
		t.Fatalf("Run = %+v, %v; want a token from the server the overriding file names", res, err)
	}
}

func TestResolveNeedsReaders(t *testing.T) {
	doc, err := Load(filepath.Join("testdata", "run", "borrow.arazzo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Resolve(context.Background(), doc, Sources{})
	if err == nil || !strings.Contains(err.Error(), "no OpenAPI reader was given") {
		t.Errorf("Resolve without an OpenAPI reader: error = %v", err)
	}
	doc, err = Load(filepath.Join("testdata", "run", "calls.arazzo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Resolve(context.Background(), doc, Sources{OpenAPI: ReadOpenAPI(nil)})
	if err == nil || !strings.Contains(err.Error(), "no fetcher for URLs was given") {
		t.Errorf("Resolve of a $self on the web without a fetcher: error = %v", err)
	}
}

// TestResolveDefer leaves a source at a URL unread under Sources.Defer,
// with its steps unchecked (a missing operation too), and reads it when
// resolved again with a fetcher: the step's operation found, a wrong one
// reported at the step.
func TestResolveDefer(t *testing.T) {
	const openAPI = "openapi: 3.1.0\ninfo: {title: t, version: \"1\"}\npaths:\n  /x:\n    get: {operationId: getX, responses: {\"200\": {description: ok}}}\n"
	doc := func(op string) *Document {
		d, err := Parse("remote.arazzo.yaml", []byte(`arazzo: 1.0.1
info: {title: remote, version: "1"}
sourceDescriptions:
  - {name: api, url: "https://api.invalid/openapi.yaml"}
workflows:
  - workflowId: w
    steps:
      - {stepId: s, operationId: `+op+`}
`))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	fetched := 0
	fetch := func(_ context.Context, loc string) ([]byte, error) {
		fetched++
		if loc != "https://api.invalid/openapi.yaml" {
			return nil, errors.New("unexpected location " + loc)
		}
		return []byte(openAPI), nil
	}
	for _, tt := range []struct {
		name     string
		op       string
		src      Sources
		deferred bool
		err      string
		fetched  int
	}{
		{"deferred", "nope", Sources{OpenAPI: ReadOpenAPI(fetch), Defer: true}, true, "", 0},
		{"no fetcher", "getX", Sources{OpenAPI: ReadOpenAPI(nil)}, false, "remote.arazzo.yaml:4:22: source description \"api\": cannot read", 0},
		{"fetched", "getX", Sources{OpenAPI: ReadOpenAPI(fetch), Fetch: fetch}, false, "", 2},
		{"fetched, wrong operation", "nope", Sources{OpenAPI: ReadOpenAPI(fetch), Fetch: fetch}, false, `has no operation with operationId "nope"`, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fetched = 0
			d, err := Resolve(context.Background(), doc(tt.op), tt.src)
			if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
				t.Fatalf("Resolve() error = %v, want %q", err, tt.err)
			}
			if fetched != tt.fetched {
				t.Errorf("fetched %d times, want %d (the type is sniffed, then the description read)", fetched, tt.fetched)
			}
			if err != nil {
				return
			}
			if d.Deferred() != tt.deferred {
				t.Errorf("Deferred() = %v, want %v", d.Deferred(), tt.deferred)
			}
			if s := d.Document.Workflows[0].Steps[0]; !tt.deferred && d.Operation(s) == nil {
				t.Errorf("step s has no operation after a fetch")
			}
		})
	}
}

// TestRemoteErrorsHidePasswords reads a description that is not one from
// a URL with a password, and a URL without a fetcher: the errors name the
// URL with its password hidden.
func TestRemoteErrorsHidePasswords(t *testing.T) {
	const loc = "https://user:pw-SECRET@api.invalid/openapi.yaml"
	notOne := func(context.Context, string) ([]byte, error) { return []byte("{}"), nil }
	for name, read := range map[string]func(context.Context, string) (API, error){"not a description": ReadOpenAPI(notOne), "no fetcher": ReadOpenAPI(nil)} {
		_, err := read(context.Background(), loc)
		if err == nil || strings.Contains(err.Error(), "pw-SECRET") || !strings.Contains(err.Error(), "user:xxxxx@api.invalid") {
			t.Errorf("%s: error = %v, want the URL with its password hidden", name, err)
		}
	}
}
