package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/schema"
	"github.com/callsheet/callsheet/session"
)

// schemaFile is the local copy of the JSON Schema that init writes beside
// the collections, so that editors complete and check them offline.
const schemaFile = "collection.schema.json"

// localSchemaComment is the first line of the collections init writes: the
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

// starterEnv is the .env file init writes for the starter collection.
const starterEnv = `# Environment for callsheet run --env-file .env (NAME=value lines): the
# collection reads these as {{ env.NAME }}; a variable set in the shell wins.
# This file is ignored by git: keep secrets here, not in collections.
# httpbin takes any token; put your API's here.
API_TOKEN=replace-me
`

// starterGitignore is the .gitignore init writes.
const starterGitignore = `# callsheet: environment files hold secrets
.env
*.env
# saved state (may hold tokens) and recorded runs
.callsheet/
`

// initFile is one file init writes.
type initFile struct {
	name string
	data string
	mode os.FileMode
}

// newInitCommand is `callsheet init [--from NAME] [DIR]`.
func newInitCommand(sys *system) *cli.Command {
	var from string
	return &cli.Command{
		Name:      "init",
		Usage:     "write a starter collection (or copy a bundled one), an env file, the schema and a .gitignore",
		ArgsUsage: "[DIR]",
		Description: "Writes into DIR (default: the current folder) a collection, a .env file for\n" +
			"--env-file, collection.schema.json for editors and a .gitignore. Files that\n" +
			"exist are kept. The starter collection runs against httpbin; --from copies a\n" +
			"bundled collection instead (callsheet list names them), with a .env listing\n" +
			"the environment variables it reads.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "from", Usage: "copy the bundled collection `NAME` (such as procore/first-call)", Destination: &from},
		},
		OnUsageError: onUsageError("init"),
		Action: func(c *cli.Context) error {
			dir, err := optionalArg(c, ".", "init", "init takes at most one DIR")
			if err != nil {
				return err
			}
			files, next, err := initFiles(from)
			if err != nil {
				return err
			}
			if err := writeInitFiles(sys, dir, files); err != nil {
				return err
			}
			fmt.Fprintf(sys.stderr, "\nnext: %s\n", next(dir))
			return nil
		},
	}
}

// initFiles returns the files init writes, and the command to run next in
// dir: the starter project's, or the bundled collection from's.
func initFiles(from string) ([]initFile, func(dir string) string, error) {
	common := []initFile{
		{schemaFile, string(schema.JSON), 0o644},
		{".gitignore", starterGitignore, 0o644},
	}
	if from == "" {
		next := func(dir string) string {
			return cdPrefix(dir) + "callsheet run --env-file .env collection.yaml"
		}
		return append([]initFile{{"collection.yaml", starterCollection, 0o644}, {".env", starterEnv, 0o600}}, common...), next, nil
	}
	if !collections.IsBundled(from) {
		err := &usageError{err: fmt.Errorf("--from %s: no bundled collection of that name (callsheet list names them)", from), command: "init"}
		if s := collections.Suggest(from, collections.BundledNames()); s != "" {
			err.hint = fmt.Sprintf("did you mean %q?", s)
		}
		return nil, nil, err
	}
	name := strings.TrimSuffix(from, ".yaml")
	src, err := fs.ReadFile(collections.Bundled(), name+".yaml")
	if err != nil {
		return nil, nil, fmt.Errorf("init: %w", err)
	}
	c, err := collections.LoadBundled(name, collections.Options{})
	if err != nil {
		return nil, nil, fmt.Errorf("init: %w", err)
	}
	file := path.Base(name) + ".yaml"
	next := func(dir string) string {
		return cdPrefix(dir) + "callsheet run --sandbox " + file + " (the local sandbox), or fill in .env and " +
			"callsheet run --env-file .env " + file + " (Procore itself; see the README's \"Procore for real\")"
	}
	files, err := descriptionFiles(c)
	if err != nil {
		return nil, nil, fmt.Errorf("init: %w", err)
	}
	return append(append([]initFile{{file, localSchema(string(src)), 0o644}, {".env", envFileFor(c), 0o600}}, files...), common...), next, nil
}

// descriptionFiles are the OpenAPI descriptions a bundled collection
// names (openapi:), copied beside it.
func descriptionFiles(c *collections.Collection) ([]initFile, error) {
	var out []initFile
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
		out = append(out, initFile{o.File, string(data), 0o644})
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

// cdPrefix is "cd DIR && " unless dir is the current folder.
func cdPrefix(dir string) string {
	if filepath.Clean(dir) == "." {
		return ""
	}
	return "cd " + shellQuote(dir) + " && "
}

// writeInitFiles writes files into dir, keeping those that exist (a
// .gitignore gains the state folder when it lacks it).
func writeInitFiles(sys *system, dir string, files []initFile) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if _, err := os.Stat(p); err == nil {
			if f.name == ".gitignore" {
				added, err := session.IgnoreStateDir(p)
				if err != nil {
					return fmt.Errorf("init: %w", err)
				}
				if added {
					fmt.Fprintf(sys.stderr, "added %s/ to %s\n", session.StateDir, safetext.Line(p))
				}
			}
			fmt.Fprintf(sys.stderr, "kept %s (exists)\n", safetext.Line(p))
			continue
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("init: %w", err)
		}
		if err := os.WriteFile(p, []byte(f.data), f.mode); err != nil {
			return fmt.Errorf("init: %w", err)
		}
		fmt.Fprintf(sys.stderr, "wrote %s\n", safetext.Line(p))
	}
	return nil
}
