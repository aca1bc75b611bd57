package convert

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/runner"
)

// TestCurlDataFileRoundTrip imports curl -d @FILE as a body read with
// file(), and checks at a test server that curl, callsheet and the
// exported command (--data-binary @FILE) send the same request.
func TestCurlDataFileRoundTrip(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	rc, ts := newRecorder(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "body.json"), []byte(`{"name": "Tower", "ids": [1, 2]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	command := `curl -H 'Content-Type: application/json' -d @body.json ` + ts.URL + `/projects`
	sh(t, dir, command)
	original := rc.take()

	im, err := ImportCurl("data file", command)
	if err != nil {
		t.Fatalf("ImportCurl error = %v", err)
	}
	out := string(im.Files[0].Data)
	if !strings.Contains(out, "POST: "+ts.URL+"/projects") || !strings.Contains(out, `body: "{{ file(\"body.json\") }}"`) {
		t.Errorf("imported step is not a POST of the file:\n%s", out)
	}
	file := filepath.Join(dir, "data-file.yaml")
	if err := os.WriteFile(file, im.Files[0].Data, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := collections.Load(file, collections.Options{})
	if err != nil {
		t.Fatalf("Load(imported) error = %v", err)
	}
	if got := FilesRead(c); len(got) != 1 || got[0] != "body.json" {
		t.Errorf("FilesRead = %q, want [body.json]", got)
	}
	res := runner.New(ts.Client()).Run(context.Background(), c, runner.Options{Limits: runner.Limits{Timeout: 10 * time.Second}})
	for _, s := range res.Steps {
		if s.Outcome != runner.Passed {
			t.Errorf("step %q = %v (%v), want passed", s.Name, s.Outcome, s.Err)
		}
	}
	compare(t, "callsheet run", rc.take(), original)

	exported, err := exportCurl(c, nil), error(nil)
	if err != nil {
		t.Fatalf("ExportCurl error = %v", err)
	}
	if !strings.Contains(exported, "--data-binary @"+filepath.Join(dir, "body.json")) {
		t.Errorf("exported command does not send the file:\n%s", exported)
	}
	sh(t, dir, exported)
	compare(t, "exported curl", rc.take(), original)

	for _, bad := range []string{"curl -d @a.json -d @b.json http://h/x", "curl -d @- http://h/x", "curl -d @a.json -d x=1 http://h/x"} {
		im, err := ImportCurl("bad", bad)
		if err != nil {
			t.Fatalf("ImportCurl(%q) error = %v", bad, err)
		}
		if len(im.Notes) == 0 {
			t.Errorf("ImportCurl(%q) reported nothing:\n%s", bad, im.Files[0].Data)
		}
	}
}
