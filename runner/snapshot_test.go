package runner

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSnapshot(t *testing.T) {
	body := `{"id": 1, "created": "2024-01-01", "name": "Ada"}`
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, body)
	}))
	dir := t.TempDir()
	file := filepath.Join(dir, "c.yaml")
	src := fmt.Sprintf("steps:\n  - GET: %s\n    expect:\n      snapshot: {file: snaps/user.json, ignore: [created]}\n", srv.URL)
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	c := loadFile(t, file)
	snap := filepath.Join(dir, "snaps", "user.json")

	// First run writes the file.
	wantOutcomes(t, runColl(t, nil, c, Options{}), "passed")
	if _, err := os.Stat(snap); err != nil {
		t.Fatalf("snapshot not written: %v", err)
	}
	// An ignored path may change.
	body = `{"id": 1, "created": "2025-02-02", "name": "Ada"}`
	wantOutcomes(t, runColl(t, nil, c, Options{}), "passed")
	// Another change fails with a diff.
	body = `{"id": 2, "created": "2025-02-02", "name": "Ada"}`
	res := runColl(t, nil, c, Options{})
	wantOutcomes(t, res, "failed")
	if got, want := strings.Join(res.Steps[0].Checks[0].Details, "\n"), "id: actual integer <2>, expected integer <1>"; got != want {
		t.Errorf("snapshot diff = %q, want %q", got, want)
	}
	// --update-snapshots accepts it.
	wantOutcomes(t, runColl(t, nil, c, Options{UpdateSnapshots: true}), "passed")
	wantOutcomes(t, runColl(t, nil, c, Options{}), "passed")
	if b, _ := os.ReadFile(snap); !strings.Contains(string(b), `"id": 2`) {
		t.Errorf("snapshot = %s, want the updated body", b)
	}
}
