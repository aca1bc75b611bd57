package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestWrite(t *testing.T) {
	errFull := errors.New("disk full")
	tests := []struct {
		name     string
		old      string // "" for no file before
		perm     os.FileMode
		fill     func(io.Writer) error
		missing  bool // the folder does not exist
		wantErr  error
		wantText string
	}{
		{name: "new file", perm: 0o644, fill: text("hello\n"), wantText: "hello\n"},
		{name: "replaces an old file", old: "old", perm: 0o600, fill: text("new"), wantText: "new"},
		{name: "empty content", old: "old", perm: 0o644, fill: text(""), wantText: ""},
		{name: "fill error keeps the old file", old: "old", perm: 0o644, fill: func(w io.Writer) error {
			io.WriteString(w, "partial")
			return errFull
		}, wantErr: errFull, wantText: "old"},
		{name: "fill error leaves no file", perm: 0o644, fill: func(io.Writer) error { return errFull }, wantErr: errFull},
		{name: "missing folder", perm: 0o644, fill: text("x"), missing: true, wantErr: os.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.missing {
				dir = filepath.Join(dir, "nope")
			}
			path := filepath.Join(dir, "out.txt")
			if tt.old != "" {
				if err := os.WriteFile(path, []byte(tt.old), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			err := Write(path, tt.perm, tt.fill)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Write() error = %v, want %v", err, tt.wantErr)
			}
			if tt.missing {
				return
			}
			b, readErr := os.ReadFile(path)
			if tt.wantErr != nil && tt.old == "" {
				if !errors.Is(readErr, os.ErrNotExist) {
					t.Errorf("after a failed first write the file exists (%v)", readErr)
				}
			} else if string(b) != tt.wantText {
				t.Errorf("file holds %q, want %q", b, tt.wantText)
			}
			entries, _ := os.ReadDir(dir)
			want := 1
			if tt.wantErr != nil && tt.old == "" {
				want = 0
			}
			if len(entries) != want {
				t.Errorf("folder holds %d files, want %d (no temporary left)", len(entries), want)
			}
			if tt.wantErr == nil && runtime.GOOS != "windows" {
				fi, err := os.Stat(path)
				if err != nil {
					t.Fatal(err)
				}
				if got := fi.Mode().Perm(); got != tt.perm {
					t.Errorf("mode = %v, want %v", got, tt.perm)
				}
			}
		})
	}
}

func text(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

// TestWriteErrorNamesThePath checks that a failed write names the file,
// never the temporary file it writes through.
func TestWriteErrorNamesThePath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "out.txt")
	err := Write(path, 0o644, text("x"))
	if err == nil || err.Error() != "write "+path+": no such file or directory" {
		t.Errorf("Write(%s) error = %v, want it to name the path alone", path, err)
	}
}
