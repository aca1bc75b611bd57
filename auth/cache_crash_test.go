//go:build unix

package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// stalledWriterEnv makes the test binary, run again as a child, a cache
// writer that stops in the middle of an entry (see stallSave).
const stalledWriterEnv = "CALLSHEET_TEST_STALLED_WRITER_DIR"

// crashKey is the key the killed writer saves under.
var crashKey = Key{Profile: "crash", ClientID: "client-1", TokenURL: "https://login.example/oauth/token"}

// slowEntry is the large entry the child writes: 1 MiB of access token.
func slowEntry() *Entry {
	return &Entry{Profile: crashKey.Profile, ClientID: crashKey.ClientID, TokenURL: crashKey.TokenURL,
		AccessToken: "new-" + strings.Repeat("n", 1<<20), TokenType: "Bearer"}
}

// TestFileCacheKilledWriterKeepsOldEntry kills (SIGKILL) a child process in
// the middle of saving an entry, once the first half of the new file is on
// disk, and checks that the previous entry still loads.
func TestFileCacheKilledWriterKeepsOldEntry(t *testing.T) {
	if dir := os.Getenv(stalledWriterEnv); dir != "" {
		stallSave(dir) // the child: never returns
	}
	dir := filepath.Join(t.TempDir(), "callsheet")
	old := &Entry{Profile: crashKey.Profile, ClientID: crashKey.ClientID, TokenURL: crashKey.TokenURL,
		AccessToken: "old-access", RefreshToken: "old-refresh"}
	if err := NewFileCache(dir).Save(crashKey, old); err != nil {
		t.Fatal(err)
	}

	ready, readyW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer ready.Close()
	hold, holdW, err := os.Pipe() // the child's stdin: open until the child dies
	if err != nil {
		t.Fatal(err)
	}
	defer holdW.Close()
	// The context is a hang guard only: the child stops on its own signal.
	child := exec.CommandContext(testContext(t), os.Args[0], "-test.run=^TestFileCacheKilledWriterKeepsOldEntry$")
	child.Env = append(os.Environ(), stalledWriterEnv+"="+dir)
	child.Stdin, child.ExtraFiles = hold, []*os.File{readyW}
	var stderr bytes.Buffer
	child.Stdout, child.Stderr = &stderr, &stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	readyW.Close()
	hold.Close()
	if _, err := io.ReadFull(ready, make([]byte, 1)); err != nil {
		child.Process.Kill()
		child.Wait()
		t.Fatalf("the writer never reached the middle of the entry (%v):\n%s", err, stderr.String())
	}
	wantPartialOnDisk(t, dir)
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	err = child.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("writer ended with %v, want killed by SIGKILL:\n%s", err, stderr.String())
	}

	got, err := NewFileCache(dir).Load(crashKey)
	if err != nil || got == nil || got.AccessToken != old.AccessToken || got.RefreshToken != old.RefreshToken {
		t.Fatalf("Load() after the killed write = %v, %v, want the previous entry", got, err)
	}
	// The cache goes on working: a new save replaces the entry.
	if err := NewFileCache(dir).Save(crashKey, slowEntry()); err != nil {
		t.Fatal(err)
	}
	if got, err := NewFileCache(dir).Load(crashKey); err != nil || got == nil || got.AccessToken != slowEntry().AccessToken {
		t.Errorf("Load() after a new save = %v, %v, want the new entry", got, err)
	}
}

// wantPartialOnDisk fails unless a file in dir holds exactly the first half
// of the child's entry: the kill then lands in the middle of the write.
func wantPartialOnDisk(t *testing.T, dir string) {
	t.Helper()
	full, err := json.MarshalIndent(slowEntry(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	half := full[:len(full)/2]
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if b, err := os.ReadFile(filepath.Join(dir, f.Name())); err == nil && bytes.Equal(b, half) {
			return
		}
	}
	t.Fatalf("no file in %s holds the first half of the entry being written", dir)
}

// stallSave is the child of TestFileCacheKilledWriterKeepsOldEntry: it
// saves slowEntry in dir through a writer that, once half of the file is
// written and flushed, writes a byte to file descriptor 3 and waits on
// stdin until the parent kills it. It exits if the parent goes away first.
func stallSave(dir string) {
	ready := os.NewFile(3, "ready")
	c := NewFileCache(dir)
	c.wrapWriter = func(w io.Writer) io.Writer { return &stallingWriter{w: w, ready: ready} }
	err := c.Save(crashKey, slowEntry())
	os.Stderr.WriteString("the stalled save returned: " + errString(err) + "\n")
	os.Exit(2)
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// stallingWriter passes the first half of what it is given to w, flushes
// w, signals ready and waits on stdin, never returning while its process
// lives.
type stallingWriter struct {
	w     io.Writer
	ready *os.File
}

func (s *stallingWriter) Write(p []byte) (int, error) {
	if _, err := s.w.Write(p[:len(p)/2]); err != nil {
		return 0, err
	}
	if f, ok := s.w.(interface{ Flush() error }); ok {
		if err := f.Flush(); err != nil {
			return 0, err
		}
	}
	s.ready.Write([]byte{1})
	io.Copy(io.Discard, os.Stdin)
	os.Stderr.WriteString("the parent closed stdin before killing the writer\n")
	os.Exit(2)
	return 0, nil
}
