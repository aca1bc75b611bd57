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
	for _, name := range []string{"operations", "nested-invalid"} {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join("testdata", "resolve", name+".arazzo.yaml")
			doc, err := Load(file)
			if err != nil {
				t.Fatalf("Load(%s) error = %v", file, err)
			}
			_, err = Resolve(context.Background(), doc, Sources{OpenAPI: ReadOpenAPI(nil)})
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
