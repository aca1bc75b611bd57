package cmd

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestOutputKeepsOrder sends stdout and stderr to one file, as 2>&1
// does: stdout is held, and written out before anything on stderr.
func TestOutputKeepsOrder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out")
	open := func() *os.File {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	stdout, stderr := open(), open()
	out, errOut, flush := output(stdout, stderr, time.Hour)
	read := func() string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	fmt.Fprintln(out, "one")
	if got := read(); got != "" {
		t.Errorf("stdout to a file is not held: %q", got)
	}
	fmt.Fprintln(errOut, "two")
	fmt.Fprintln(out, "three")
	if got := read(); got != "one\ntwo\n" {
		t.Errorf("before flush %q, want one, two", got)
	}
	flush(0)
	if got := read(); got != "one\ntwo\nthree\n" {
		t.Errorf("after flush %q, want one, two, three", got)
	}
}
