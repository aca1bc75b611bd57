package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestInitIgnoresState(t *testing.T) {
	tests := []struct {
		name     string
		existing string // "" for no .gitignore
		want     string // the .gitignore after init, when one existed
	}{
		{name: "new gitignore"},
		{name: "existing gitignore gets the line", existing: "bin/", want: "bin/\n# callsheet: saved state (may hold tokens) and recorded runs\n.callsheet/\n"},
		{name: "existing line kept once", existing: "/.callsheet\nbin/\n", want: "/.callsheet\nbin/\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.existing != "" {
				writeFiles(t, dir, map[string]string{".gitignore": tt.existing})
			}
			if out := callsheet(t, nil, "init", dir); out.code != ExitOK {
				t.Fatalf("init: exit %d\n%s%s", out.code, out.stdout, out.stderr)
			}
			gi, err := os.ReadFile(filepath.Join(dir, ".gitignore"))
			switch {
			case err != nil:
				t.Fatal(err)
			case tt.existing == "" && !strings.Contains(string(gi), "\n.callsheet/\n"):
				t.Errorf(".gitignore = %q; want a .callsheet/ line", gi)
			case tt.existing != "" && string(gi) != tt.want:
				t.Errorf(".gitignore = %q, want %q", gi, tt.want)
			}
		})
	}
}
