package report

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/session"
)

func TestReadJSONFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	os.WriteFile(good, []byte(`{"version": 1, "collections": [
		{"name": "a", "file": "a.yaml", "outcome": "passed", "duration_ms": 12.5},
		{"name": "login [iteration 2]", "file": "b.arazzo.yaml", "outcome": "failed", "duration_ms": 3}]}`), 0o600)
	rep, err := ReadJSONFile(good)
	if err != nil {
		t.Fatal(err)
	}
	want := []session.FileRun{
		{File: "a.yaml", Name: "a", Outcome: "passed", DurationMS: 12.5},
		{File: "b.arazzo.yaml", Name: "login [iteration 2]", Outcome: "failed", DurationMS: 3},
	}
	if got := rep.FileRuns(); !reflect.DeepEqual(got, want) {
		t.Errorf("FileRuns() = %+v, want %+v", got, want)
	}

	for name, content := range map[string]string{"version.json": `{"version": 2}`, "broken.json": `{"version": 1,`} {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(content), 0o600)
		if _, err := ReadJSONFile(path); err == nil || !strings.HasPrefix(err.Error(), path+": read JSON report: ") {
			t.Errorf("ReadJSONFile(%s) = %v, want an error naming the file", name, err)
		}
	}
	if _, err := ReadJSONFile(filepath.Join(dir, "none.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadJSONFile(none.json) = %v, want fs.ErrNotExist", err)
	}
}
