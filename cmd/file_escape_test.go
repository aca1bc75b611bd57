package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFileOutsideFolderRefusedAtLoad checks that a file the collection
// names literally outside its folder stops the run before anything is
// sent (exit 2), with the caret on that line, while a path computed at
// run time is still refused when its step runs, after the steps before
// it.
func TestFileOutsideFolderRefusedAtLoad(t *testing.T) {
	top := t.TempDir()
	if err := os.WriteFile(filepath.Join(top, "secret.txt"), []byte("TOP-SECRET"), 0o600); err != nil {
		t.Fatal(err)
	}
	first := "name: c\nsteps:\n  - name: first\n    GET: \"{{ base_url }}/first\"\n  - name: upload\n    POST: \"{{ base_url }}/upload\"\n"
	tests := []struct {
		name, src string
		wantCode  int
		want      []string // in stdout+stderr
		sent      int
	}{
		{"multipart file", first + "    multipart:\n      doc: { file: ../secret.txt }\n", ExitUsage,
			[]string{`error: multipart file "../secret.txt" is outside the collection's folder`, "8 |       doc: { file: ../secret.txt }\n  |                    ^^^^^^^^^^^^^"}, 0},
		{"file() argument", first + "    body: \"{{ file('../secret.txt') }}\"\n", ExitUsage,
			[]string{`error: file("../secret.txt") is outside the collection's folder`, "7 |     body: \"{{ file('../secret.txt') }}\"\n  |                    ^^^^^^^^^^^^^^^ "}, 0},
		{"include", first + "  - include: ../secret.txt\n", ExitUsage,
			[]string{"error: include ../secret.txt: the path leads out of the including file's folder", "7 |   - include: ../secret.txt\n  |              ^^^^^^^^^^^^^"}, 0},
		{"path computed at run time", "vars:\n  up: \"..\"\n" + first + "    multipart:\n      doc: { file: \"{{ up }}/secret.txt\" }\n", ExitError,
			[]string{"file is outside the collection's folder"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newRecorder(t, 200, `{}`)
			dir := writeFiles(t, filepath.Join(top, strings.ReplaceAll(tt.name, " ", "-")), map[string]string{"c.yaml": tt.src})
			got := callsheet(t, nil, "run", "--no-color", "--var", "base_url="+srv.URL, filepath.Join(dir, "c.yaml"))
			out := got.stdout + got.stderr
			if got.code != tt.wantCode {
				t.Errorf("exit %d, want %d\n%s", got.code, tt.wantCode, out)
			}
			if n := int(srv.hits.Load()); n != tt.sent {
				t.Errorf("the server got %d requests, want %d", n, tt.sent)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks\n%s\nin\n%s", w, out)
				}
			}
			if strings.Contains(out, "TOP-SECRET") {
				t.Errorf("output shows the file outside:\n%s", out)
			}
		})
	}
}
