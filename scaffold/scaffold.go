package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/internal/shellquote"
	"github.com/callsheet/callsheet/schema"
	"github.com/callsheet/callsheet/session"
)

// File is one file of a project.
type File struct {
	Name string
	Data string
	Mode os.FileMode
}

// Project is what `callsheet init` writes: its files, and the command to
// run in its folder next.
type Project struct {
	Files []File
	Next  string
}

// NotBundledError is the error of a name that is no bundled collection;
// Suggest is the closest bundled name, "" when none is close.
type NotBundledError struct {
	Name, Suggest string
}

// Error names the collection and where the bundled names are listed.
func (e *NotBundledError) Error() string {
	return fmt.Sprintf("--from %s: no bundled collection of that name (callsheet list names them)", e.Name)
}

// Starter is the starter project: a collection against httpbin, its .env,
// the schema and a .gitignore.
func Starter() Project {
	return Project{
		Files: append([]File{{"collection.yaml", starterCollection, 0o644}, {".env", starterEnv, 0o600}}, common()...),
		Next:  "callsheet run --env-file .env collection.yaml",
	}
}

// common are the files of every project.
func common() []File {
	return []File{
		{schemaFile, string(schema.JSON), 0o644},
		{".gitignore", starterGitignore, 0o644},
	}
}

// FromBundled is the project of the bundled collection name: the
// collection, its schema comment pointing at the local copy, and a .env
// naming the environment variables it reads.
func FromBundled(name string) (Project, error) {
	if !collections.IsBundled(name) {
		return Project{}, &NotBundledError{Name: name, Suggest: collections.Suggest(name, collections.BundledNames())}
	}
	name = strings.TrimSuffix(name, ".yaml")
	src, err := fs.ReadFile(collections.Bundled(), name+".yaml")
	if err != nil {
		return Project{}, fmt.Errorf("init: %w", err)
	}
	c, err := collections.LoadBundled(name, collections.Options{})
	if err != nil {
		return Project{}, fmt.Errorf("init: %w", err)
	}
	file := path.Base(name) + ".yaml"
	files, err := descriptionFiles(c)
	if err != nil {
		return Project{}, fmt.Errorf("init: %w", err)
	}
	return Project{
		Files: append(append([]File{{file, localSchema(string(src)), 0o644}, {".env", envFileFor(c), 0o600}}, files...), common()...),
		Next: "callsheet run --sandbox " + file + " (the local sandbox), or fill in .env and " +
			"callsheet run --env-file .env " + file + " (Procore itself; see the README's \"Procore for real\")",
	}, nil
}

// descriptionFiles are the OpenAPI descriptions a bundled collection
// names (openapi:), copied beside it.
func descriptionFiles(c *collections.Collection) ([]File, error) {
	var out []File
	seen := map[string]bool{}
	for _, s := range append([]*collections.Step{{}}, c.Steps...) {
		o := c.OpenAPI
		if s.OpenAPI != nil {
			o = s.OpenAPI
		}
		if o == nil || o.Off || seen[o.File] {
			continue
		}
		seen[o.File] = true
		data, err := fs.ReadFile(collections.Bundled(), path.Join(path.Dir(c.File), o.File))
		if err != nil {
			return nil, err
		}
		out = append(out, File{o.File, string(data), 0o644})
	}
	return out, nil
}

// localSchema points a collection's schema comment at the local copy.
func localSchema(src string) string {
	first, rest, _ := strings.Cut(src, "\n")
	if strings.HasPrefix(first, "# yaml-language-server:") {
		return localSchemaComment + rest
	}
	return localSchemaComment + src
}

// envFileFor is a .env file naming every environment variable c reads
// without a fallback, with empty values to fill in.
func envFileFor(c *collections.Collection) string {
	var b strings.Builder
	b.WriteString("# Environment for callsheet run --env-file .env (NAME=value lines): the\n" +
		"# collection reads these as {{ env.NAME }}; a variable set in the shell wins.\n" +
		"# This file is ignored by git: keep secrets here, not in collections.\n")
	seen := map[string]bool{}
	for _, u := range c.EnvUses(nil) {
		if !u.Optional && !seen[u.Name] {
			seen[u.Name] = true
			b.WriteString(u.Name + "=\n")
		}
	}
	return b.String()
}

// Written says what Write did with one file.
type Written struct {
	// Path is the file's path.
	Path string
	// Kept says the file existed and was left as it was.
	Kept bool
	// IgnoredState says a .gitignore that existed gained the state folder.
	IgnoredState bool
}

// String says what Write did with the file, as `callsheet init` prints
// it: wrote PATH, kept PATH (exists), the latter after a line saying that
// a .gitignore gained the state folder.
func (w Written) String() string {
	path := safetext.Line(w.Path)
	switch {
	case w.Kept && w.IgnoredState:
		return fmt.Sprintf("added %s/ to %s\nkept %s (exists)", session.StateDir, path, path)
	case w.Kept:
		return fmt.Sprintf("kept %s (exists)", path)
	}
	return "wrote " + path
}

// NextIn is the command to run next, from the current folder, once the
// project is written into dir: Next, after a cd into dir unless dir is
// the current folder.
func (p Project) NextIn(dir string) string {
	if filepath.Clean(dir) == "." {
		return p.Next
	}
	return "cd " + shellquote.Quote(dir) + " && " + p.Next
}

// Write writes files into dir, keeping those that exist (a .gitignore
// gains the state folder when it lacks it), and says what it did with each
// file, up to an error.
func Write(dir string, files []File) ([]Written, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("init: %w", err)
	}
	var done []Written
	for _, f := range files {
		w, err := write(filepath.Join(dir, f.Name), f)
		if err != nil {
			return done, err
		}
		done = append(done, w)
	}
	return done, nil
}

// write writes f at p unless p exists.
func write(p string, f File) (Written, error) {
	w := Written{Path: p}
	if _, err := os.Stat(p); err == nil {
		w.Kept = true
		if f.Name == ".gitignore" {
			if w.IgnoredState, err = session.IgnoreStateDir(p); err != nil {
				return w, fmt.Errorf("init: %w", err)
			}
		}
		return w, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return w, fmt.Errorf("init: %w", err)
	}
	if err := os.WriteFile(p, []byte(f.Data), f.Mode); err != nil {
		return w, fmt.Errorf("init: %w", err)
	}
	return w, nil
}

// schemaFile is the local copy of the JSON Schema that Starter writes beside
// the collections, so that editors complete and check them offline.
const schemaFile = "collection.schema.json"

// localSchemaComment is the first line of the collections Starter writes: the
// YAML language server reads the schema from the file beside them.
const localSchemaComment = "# yaml-language-server: $schema=" + schemaFile + "\n"

// starterCollection is the collection `callsheet init` writes. It runs
// against httpbin, an echo server, and sends the token of .env.
const starterCollection = localSchemaComment + `name: My API
description: |-
  A starter collection against httpbin, a server that echoes requests:
  https://httpbin.org, or a local one with --var base_url=http://127.0.0.1:8080
  (go run github.com/mccutchen/go-httpbin/v2/cmd/go-httpbin@latest). Run it with
  callsheet run --env-file .env collection.yaml

vars:
  base_url: https://httpbin.org
  # env.API_TOKEN reads the environment, or the .env file given with
  # --env-file when the environment has no API_TOKEN. Keep secrets there.
  api_token: "{{ env.API_TOKEN }}"

secrets: [api_token]

steps:
  - name: check the token
    GET: "{{ base_url }}/bearer"
    headers:
      Authorization: "Bearer {{ api_token }}"
    expect:
      status: 200
      json:
        authenticated: true
        token: "{{ api_token }}"

  - name: get json
    GET: "{{ base_url }}/json"
    expect:
      status: 200
      headers:
        Content-Type: {contains: application/json}
      json:
        slideshow.title: {type: string}
    capture:
      title: slideshow.title

  - name: post it back
    POST: "{{ base_url }}/anything"
    json:
      title: "{{ title }}"
    expect:
      status: 200
      json:
        json.title: "{{ title }}"
`

// starterEnv is the .env file Starter writes for the starter collection.
const starterEnv = `# Environment for callsheet run --env-file .env (NAME=value lines): the
# collection reads these as {{ env.NAME }}; a variable set in the shell wins.
# This file is ignored by git: keep secrets here, not in collections.
# httpbin takes any token; put your API's here.
API_TOKEN=replace-me
`

// starterGitignore is the .gitignore Starter writes.
const starterGitignore = `# callsheet: environment files hold secrets
.env
*.env
# saved state (may hold tokens) and recorded runs
.callsheet/
`
