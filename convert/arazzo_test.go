package convert

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mccutchen/go-httpbin/v2/httpbin"

	"github.com/callsheet/callsheet/arazzo"
	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/openapi"
)

// exportGolden writes an export as the golden files hold it: each file
// under a heading, then the notes.
func exportGolden(ex *Import) []byte {
	var b strings.Builder
	for _, f := range ex.Files {
		fmt.Fprintf(&b, "==> %s <==\n%s\n", f.Name, f.Data)
	}
	fmt.Fprintf(&b, "==> notes <==\n")
	for _, n := range ex.Notes {
		fmt.Fprintln(&b, n)
	}
	return []byte(b.String())
}

// TestExportArazzo exports bundled and test collections and compares the
// document, the description and the notes with testdata/arazzo.
func TestExportArazzo(t *testing.T) {
	procore, err := openapi.LoadFile(context.Background(), "../collections/procore/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, bundled, file string
		opts                ArazzoOptions
	}{
		{name: "first-call", bundled: "procore/first-call"},
		{name: "pagination", bundled: "procore/pagination"},
		{name: "with-profile", bundled: "procore/with-profile"},
		{name: "service-account-given", bundled: "procore/service-account",
			opts: ArazzoOptions{OpenAPI: procore, OpenAPIURL: "../collections/procore/openapi.yaml"}},
		{name: "mapping", file: "testdata/arazzo/mapping.yaml"},
		{name: "shapes", file: "testdata/export/shapes.yaml"},
		{name: "unexpressed", file: "testdata/arazzo/unexpressed.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c *collections.Collection
			var err error
			opts := collections.Options{Defined: []string{"base"}}
			if tt.bundled != "" {
				c, err = collections.LoadBundled(tt.bundled, opts)
			} else {
				c, err = collections.Load(tt.file, opts)
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.opts.Name = tt.name
			ex, err := ExportArazzo(c, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, filepath.Join("arazzo", tt.name+".golden"), exportGolden(ex))
			resolveExport(t, ex, tt.opts.OpenAPIURL)
		})
	}
}

// resolveExport loads the exported document and resolves each step's
// operation in the description written beside it (or the given one).
func resolveExport(t *testing.T, ex *Import, given string) {
	t.Helper()
	dir := t.TempDir()
	for _, f := range ex.Files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	doc, err := arazzo.Load(filepath.Join(dir, ex.Files[0].Name))
	if err != nil {
		t.Fatalf("the export does not load:\n%s", collections.RenderErrors(err, nil))
	}
	src := arazzo.Sources{OpenAPI: arazzo.ReadOpenAPI(nil)}
	if given != "" {
		src.URLs = map[string]string{}
		for _, sd := range doc.SourceDescriptions {
			src.URLs[sd.Name] = given
		}
	}
	if _, err := arazzo.Resolve(context.Background(), doc, src); err != nil {
		t.Errorf("the export does not resolve: %v", err)
	}
}

// TestExportArazzoKeepsSecrets exports collections whose secrets have
// literal values: no value appears in the files or the notes, and each
// secret is an input with format password.
func TestExportArazzoKeepsSecrets(t *testing.T) {
	tests := []struct {
		file    string
		secrets []string
	}{
		{"testdata/arazzo/mapping.yaml", []string{"s3cr3t-mapping-key"}},
		{"testdata/export/secrets.yaml", []string{"hunter2", "k+e/y=1"}},
	}
	for _, tt := range tests {
		c, err := collections.Load(tt.file, collections.Options{Defined: []string{"base"}})
		if err != nil {
			t.Fatal(err)
		}
		ex, err := ExportArazzo(c, ArazzoOptions{Name: "flow"})
		if err != nil {
			t.Fatal(err)
		}
		out := string(exportGolden(ex))
		for _, s := range tt.secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s: the export holds the secret %q:\n%s", tt.file, s, out)
			}
		}
		if !strings.Contains(out, "format: password") {
			t.Errorf("%s: no input has format: password:\n%s", tt.file, out)
		}
	}
}

// TestExportArazzoFailsAlike runs one-step collections whose check fails
// in callsheet, and their exports: the export's step fails too, except
// where Arazzo is known to be more lenient (JSON types, a header compared
// with a number), which the notes or the documentation say.
func TestExportArazzoFailsAlike(t *testing.T) {
	tests := []struct {
		name, expect string
		lenient      bool
	}{
		{"status", "status: 201", false},
		{"status class", "status: 4xx", false},
		{"status list", "status: [201, 404]", false},
		{"text case", "json: {method: get}", false},
		{"text", "json: {args.x.0: \"2\"}", false},
		{"number", "json: {json.n: 4}", false},
		{"number typed", "json: {args.x.0: 1}", true},
		{"gt", "json: {json.n: {gt: 3}}", false},
		{"between", "json: {json.n: {between: [4, 9]}}", false},
		{"one of", "json: {json.n: {one_of: [1, 2]}}", false},
		{"exists", "json: {json.missing: {exists: true}}", false},
		{"absent", "json: {json.n: {exists: false}}", false},
		{"length", "json: {json.list.#: 3}", false},
		{"length at least", "json: {json.list.#: {gte: 3}}", false},
		{"member", "json: {json.obj: {a: 2}}", false},
		{"list", "json: {json.list: [1]}", false},
		{"contains", "json: {url: {contains: nope}}", false},
		{"starts with", "json: {url: {starts_with: /anything}}", false},
		{"ends with", "json: {url: {ends_with: x=2}}", false},
		{"matches", "json: {url: {matches: '^ftp:'}}", false},
		{"uuid", "json: {method: {is_uuid: true}}", false},
		{"header", "headers: {Content-Type: text/html}", false},
		{"header case", "headers: {Content-Type: APPLICATION/JSON; CHARSET=UTF-8}", false},
		{"header absent", "headers: {Content-Type: {exists: false}}", false},
		{"header number", "headers: {Content-Length: {gt: 1}}", true},
		{"body", "body: {contains: nope}", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "name: fails\nsteps:\n  - name: check\n    POST: \"{{ base }}/anything?x=1\"\n    json: {n: 3, list: [1, 2], obj: {a: 1, b: 2}}\n    expect:\n      " + tt.expect + "\n"
			file := filepath.Join(t.TempDir(), "fails.yaml")
			if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			c, err := collections.Load(file, collections.Options{Defined: []string{"base"}})
			if err != nil {
				t.Fatal(err)
			}
			r := azRun{c: c, handler: func() http.Handler { return httpbin.New() }, vars: func(url string) map[string]any { return map[string]any{"base": url} }}
			want := runCollection(t, r)
			ex, err := ExportArazzo(c, ArazzoOptions{Name: "flow"})
			if err != nil {
				t.Fatal(err)
			}
			got, _ := runExport(t, r, ex)
			if want["check"].passed {
				t.Fatalf("the collection's check passed; the case is broken")
			}
			if lenient := got["check"].passed; lenient != tt.lenient {
				t.Errorf("export passed = %v, want %v\n%s", lenient, tt.lenient, ex.Files[0].Data)
			}
		})
	}
}

// TestAzPointer converts gjson paths to JSON pointers.
func TestAzPointer(t *testing.T) {
	tests := []struct {
		path, ptr string
		count, ok bool
	}{
		{"token", "/token", false, true},
		{"0.company.id", "/0/company/id", false, true},
		{`a\.b.c~d/e`, "/a.b/c~0d~1e", false, true},
		{"#", "", true, true},
		{"items.#", "/items", true, true},
		{"@this", "", false, true},
		{"items.#.id", "", false, false},
		{"a.*", "", false, false},
		{"a|b", "", false, false},
		{"a.@reverse", "", false, false},
		{`items.#(id==1)`, "", false, false},
	}
	for _, tt := range tests {
		ptr, count, ok := azPointer(tt.path)
		if ptr != tt.ptr || count != tt.count || ok != tt.ok {
			t.Errorf("azPointer(%q) = %q, %v, %v; want %q, %v, %v", tt.path, ptr, count, ok, tt.ptr, tt.count, tt.ok)
		}
	}
}
