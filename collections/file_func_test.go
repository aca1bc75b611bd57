package collections

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/eval"
)

// TestFileRefusedOutsideFolder checks that file() reads inside the
// collection's folder and refuses, without reading it, a file that exists
// outside: through .., an absolute path or a symbolic link.
func TestFileRefusedOutsideFolder(t *testing.T) {
	top := t.TempDir()
	dir := filepath.Join(top, "coll")
	outside := filepath.Join(top, "secret.txt")
	for path, text := range map[string]string{outside: "TOP-SECRET", filepath.Join(dir, "sub", "ok.txt"): "fine"} {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(dir, "link.txt")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	tests := []struct {
		src, want string
	}{
		{`file("sub/ok.txt")`, ""},
		{`file("sub/../sub/ok.txt")`, ""},
		{`file("../secret.txt")`, "refused: the path leaves the collection's folder"},
		{`file("sub/../../secret.txt")`, "refused: the path leaves the collection's folder"},
		{`file("` + filepath.ToSlash(outside) + `")`, "refused: the path leaves the collection's folder"},
		{`file("link.txt")`, "escapes"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			got, err := evalWith(t, tt.src, eval.Runtime{Dir: dir})
			if tt.want == "" {
				if err != nil || got != "fine" {
					t.Errorf("Eval(%q) = %v, %v, want \"fine\", <nil>", tt.src, got, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "TOP-SECRET") {
				t.Errorf("Eval(%q) = %v, %v, want an error containing %q", tt.src, got, err, tt.want)
			}
		})
	}
}
