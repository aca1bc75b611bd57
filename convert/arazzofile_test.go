package convert

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

// TestExportArazzoFile exports a collection with a generated description
// and against one given in a file: the files are named after the
// collection's file and the document refers to the description relative
// to the folder it goes to.
func TestExportArazzoFile(t *testing.T) {
	c, err := collections.Load("testdata/arazzo/mapping.yaml", collections.Options{Defined: []string{"base"}})
	if err != nil {
		t.Fatal(err)
	}
	ex, err := ExportArazzoFile(t.Context(), c, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Files) != 2 || ex.Files[0].Name != "mapping.arazzo.yaml" || ex.Files[1].Name != "mapping.openapi.yaml" {
		t.Fatalf("files %v, want mapping.arazzo.yaml and mapping.openapi.yaml", names(ex))
	}
	dir := t.TempDir()
	if _, err := ex.Write(dir); err != nil {
		t.Fatal(err)
	}
	given := filepath.Join(dir, "mapping.openapi.yaml")
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	ex, err = ExportArazzoFile(t.Context(), c, given, out)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Files) != 1 || !strings.Contains(string(ex.Files[0].Data), "url: ../mapping.openapi.yaml") {
		t.Errorf("against a given description: files %v, want one referring to ../mapping.openapi.yaml:\n%s", names(ex), ex.Files[0].Data)
	}
}

// names lists the names of ex's files.
func names(ex *Import) []string {
	var out []string
	for _, f := range ex.Files {
		out = append(out, f.Name)
	}
	return out
}
