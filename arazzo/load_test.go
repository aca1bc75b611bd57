package arazzo

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/golden"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestParseValid(t *testing.T) {
	files, err := filepath.Glob("testdata/valid/*.arazzo.*")
	run, _ := filepath.Glob("testdata/run/*.arazzo.yaml")
	files = append(files, run...)
	if err != nil || len(files) < 2 {
		t.Fatalf("no valid cases: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(file)
			if _, err := Parse(name, src); err != nil {
				t.Errorf("Parse(%s) error:\n%s", file, collections.RenderErrors(err, map[string][]byte{name: src}))
			}
		})
	}
}

// TestParseInvalid parses each testdata/invalid/*.arazzo.yaml and compares
// the rendered errors with the .golden file beside it.
func TestParseInvalid(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid/*.arazzo.yaml")
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
			d, err := Parse(name, src)
			var list collections.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("Parse(%s) = %v, %v; want an ErrorList", file, d, err)
			}
			for _, e := range list {
				if e.Pos.File != name || e.Pos.Line < 1 || e.Msg == "" {
					t.Errorf("error without a position or message: %#v", e)
				}
			}
			out := collections.RenderErrors(err, map[string][]byte{name: src})
			golden.Check(t, strings.TrimSuffix(file, ".arazzo.yaml")+".golden", []byte(out), *update)
		})
	}
}
