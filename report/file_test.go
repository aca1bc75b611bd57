package report

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/callsheet/callsheet/runner"
)

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	failing := func(w io.Writer, _ []*runner.Result) error {
		io.WriteString(w, "partial")
		return errors.New("disk full")
	}
	if err := WriteFile(path, failing, nil); err == nil {
		t.Fatalf("WriteFile(failing writer) error = nil, want an error")
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("after a failed write the file holds %q, want the old content", b)
	}
	if err := WriteFile(path, JSON, fixture()); err != nil {
		t.Fatalf("WriteFile(JSON) error = %v", err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := ReadJSON(f); err != nil {
		t.Errorf("ReadJSON(written file) error = %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("folder holds %d files, want only the report (no temporary left)", len(entries))
	}
}
