package cmd

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/callsheet/callsheet/openapi"
)

// TestImportOpenAPICommand imports descriptions of each version into a
// folder; the collections validate and are in canonical form.
func TestImportOpenAPICommand(t *testing.T) {
	for _, tt := range []struct {
		file  string
		files []string
	}{
		{"../convert/testdata/openapi/shop.yaml", []string{"orders.yaml", "catalog.yaml", "admin.yaml", "shop.yaml"}},
		{"../openapi/testdata/petstore/swagger-2.0.yaml", []string{"pets.yaml", "files.yaml"}},
		{"../openapi/testdata/petstore/openapi-3.1.json", []string{"pets.yaml", "files.yaml"}},
	} {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			dir := t.TempDir()
			o := callsheet(t, nil, "import", "openapi", "-o", dir, tt.file)
			if o.code != ExitOK {
				t.Fatalf("import openapi = %d\n%s", o.code, o.stderr)
			}
			var paths []string
			for _, f := range tt.files {
				p := filepath.Join(dir, f)
				paths = append(paths, p)
				if !strings.Contains(o.stderr, "wrote "+p) {
					t.Errorf("import openapi did not say it wrote %s:\n%s", p, o.stderr)
				}
			}
			if v := callsheet(t, nil, "validate", "--no-color", dir); v.code != ExitOK || strings.Count(v.stdout, "ok  ") != len(tt.files) {
				t.Errorf("validate = %d\n%s%s", v.code, v.stdout, v.stderr)
			}
			if f := callsheet(t, nil, append([]string{"fmt", "--check"}, paths...)...); f.code != ExitOK {
				t.Errorf("fmt --check = %d %s%s", f.code, f.stdout, f.stderr)
			}
		})
	}
}

func TestImportOpenAPIRejects(t *testing.T) {
	dir := writeFiles(t, t.TempDir(), map[string]string{"api.yaml": "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths:\n  /a: {$ref: \"missing.yaml\"}\n"})
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"broken description", []string{filepath.Join(dir, "api.yaml")},
			filepath.Join(dir, "api.yaml") + `:4:14: $ref "missing.yaml": no file ` + filepath.Join(dir, "missing.yaml")},
		{"several collections to stdout", []string{"../convert/testdata/openapi/shop.yaml"},
			"import openapi makes 4 collections, one per tag: write them with -o DIR, or make one with --single"},
		{"no file", nil, "import openapi needs one FILE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := callsheet(t, nil, append([]string{"import", "openapi"}, tt.args...)...)
			if o.code != ExitUsage || !strings.Contains(o.stderr, tt.want) {
				t.Errorf("import openapi = %d\n%s\nwant exit 2 and %q", o.code, o.stderr, tt.want)
			}
		})
	}
}

// TestImportedOpenAPIRuns runs a collection imported from a description
// against a loopback server that checks every request it receives against
// that description and answers as it documents.
func TestImportedOpenAPIRuns(t *testing.T) {
	const desc = "../openapi/testdata/petstore/openapi-3.0.yaml"
	d, err := openapi.LoadFile(context.Background(), desc)
	if err != nil {
		t.Fatal(err)
	}
	c, err := openapi.NewChecker(d)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var warnings []string
	answers := map[string]string{"listPets": `[]`, "listMyPets": `[]`, "showPetById": `{"id":1,"name":"Rex"}`, "getFile": `{}`}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		m, err := d.Find(r.Method, r.URL)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			warnings = append(warnings, err.Error())
			w.WriteHeader(http.StatusNotFound)
			return
		}
		for _, v := range c.CheckRequest(m, r.URL, r.Header, body) {
			warnings = append(warnings, m.Operation.ID+": "+v.String())
		}
		a, ok := answers[m.Operation.ID]
		if !ok {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Total", "0")
		io.WriteString(w, a)
	}))
	t.Cleanup(srv.Close)

	dir := t.TempDir()
	if o := callsheet(t, nil, "import", "openapi", "--single", "--name", "petstore", "-o", dir, desc); o.code != ExitOK {
		t.Fatalf("import openapi = %d\n%s", o.code, o.stderr)
	}
	coll := filepath.Join(dir, "petstore.yaml")
	if _, err := os.Stat(coll); err != nil {
		t.Fatal(err)
	}
	// createPet needs an OAuth 2.0 authorization code: not run here.
	o := callsheet(t, nil, "run", "--no-color", "--skip", "createPet", "--var", "base_url="+srv.URL+"/v1", "--var", "api_key=k", coll)
	if o.code != ExitOK {
		t.Fatalf("run = %d\n%s%s", o.code, o.stdout, o.stderr)
	}
	if !strings.Contains(o.stdout, "5 passed, 0 failed") {
		t.Errorf("run output:\n%s", o.stdout)
	}
	if len(warnings) > 0 {
		t.Errorf("the imported collection sent requests the description does not allow:\n%s", strings.Join(warnings, "\n"))
	}
}
