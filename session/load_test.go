package session

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

func TestExpandPath(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"b.yaml":       "x",
		"a.yml":        "x",
		"c.txt":        "x",
		"sub/d.yaml":   "x",
		"empty/x.json": "{}",
	})
	tests := []struct {
		path        string
		want        []string
		wantBundled bool
		wantErr     string
	}{
		{path: dir, want: []string{filepath.Join(dir, "a.yml"), filepath.Join(dir, "b.yaml")}},
		{path: filepath.Join(dir, "c.txt"), want: []string{filepath.Join(dir, "c.txt")}},
		{path: "procore/first-call", want: []string{"procore/first-call"}, wantBundled: true},
		{path: filepath.Join(dir, "empty"), wantErr: "no *.yaml or *.yml file in this folder"},
		{path: filepath.Join(dir, "nope.yaml"), wantErr: "no such file, folder or bundled collection"},
	}
	for _, tt := range tests {
		files, bundled, err := ExpandPath(tt.path)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ExpandPath(%s) error = %v, want %q", tt.path, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !slices.Equal(files, tt.want) || bundled != tt.wantBundled {
			t.Errorf("ExpandPath(%s) = %v, %v, %v; want %v, %v", tt.path, files, bundled, err, tt.want, tt.wantBundled)
		}
	}
}

// TestLoadReportsEveryProblem checks that Load goes on past a collection
// that does not load and returns every error, in the order of the paths,
// with the collections that loaded.
func TestLoadReportsEveryProblem(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.yaml": collection("a", "one"),
		"b.yaml": "name: b\nsteps:\n  - name: x\n    GET: \"{{ undefined_var }}/x\"\n",
		"c.yaml": collection("c", "one"),
		"d.yaml": "name: d\nstepz: []\n",
	})
	cols, errs := Load([]string{dir, filepath.Join(dir, "missing.yaml")}, []string{"base"})
	var names []string
	for _, c := range cols {
		names = append(names, c.Name)
	}
	if !slices.Equal(names, []string{"a", "c"}) {
		t.Errorf("Load() loaded %v, want [a c]", names)
	}
	if len(errs) != 3 {
		t.Fatalf("Load() errors = %v, want 3", errs)
	}
	var list collections.ErrorList
	if !errors.As(errs[0], &list) || !strings.Contains(errs[0].Error(), "b.yaml") || !strings.Contains(errs[1].Error(), "d.yaml") || !strings.Contains(errs[2].Error(), "missing.yaml") {
		t.Errorf("Load() errors = %v, want b.yaml's, d.yaml's, then missing.yaml's", errs)
	}
	// With the variable defined outside, b loads.
	if _, errs := Load([]string{filepath.Join(dir, "b.yaml")}, []string{"undefined_var"}); len(errs) != 0 {
		t.Errorf("Load(b.yaml) with undefined_var defined: %v", errs)
	}
}
