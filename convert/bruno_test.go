package convert

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/wiretest"
	"github.com/callsheet/callsheet/runner"
)

// brunoCases are request files; {{baseUrl}} is the server, set by the
// environment "local".
var brunoCases = []struct{ name, bru string }{
	{"JSON body as written", "meta {\n  name: j\n  seq: 1\n}\n\npost {\n  url: {{baseUrl}}/j\n  body: json\n  auth: none\n}\n\nbody:json {\n  {\n    \"b\": 1,\n    \"a\": [2]\n  }\n}\n"},
	{"query, headers and bearer auth", "meta {\n  name: q\n  seq: 1\n}\n\nget {\n  url: {{baseUrl}}/items?limit=2&sort=name\n  body: none\n  auth: bearer\n}\n\nparams:query {\n  limit: 2\n  sort: name\n}\n\nheaders {\n  X-Trace: abc\n}\n\nauth:bearer {\n  token: t-1\n}\n"},
	{"form body", "meta {\n  name: f\n  seq: 1\n}\n\npost {\n  url: {{baseUrl}}/login\n  body: formUrlEncoded\n  auth: none\n}\n\nbody:form-urlencoded {\n  user: ann\n  note: a b&c\n}\n"},
	{"text body", "meta {\n  name: t\n  seq: 1\n}\n\nput {\n  url: {{baseUrl}}/note\n  body: text\n  auth: none\n}\n\nbody:text {\n  paid in full\n}\n"},
}

// TestSendsWhatBrunoSends runs each request with Bruno's CLI and,
// imported, with callsheet at the same raw-byte server: the bytes match
// but for the fields each client adds itself (Bruno's own
// request-start-time among them).
func TestSendsWhatBrunoSends(t *testing.T) {
	bru := os.Getenv("BRU")
	if bru == "" {
		var err error
		if bru, err = exec.LookPath("bru"); err != nil {
			t.Skip("Bruno's CLI (bru) is not installed")
		}
	}
	for _, tt := range brunoCases {
		t.Run(tt.name, func(t *testing.T) {
			srv := wiretest.NewServer(t, nil)
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{
				"bruno.json":             `{"version": "1", "name": "wire", "type": "collection"}`,
				"environments/local.bru": "vars {\n  baseUrl: " + srv.URL + "\n}\n",
				"req.bru":                tt.bru,
			})
			cmd := exec.CommandContext(t.Context(), bru, "run", "--env", "local")
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("bru run: %v\n%s", err, out)
			}
			want := dropFields(only(t, srv.Take()), "connection", "request-start-time")
			im, err := ImportBruno("wire", os.DirFS(dir))
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, "wire.yaml")
			os.WriteFile(file, im.Files[0].Data, 0o644)
			c, err := collections.Load(file, collections.Options{Defined: []string{"baseUrl"}})
			if err != nil {
				t.Fatalf("Load error = %v\n%s", err, im.Files[0].Data)
			}
			runner.New(nil).Run(t.Context(), c, runner.Options{Vars: map[string]any{"baseUrl": srv.URL}})
			if got := only(t, srv.Take()); got != want {
				t.Errorf("callsheet sent\n%s\nbru sent\n%s\ncollection:\n%s", got, want, im.Files[0].Data)
			}
		})
	}
}

// writeFiles writes name → content under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
