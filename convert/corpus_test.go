package convert

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/callsheet/callsheet/collections"
)

// TestPostmanCorpus imports the collections of testdata/corpus, each
// written after a public Postman collection with tests (listed in
// testdata/corpus/SOURCES.md, with the share measured on the originals),
// checks that each imported collection loads, and pins how many of their
// script statements are translated.
func TestPostmanCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.json"))
	if err != nil || len(files) < 10 {
		t.Fatalf("corpus has %d collections, want at least 10 (%v)", len(files), err)
	}
	var out strings.Builder
	var total ScriptCount
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		im, err := ImportPostman(data, nil)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		fsys := fstest.MapFS{}
		for _, file := range im.Files {
			fsys[file.Name] = &fstest.MapFile{Data: file.Data}
		}
		if _, err := collections.LoadFS(fsys, im.Files[0].Name, collections.Options{}); err != nil {
			t.Errorf("%s: the imported collection does not load: %v", f, err)
		}
		sc := im.Scripts
		total.Statements += sc.Statements
		total.Translated += sc.Translated
		fmt.Fprintf(&out, "%-36s %3d of %3d\n", filepath.Base(f), sc.Translated, sc.Statements)
	}
	fmt.Fprintf(&out, "%-36s %3d of %3d (%d%%)\n", "total", total.Translated, total.Statements, total.Translated*100/total.Statements)
	checkGolden(t, "corpus.golden", []byte(out.String()))
}
