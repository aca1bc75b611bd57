package cmd

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/convert"
	"github.com/callsheet/callsheet/openapi"
)

// importOptions are the flags and arguments of `callsheet import`.
type importOptions struct {
	outDir      string
	environment string
	name        string
	all         bool
	single      bool
}

// newImportCommand is `callsheet import postman|curl|har|openapi`.
func newImportCommand(sys *system) *cli.Command {
	opts := &importOptions{}
	out := &cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the files into `DIR` (default: print the collection)", Destination: &opts.outDir}
	name := &cli.StringFlag{Name: "name", Usage: "the collection's `NAME`", Destination: &opts.name}
	return &cli.Command{
		Name:         "import",
		Usage:        "convert Postman collections, curl commands, HAR recordings or OpenAPI descriptions into collections",
		OnUsageError: onUsageError("import"),
		Subcommands: []*cli.Command{
			{
				Name:      "postman",
				Usage:     "import a Postman collection (v2.0 or v2.1)",
				ArgsUsage: "FILE.json",
				Flags: []cli.Flag{out,
					&cli.StringFlag{Name: "environment", Usage: "also convert the Postman environment `FILE` into a dotenv file for --env-file", Destination: &opts.environment}},
				OnUsageError: onUsageError("import postman"),
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return &usageError{err: errors.New("import postman needs one FILE.json"), command: "import postman"}
					}
					data, err := os.ReadFile(c.Args().First())
					if err != nil {
						return &usageError{err: err, command: "import postman"}
					}
					var env []byte
					if opts.environment != "" {
						if env, err = os.ReadFile(opts.environment); err != nil {
							return &usageError{err: err, command: "import postman"}
						}
					}
					im, err := convert.ImportPostman(data, env)
					if err != nil {
						return &usageError{err: err, command: "import postman"}
					}
					return writeImport(sys, opts, im)
				},
			},
			{
				Name:      "curl",
				Usage:     "import curl commands (arguments after --, or shell text on stdin)",
				ArgsUsage: "[-- curl ARGS...]",
				Flags:     []cli.Flag{out, name},
				Action: func(c *cli.Context) error {
					var text string
					if c.NArg() > 0 {
						args := c.Args().Slice()
						quoted := make([]string, len(args))
						for i, a := range args {
							quoted[i] = shellQuote(a)
						}
						text = strings.Join(quoted, " ")
					} else {
						b, err := io.ReadAll(sys.stdin)
						if err != nil {
							return fmt.Errorf("read stdin: %w", err)
						}
						text = string(b)
					}
					n := opts.name
					if n == "" {
						n = "imported curl"
					}
					im, err := convert.ImportCurl(n, text)
					if err != nil {
						return &usageError{err: err, command: "import curl"}
					}
					return writeImport(sys, opts, im)
				},
			},
			{
				Name:      "har",
				Usage:     "import a browser recording (HAR), skipping static assets",
				ArgsUsage: "FILE.har",
				Flags: []cli.Flag{out, name,
					&cli.BoolFlag{Name: "all", Usage: "keep static assets (scripts, styles, images, fonts)", Destination: &opts.all}},
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return &usageError{err: errors.New("import har needs one FILE.har"), command: "import har"}
					}
					data, err := os.ReadFile(c.Args().First())
					if err != nil {
						return &usageError{err: err, command: "import har"}
					}
					n := opts.name
					if n == "" {
						n = strings.TrimSuffix(filepath.Base(c.Args().First()), filepath.Ext(c.Args().First()))
					}
					im, err := convert.ImportHAR(n, data, opts.all)
					if err != nil {
						return &usageError{err: err, command: "import har"}
					}
					return writeImport(sys, opts, im)
				},
			},
			{
				Name:      "openapi",
				Usage:     "import an OpenAPI 3.0 or 3.1 or Swagger 2.0 description (YAML or JSON): a collection per tag",
				ArgsUsage: "FILE",
				Flags: []cli.Flag{out, name,
					&cli.BoolFlag{Name: "single", Usage: "put every operation in one collection (named by --name, else the API's title)", Destination: &opts.single}},
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return &usageError{err: errors.New("import openapi needs one FILE"), command: "import openapi"}
					}
					d, err := openapi.LoadFile(c.Context, c.Args().First())
					if err != nil {
						return &usageError{err: err, command: "import openapi"}
					}
					im, err := convert.ImportOpenAPI(d, convert.OpenAPIOptions{Single: opts.single, Name: opts.name})
					if err != nil {
						return &usageError{err: err, command: "import openapi"}
					}
					if n := len(im.Files); n > 1 && opts.outDir == "" {
						return &usageError{err: fmt.Errorf("import openapi makes %d collections, one per tag: write them with -o DIR, or make one with --single", n), command: "import openapi"}
					}
					return writeImport(sys, opts, im)
				},
			},
		},
	}
}

// writeImport checks that each imported collection loads, then prints it
// or writes the files into --output, and lists what was not translated on
// stderr.
func writeImport(sys *system, opts *importOptions, im *convert.Import) error {
	var sent []string
	for _, f := range im.Files {
		if strings.HasSuffix(f.Name, ".yaml") {
			c, err := collections.Parse(f.Name, f.Data, collections.Options{})
			if err != nil {
				return fmt.Errorf("the imported collection does not load (please report this): %w", err)
			}
			sent = append(sent, convert.FilesRead(c)...)
		}
	}
	if opts.outDir != "" {
		if err := os.MkdirAll(opts.outDir, 0o755); err != nil {
			return fmt.Errorf("import: %w", err)
		}
	}
	for _, f := range im.Files {
		if opts.outDir == "" {
			if strings.HasSuffix(f.Name, ".yaml") {
				sys.stdout.Write(f.Data)
			}
			continue
		}
		p := filepath.Join(opts.outDir, f.Name)
		mode := os.FileMode(0o644)
		if strings.HasSuffix(f.Name, ".env") {
			mode = 0o600
		}
		if err := os.WriteFile(p, f.Data, mode); err != nil {
			return fmt.Errorf("import: %w", err)
		}
		fmt.Fprintf(sys.stderr, "wrote %s\n", p)
	}
	warnImportFiles(sys.stderr, opts.outDir, im, sent)
	if len(im.Notes) > 0 {
		fmt.Fprintf(sys.stderr, "not translated (%d, kept as comments):\n", len(im.Notes))
		for _, n := range im.Notes {
			fmt.Fprintf(sys.stderr, "  %s\n", n)
		}
	}
	return nil
}
