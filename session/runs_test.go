package session

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRecorder records two runs of a collection that captures a secret
// token, and checks the store: each run in its own folder (0700, files
// 0600), listed newest first, the token never written.
func TestRecorder(t *testing.T) {
	srv := newEchoServer(t)
	dir := writeFiles(t, map[string]string{"loop.yaml": loginCollection})
	var dirs []string
	for range 2 {
		rec := &Recorder{}
		run(t, newSession(t, Options{Paths: []string{dir}, Vars: baseVars(srv.URL)}), srv.Client(), rec)
		if len(rec.Dirs()) != 1 {
			t.Fatalf("Dirs() = %v, want one folder", rec.Dirs())
		}
		dirs = append(dirs, rec.Dirs()[0])
	}
	if dirs[0] == dirs[1] || filepath.Dir(dirs[0]) != RunsIn(dir) {
		t.Errorf("recorded in %v, want two folders in %s", dirs, RunsIn(dir))
	}
	filepath.WalkDir(dirs[0], func(path string, d fs.DirEntry, err error) error {
		info, _ := d.Info()
		if want := fs.FileMode(0o600); d.IsDir() {
			want = 0o700
			if info.Mode().Perm() != want {
				t.Errorf("%s mode %v, want %v", path, info.Mode().Perm(), want)
			}
		} else if info.Mode().Perm() != want {
			t.Errorf("%s mode %v, want %v", path, info.Mode().Perm(), want)
		}
		if data, _ := os.ReadFile(path); strings.Contains(string(data), "tok-6") {
			t.Errorf("%s holds the token:\n%s", path, data)
		}
		return nil
	})
	runs, err := ListRuns(RunsIn(dir), 0)
	if err != nil || len(runs) != 2 || runs[0].ID != filepath.Base(dirs[1]) {
		t.Fatalf("ListRuns() = %v, %v; want the 2 runs, newest first", runs, err)
	}
	if idx := runs[1]; idx.Collection != "loop" || !idx.Passed || idx.Kind != "run" || len(idx.Exchanges) != 2 || idx.Exchanges[0].Step != "login" {
		t.Errorf("index = %+v, want the run of loop with its 2 exchanges", idx)
	}
	if runs, _ := ListRuns(RunsIn(dir), 1); len(runs) != 1 {
		t.Errorf("ListRuns(limit 1) = %d runs", len(runs))
	}
	if _, err := ListRuns(RunsIn(t.TempDir()), 0); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ListRuns(no folder) error = %v, want fs.ErrNotExist", err)
	}
	t.Chdir(dir)
	if got, err := RunFolder(runs[0].ID); err != nil || got != filepath.Join(StateDir, RunsDir, runs[0].ID) {
		t.Errorf("RunFolder(ID) = %s, %v", got, err)
	}
	var ie *InputError
	if _, err := RunFolder("nope"); !errors.As(err, &ie) {
		t.Errorf("RunFolder(nope) error = %v, want an *InputError", err)
	}
}
