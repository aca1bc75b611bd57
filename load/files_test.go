package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteFiles(t *testing.T) {
	dir := t.TempDir()
	s := fed(t, Segment{K: 1, N: 1}, events(4), nil)
	jsonFile, htmlFile := filepath.Join(dir, "load.json"), filepath.Join(dir, "load.html")
	if err := s.WriteFiles(jsonFile, htmlFile); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if back, err := ReadSummary(f); err != nil || back.Iterations != s.Iterations {
		t.Errorf("the JSON summary reads back as %v, %v; want %d iterations", back, err, s.Iterations)
	}
	if b, err := os.ReadFile(htmlFile); err != nil || !strings.HasPrefix(strings.TrimSpace(string(b)), "<!DOCTYPE html>") {
		t.Errorf("the HTML report is not a page: %v", err)
	}

	if err := s.WriteFiles("", ""); err != nil {
		t.Errorf("WriteFiles with no files = %v", err)
	}
	missing := filepath.Join(dir, "none", "x")
	for _, tt := range []struct{ json, html, want string }{
		{missing, "", "write the JSON summary: "},
		{"", missing, "write the HTML report: "},
	} {
		if err := s.WriteFiles(tt.json, tt.html); err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("WriteFiles(%q, %q) = %v, want an error starting %q", tt.json, tt.html, err, tt.want)
		}
	}
}
