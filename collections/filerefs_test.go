package collections

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFilesOutsideFolderAtLoad checks that a file the collection names
// literally, leading out of its folder, is an error at load with its
// position, and that a path inside the folder, or computed at run time,
// loads.
func TestFilesOutsideFolderAtLoad(t *testing.T) {
	top := t.TempDir()
	dir := filepath.Join(top, "coll")
	for path, text := range map[string]string{
		filepath.Join(top, "secret.txt"):     "TOP-SECRET",
		filepath.Join(dir, "data", "ok.txt"): "fine",
		filepath.Join(top, "other.yaml"):     "steps:\n  - GET: https://example.com\n",
	} {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	links := true
	if err := os.Symlink(filepath.Join(top, "secret.txt"), filepath.Join(dir, "link.txt")); err != nil {
		links = false
	}
	abs := filepath.ToSlash(filepath.Join(top, "secret.txt"))
	inside := filepath.ToSlash(filepath.Join(dir, "data", "ok.txt"))
	step := "steps:\n  - POST: https://example.com\n"
	tests := []struct {
		name, src, want string
		line, col       int
	}{
		{"multipart file with ..", step + "    multipart:\n      f: { file: ../secret.txt }\n", `multipart file "../secret.txt" is outside the collection's folder`, 4, 18},
		{"multipart file, absolute elsewhere", step + "    multipart:\n      f:\n        file: " + abs + "\n", `multipart file "` + abs + `" is outside`, 5, 15},
		{"file() with ..", step + "    body: \"{{ file('data/../../secret.txt') }}\"\n", `file("data/../../secret.txt") is outside the collection's folder`, 3, 20},
		{"file() absolute", step + "    headers:\n      X: \"a{{ trim(file('" + inside + "')) }}\"\n", `is outside the collection's folder`, 4, 25},
		{"include", "steps:\n  - include: ../other.yaml\n", `include ../other.yaml: the path leads out of the including file's folder`, 2, 14},
		{"symbolic link out", step + "    multipart:\n      f: { file: link.txt }\n", `multipart file "link.txt" is outside`, 4, 18},
		{"inside the folder", step + "    multipart:\n      f: { file: data/../data/ok.txt }\n      g: { file: " + inside + " }\n    headers:\n      X: \"{{ file('data/ok.txt') }}\"\n", "", 0, 0},
		{"computed at run time", "vars:\n  up: ..\n" + step + "    multipart:\n      f: { file: \"{{ up }}/secret.txt\" }\n    headers:\n      X: \"{{ file(up + '/secret.txt') }}\"\n", "", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "symbolic link out" && !links {
				t.Skip("no symbolic links here")
			}
			file := filepath.Join(dir, "c.yaml")
			if err := os.WriteFile(file, []byte(tt.src), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(file, Options{})
			if tt.want == "" {
				if err != nil {
					t.Errorf("Load() error = %v, want none", err)
				}
				return
			}
			var list ErrorList
			if !errors.As(err, &list) || len(list) != 1 || !strings.Contains(list[0].Msg, tt.want) {
				t.Fatalf("Load() error = %v, want one error containing %q", err, tt.want)
			}
			if p := list[0].Pos; p.Line != tt.line || p.Col != tt.col {
				t.Errorf("Load() error at %d:%d, want %d:%d", p.Line, p.Col, tt.line, tt.col)
			}
		})
	}
}
