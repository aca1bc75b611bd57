package cmd

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mccutchen/go-httpbin/v2/httpbin"

	"github.com/callsheet/callsheet/schema"
)

func TestInitIgnoresState(t *testing.T) {
	tests := []struct {
		name     string
		existing string // "" for no .gitignore
		want     string // the .gitignore after init, when one existed
	}{
		{name: "new gitignore"},
		{name: "existing gitignore gets the line", existing: "bin/", want: "bin/\n# callsheet: saved state (may hold tokens) and recorded runs\n.callsheet/\n"},
		{name: "existing line kept once", existing: "/.callsheet\nbin/\n", want: "/.callsheet\nbin/\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.existing != "" {
				writeFiles(t, dir, map[string]string{".gitignore": tt.existing})
			}
			if out := callsheet(t, nil, "init", dir); out.code != ExitOK {
				t.Fatalf("init: exit %d\n%s%s", out.code, out.stdout, out.stderr)
			}
			gi, err := os.ReadFile(filepath.Join(dir, ".gitignore"))
			switch {
			case err != nil:
				t.Fatal(err)
			case tt.existing == "" && !strings.Contains(string(gi), "\n.callsheet/\n"):
				t.Errorf(".gitignore = %q; want a .callsheet/ line", gi)
			case tt.existing != "" && string(gi) != tt.want:
				t.Errorf(".gitignore = %q, want %q", gi, tt.want)
			}
		})
	}
}

// TestInitPassesFirstTime runs the starter project as its next line says,
// against a local httpbin: the token of .env must arrive (the collection
// reads it as env.API_TOKEN), and one set in the environment wins.
func TestInitPassesFirstTime(t *testing.T) {
	var mu sync.Mutex
	var got []string
	bin := httpbin.New()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/bearer" {
			mu.Lock()
			got = append(got, r.Header.Get("Authorization"))
			mu.Unlock()
		}
		bin.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	if out := callsheet(t, nil, "init", dir); out.code != ExitOK || !strings.Contains(out.stderr, "callsheet run --env-file .env collection.yaml") {
		t.Fatalf("init = exit %d, stderr %q; want 0 and the command to run next", out.code, out.stderr)
	}
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{nil, "Bearer replace-me"},
		{map[string]string{"API_TOKEN": "from-the-shell"}, "Bearer from-the-shell"},
	} {
		got = nil
		out := callsheet(t, tt.env, "run", "--env-file", filepath.Join(dir, ".env"), "--var", "base_url="+srv.URL, filepath.Join(dir, "collection.yaml"))
		if out.code != ExitOK {
			t.Errorf("run of the starter project with environment %v = exit %d\n%s%s", tt.env, out.code, out.stdout, out.stderr)
		}
		if len(got) != 1 || got[0] != tt.want {
			t.Errorf("with environment %v the server received Authorization %q, want %q", tt.env, got, tt.want)
		}
		if strings.Contains(out.stdout, strings.TrimPrefix(tt.want, "Bearer ")) {
			t.Errorf("the token shows in the output:\n%s", out.stdout)
		}
	}
	if out := callsheet(t, nil, "run", "--var", "base_url="+srv.URL, filepath.Join(dir, "collection.yaml")); out.code != ExitUsage || !strings.Contains(out.stderr, "environment variable API_TOKEN is not set") {
		t.Errorf("run without --env-file = exit %d, stderr %q; want 2 naming API_TOKEN", out.code, out.stderr)
	}
}

// TestInitFiles checks what init writes: a canonical collection whose
// schema is the local copy, and with --from a bundled collection that
// passes against the sandbox and a .env of the variables it reads.
func TestInitFiles(t *testing.T) {
	dir := t.TempDir()
	if out := callsheet(t, nil, "init", dir); out.code != ExitOK {
		t.Fatalf("init = exit %d, %s", out.code, out.stderr)
	}
	from := filepath.Join(t.TempDir(), "p")
	if out := callsheet(t, nil, "init", "--from", "procore/first-call", from); out.code != ExitOK {
		t.Fatalf("init --from = exit %d, %s", out.code, out.stderr)
	}
	for _, file := range []string{filepath.Join(dir, "collection.yaml"), filepath.Join(from, "first-call.yaml")} {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(src), "# yaml-language-server: $schema=collection.schema.json\n") {
			t.Errorf("%s starts %.80q, want the local schema", file, src)
		}
		schemaCopy, err := os.ReadFile(filepath.Join(filepath.Dir(file), "collection.schema.json"))
		if err != nil || !bytes.Equal(schemaCopy, schema.JSON) {
			t.Errorf("collection.schema.json beside %s: %v, want the embedded schema", file, err)
		}
		if out := callsheet(t, nil, "fmt", "--check", file); out.code != ExitOK {
			t.Errorf("fmt --check %s = exit %d, %s", file, out.code, out.stdout)
		}
	}
	env, err := os.ReadFile(filepath.Join(from, ".env"))
	if err != nil || !strings.Contains(string(env), "\nPROCORE_CLIENT_ID=\nPROCORE_CLIENT_SECRET=\nPROCORE_COMPANY_ID=\n") {
		t.Errorf(".env of init --from = %q, %v; want the three variables first-call reads", env, err)
	}
	if out := callsheet(t, nil, "run", "--sandbox", filepath.Join(from, "first-call.yaml")); out.code != ExitOK {
		t.Errorf("run --sandbox of the copied collection = exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	if out := callsheet(t, nil, "init", "--from", "procore/frist-call", t.TempDir()); out.code != ExitUsage || !strings.Contains(out.stderr, `did you mean "procore/first-call"?`) {
		t.Errorf("init --from procore/frist-call = exit %d, %q; want 2 with a suggestion", out.code, out.stderr)
	}
}
