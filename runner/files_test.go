package runner

import (
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

// TestFileReferencesStayInside sends multipart file parts and checks that
// only files inside the collection's folder tree can be sent.
func TestFileReferencesStayInside(t *testing.T) {
	var (
		mu   sync.Mutex
		got  string
		hits int
	)
	base := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		hits++
		f, _, err := r.FormFile("f")
		if err != nil {
			got = "error: " + err.Error()
			return
		}
		b, _ := io.ReadAll(f)
		got = string(b)
	})).URL

	outer := t.TempDir()
	dir := filepath.Join(outer, "coll")
	write := func(path, data string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(outer, "secret.txt"), "outside")
	write(filepath.Join(dir, "data", "in.txt"), "inside")
	if err := os.Symlink(filepath.Join(outer, "secret.txt"), filepath.Join(dir, "link-out.txt")); err != nil {
		t.Fatal(err)
	}
	// A relative link that stays inside is followed; os.Root refuses
	// absolute link targets, even ones pointing inside.
	if err := os.Symlink(filepath.Join("data", "in.txt"), filepath.Join(dir, "link-in.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outer, filepath.Join(dir, "dir-out")); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, path string
		want       string // the part's content; "" means refused
	}{
		{name: "relative inside", path: "data/in.txt", want: "inside"},
		{name: "dot segments staying inside", path: "data/../data/./in.txt", want: "inside"},
		{name: "absolute inside", path: filepath.Join(dir, "data", "in.txt"), want: "inside"},
		{name: "symlink inside", path: "link-in.txt", want: "inside"},
		{name: "parent", path: "../secret.txt"},
		{name: "etc passwd", path: "../../../../../../../etc/passwd"},
		{name: "absolute outside", path: "/etc/passwd"},
		{name: "symlink out", path: "link-out.txt"},
		{name: "through a symlinked folder", path: "dir-out/secret.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "steps:\n  - name: upload\n    POST: \"{{ base }}/\"\n    multipart:\n      f: { file: \"{{ path }}\" }\n"
			file := filepath.Join(dir, "test.yaml")
			write(file, src)
			c, err := collections.Load(file, collections.Options{Defined: []string{"base", "path"}})
			if err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			before := hits
			mu.Unlock()
			res := runColl(t, nil, c, Options{Vars: map[string]any{"base": base, "path": tt.path}})
			mu.Lock()
			defer mu.Unlock()
			if tt.want != "" {
				wantOutcomes(t, res, "passed")
				if got != tt.want {
					t.Errorf("part content = %q, want %q", got, tt.want)
				}
				return
			}
			wantOutcomes(t, res, "error")
			err = res.Steps[0].Err
			if !errors.Is(err, ErrOutsideCollection) || !strings.Contains(err.Error(), "outside the collection's folder") {
				t.Errorf("step Err = %v, want ErrOutsideCollection", err)
			}
			if hits != before {
				t.Errorf("the request was sent (%d hits), want nothing sent", hits-before)
			}
		})
	}
}

// TestSchemaAndSnapshotFilesStayInside checks that schema files, the
// files their $ref name, and snapshot files resolve inside the
// collection's folder tree.
func TestSchemaAndSnapshotFilesStayInside(t *testing.T) {
	base := jsonServer(t, `{"id": 7}`).URL
	outer := t.TempDir()
	dir := filepath.Join(outer, "coll")
	files := map[string]string{
		filepath.Join(outer, "outside.json"):          `{"type": "object"}`,
		filepath.Join(dir, "schemas", "user.json"):    `{"type": "object", "properties": {"id": {"$ref": "id.json"}}}`,
		filepath.Join(dir, "schemas", "id.json"):      `{"type": "integer"}`,
		filepath.Join(dir, "schemas", "ref-out.json"): `{"$ref": "../../outside.json"}`,
		filepath.Join(dir, "snaps", "user.json"):      `{"id": 7}`,
		filepath.Join(outer, "outside-snapshot.json"): `{"id": 7}`,
	}
	for path, data := range files {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outer, filepath.Join(dir, "link-out")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, expect string
		outside      bool
	}{
		{name: "schema inside, with a $ref inside", expect: "schema: schemas/user.json"},
		{name: "schema outside", expect: "schema: ../outside.json", outside: true},
		{name: "schema $ref outside", expect: "schema: schemas/ref-out.json", outside: true},
		{name: "schema through a symlink out", expect: "schema: link-out/outside.json", outside: true},
		{name: "snapshot inside", expect: "snapshot: {file: snaps/user.json}"},
		{name: "snapshot outside", expect: "snapshot: {file: ../outside-snapshot.json}", outside: true},
		{name: "snapshot written outside", expect: "snapshot: {file: ../../new-snapshot.json}", outside: true},
		{name: "snapshot through a symlink out", expect: "snapshot: {file: link-out/outside-snapshot.json}", outside: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(dir, "test.yaml")
			src := "steps:\n  - name: get\n    GET: \"{{ base }}/\"\n    expect:\n      " + tt.expect + "\n"
			if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
				t.Fatal(err)
			}
			c, err := collections.Load(file, collections.Options{Defined: []string{"base"}})
			if err != nil {
				t.Fatal(err)
			}
			res := runColl(t, nil, c, Options{Vars: map[string]any{"base": base}})
			if !tt.outside {
				wantOutcomes(t, res, "passed")
				return
			}
			if res.Steps[0].Outcome == Passed {
				t.Fatalf("step passed, want it refused")
			}
			// The schema library keeps only the text of its loader's
			// errors, so schemas are checked by message.
			if err := res.Steps[0].Err; err == nil || !errors.Is(err, ErrOutsideCollection) && !strings.Contains(err.Error(), "file is outside the collection's folder") {
				t.Errorf("step Err = %v, want ErrOutsideCollection", err)
			}
			if _, err := os.Stat(filepath.Join(outer, "..", "new-snapshot.json")); err == nil {
				t.Errorf("a snapshot was written outside the collection's folder")
			}
		})
	}
}
