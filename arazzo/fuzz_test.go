package arazzo

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

// FuzzParse checks that Parse never panics and that every error it
// reports is in an ErrorList, names the file and has a line.
func FuzzParse(f *testing.F) {
	for _, pattern := range []string{"testdata/valid/*.yaml", "testdata/invalid/*.yaml", "testdata/run/*.arazzo.yaml"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			if src, err := os.ReadFile(file); err == nil {
				f.Add(src)
			}
		}
	}
	f.Add([]byte("&a [*a, *a]"))
	f.Add([]byte("arazzo: 1.1.0\nworkflows: [{workflowId: w, steps: [{stepId: s, operationId: '$sourceDescriptions.'}]}]"))
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := Parse("f.yaml", src)
		if err == nil {
			if d == nil {
				t.Fatal("Parse returned neither a document nor an error")
			}
			return
		}
		var list collections.ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("Parse error %T %v, want a non-empty ErrorList", err, err)
		}
		for _, e := range list {
			if e.Pos.File != "f.yaml" || e.Pos.Line < 1 || e.Msg == "" {
				t.Fatalf("error without a place or message: %#v", e)
			}
		}
	})
}
