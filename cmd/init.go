package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/convert"
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/session"
)

// starterCollection is the collection `callsheet init` writes.
const starterCollection = convert.SchemaComment + `name: My API
description: A starter collection. Run it with callsheet run --env-file .env .

vars:
  base_url: https://httpbin.org
  # Secrets come from the environment (or --env-file); never write them here.
  api_token: "{{ env.API_TOKEN ?? \"\" }}"

secrets: [api_token]

steps:
  - name: get json
    GET: "{{ base_url }}/json"
    headers:
      Authorization: "Bearer {{ api_token }}"
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

// starterEnv is the .env file init writes.
const starterEnv = `# Variables for callsheet run --env-file .env (NAME=value lines).
# This file is ignored by git: keep secrets here, not in collections.
API_TOKEN=
`

// starterGitignore is the .gitignore init writes.
const starterGitignore = `# callsheet: environment files hold secrets
.env
*.env
# saved state (may hold tokens) and recorded runs
.callsheet/
`

// newInitCommand is `callsheet init [DIR]`.
func newInitCommand(sys *system) *cli.Command {
	return &cli.Command{
		Name:         "init",
		Usage:        "write a starter collection, an env file and a .gitignore",
		ArgsUsage:    "[DIR]",
		OnUsageError: onUsageError("init"),
		Action: func(c *cli.Context) error {
			dir, err := optionalArg(c, ".", "init", "init takes at most one DIR")
			if err != nil {
				return err
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("init: %w", err)
			}
			files := []struct {
				name string
				data string
				mode os.FileMode
			}{
				{"collection.yaml", starterCollection, 0o644},
				{".env", starterEnv, 0o600},
				{".gitignore", starterGitignore, 0o644},
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
		},
	}
}
