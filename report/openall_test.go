package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenAll(t *testing.T) {
	dir := t.TempDir()
	junit, html := filepath.Join(dir, "a", "junit.xml"), filepath.Join(dir, "b", "c", "report.html")
	outs, err := OpenAll([]Target{{Format: FormatJUnit, File: junit}, {Format: FormatTAP}, {Format: FormatHTML, File: html}}, RunInfo{Version: "1"})
	if err != nil || len(outs) != 2 {
		t.Fatalf("OpenAll() = %d outputs, %v; want 2 (no file, no report)", len(outs), err)
	}
	for _, o := range outs {
		if err := o.End(); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{junit, html} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}

	// A report whose folder cannot be made: the one opened before it is
	// discarded and leaves no file.
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	first := filepath.Join(dir, "d", "first.json")
	_, err = OpenAll([]Target{{Format: FormatJSON, File: first}, {Format: FormatTAP, File: filepath.Join(blocker, "x.tap")}}, RunInfo{})
	if err == nil || !strings.Contains(err.Error(), "write TAP report") {
		t.Fatalf("OpenAll() error = %v, want one naming the TAP report", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(first))
	if len(entries) != 0 {
		t.Errorf("the JSON report opened first left %d files", len(entries))
	}
}
