package scaffold

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

func TestProjects(t *testing.T) {
	bundled, err := FromBundled("procore/with-profile")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		p        Project
		file     string
		wantEnv  []string
		wantNext string
	}{
		{"starter", Starter(), "collection.yaml", []string{"API_TOKEN=replace-me"}, "callsheet run --env-file .env collection.yaml"},
		{"bundled", bundled, "with-profile.yaml", []string{"PROCORE_CLIENT_ID=\n", "PROCORE_CLIENT_SECRET=\n"}, "callsheet run --sandbox with-profile.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			written, err := Write(dir, tt.p.Files)
			if err != nil || len(written) != 4 {
				t.Fatalf("Write() = %v, %v, want 4 files", written, err)
			}
			c, err := collections.Load(filepath.Join(dir, tt.file), collections.Options{})
			if err != nil {
				t.Fatalf("the project's collection does not load: %v", err)
			}
			if src := string(c.SourceOf(c.File)); !strings.HasPrefix(src, "# yaml-language-server: $schema="+schemaFile+"\n") {
				t.Errorf("collection does not point at the local schema:\n%.80s", src)
			}
			env, err := os.ReadFile(filepath.Join(dir, ".env"))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.wantEnv {
				if !strings.Contains(string(env), w) {
					t.Errorf(".env lacks %q:\n%s", w, env)
				}
			}
			if st, _ := os.Stat(filepath.Join(dir, ".env")); st.Mode().Perm() != 0o600 {
				t.Errorf(".env mode %v, want 0600", st.Mode().Perm())
			}
			if !strings.HasPrefix(tt.p.Next, tt.wantNext) {
				t.Errorf("Next = %q, want it to start %q", tt.p.Next, tt.wantNext)
			}
		})
	}
}

func TestWriteKeepsFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".env"), []byte("MINE=1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".gitignore"), []byte("bin/\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	written, err := Write(dir, Starter().Files)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Written{}
	for _, w := range written {
		got[filepath.Base(w.Path)] = w
	}
	if w := got[".env"]; !w.Kept || w.IgnoredState {
		t.Errorf(".env: %+v, want kept", w)
	}
	if w := got[".gitignore"]; !w.Kept || !w.IgnoredState {
		t.Errorf(".gitignore: %+v, want kept with the state folder added", w)
	}
	if w := got["collection.yaml"]; w.Kept {
		t.Errorf("collection.yaml: %+v, want written", w)
	}
	says := map[string]string{
		".env":            "kept " + filepath.Join(dir, ".env") + " (exists)",
		".gitignore":      "added .callsheet/ to " + filepath.Join(dir, ".gitignore") + "\nkept " + filepath.Join(dir, ".gitignore") + " (exists)",
		"collection.yaml": "wrote " + filepath.Join(dir, "collection.yaml"),
	}
	for name, want := range says {
		if s := got[name].String(); s != want {
			t.Errorf("%s: String() = %q, want %q", name, s, want)
		}
	}
	if env, _ := os.ReadFile(filepath.Join(dir, ".env")); string(env) != "MINE=1\n" {
		t.Errorf(".env was overwritten: %q", env)
	}
	if ig, _ := os.ReadFile(filepath.Join(dir, ".gitignore")); !strings.HasPrefix(string(ig), "bin/\n") || !strings.Contains(string(ig), ".callsheet/") {
		t.Errorf(".gitignore = %q, want bin/ kept and .callsheet/ added", ig)
	}
}

func TestWrittenEscapesItsPath(t *testing.T) {
	if s := (Written{Path: "a\x1b[2Jb.yaml"}).String(); s != `wrote a\x1b[2Jb.yaml` {
		t.Errorf("String() = %q, want the escape shown, not sent", s)
	}
}

func TestNextIn(t *testing.T) {
	p := Project{Next: "callsheet run collection.yaml"}
	tests := []struct{ dir, want string }{
		{".", "callsheet run collection.yaml"},
		{"./", "callsheet run collection.yaml"},
		{"api", "cd api && callsheet run collection.yaml"},
		{"my api", "cd 'my api' && callsheet run collection.yaml"},
	}
	for _, tt := range tests {
		if got := p.NextIn(tt.dir); got != tt.want {
			t.Errorf("NextIn(%q) = %q, want %q", tt.dir, got, tt.want)
		}
	}
}

func TestFromBundledUnknown(t *testing.T) {
	_, err := FromBundled("procore/first-cal")
	var nb *NotBundledError
	if !errors.As(err, &nb) || nb.Suggest != "procore/first-call" {
		t.Fatalf("FromBundled(typo) = %v, want a NotBundledError suggesting procore/first-call", err)
	}
}

// TestFromBundledCopiesDescriptions checks that a bundled collection that
// names an OpenAPI description (openapi:) gets it copied beside it.
func TestFromBundledCopiesDescriptions(t *testing.T) {
	p, err := FromBundled("procore/first-call")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range p.Files {
		names = append(names, f.Name)
		if f.Name == "openapi.yaml" && !strings.Contains(f.Data, "openapi:") {
			t.Errorf("openapi.yaml is not a description:\n%.200s", f.Data)
		}
	}
	if !slices.Contains(names, "openapi.yaml") {
		t.Errorf("files %v, want openapi.yaml beside first-call.yaml", names)
	}
}
