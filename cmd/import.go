package cmd

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/console"
	"github.com/callsheet/callsheet/convert"
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/internal/shellquote"
)

// importOptions are the flags and arguments of `callsheet import`.
type importOptions struct {
	outDir      string
	environment string
	name        string
	all         bool
	keepHeaders bool
	single      bool
}

// importFormat is one format `callsheet import` reads: a subcommand.
type importFormat struct {
	name      string
	usage     string
	argsUsage string
	// flags are the format's own flags, besides --output and --name.
	flags func(opts *importOptions) []cli.Flag
	// commands says the format reads command lines, not a file.
	commands bool
}

// importFormats are the formats `callsheet import` reads, in the order
// its help lists them. Unknown formats are reported with this list.
var importFormats = []importFormat{
	{name: "postman", usage: "import a Postman collection (v2.0 or v2.1) and its environment", argsUsage: "FILE.json",
		flags: func(o *importOptions) []cli.Flag {
			return []cli.Flag{&cli.StringFlag{Name: "environment", Usage: "also convert the Postman environment `FILE` into a dotenv file for --env-file", Destination: &o.environment}}
		}},
	{name: "curl", usage: "import curl commands (arguments after --, or shell text on stdin)", argsUsage: "[-- curl ARGS...]", commands: true},
	{name: "insomnia", usage: "import an Insomnia export (v4 JSON or YAML, v5 YAML) and its environments", argsUsage: "FILE"},
	{name: "bruno", usage: "import a Bruno collection folder (.bru files) and its environments", argsUsage: "FOLDER"},
	{name: "http", usage: "import an .http file (JetBrains HTTP Client, VS Code REST Client)", argsUsage: "FILE.http"},
	{name: "httpie", usage: "import HTTPie command lines (arguments after --, or shell text on stdin)", argsUsage: "[-- http ARGS...]", commands: true},
	{name: "har", usage: "import a browser recording (HAR), skipping static assets, preflights and WebSockets", argsUsage: "FILE.har",
		flags: func(o *importOptions) []cli.Flag {
			return []cli.Flag{
				&cli.BoolFlag{Name: "all", Usage: "keep static assets (scripts, styles, images, fonts)", Destination: &o.all},
				&cli.BoolFlag{Name: "keep-browser-headers", Usage: "keep the headers the browser adds by itself (sec-*, Accept-Encoding, …)", Destination: &o.keepHeaders},
			}
		}},
	{name: "openapi", usage: "import an OpenAPI 3.0 or 3.1 or Swagger 2.0 description (YAML or JSON): a collection per tag", argsUsage: "FILE",
		flags: func(o *importOptions) []cli.Flag {
			return []cli.Flag{&cli.BoolFlag{Name: "single", Usage: "put every operation in one collection (named by --name, else the API's title)", Destination: &o.single}}
		}},
}

// formatNames lists the names of the import formats.
func formatNames() []string {
	names := make([]string, len(importFormats))
	for i, f := range importFormats {
		names[i] = f.name
	}
	return names
}

// newImportCommand is `callsheet import FORMAT`, one subcommand per entry
// of importFormats.
func newImportCommand(sys *system) *cli.Command {
	opts := &importOptions{}
	out := &cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the files into `DIR` (default: print the collection)", Destination: &opts.outDir}
	name := &cli.StringFlag{Name: "name", Usage: "the collection's `NAME`", Destination: &opts.name}
	var subs []*cli.Command
	for _, f := range importFormats {
		flags := []cli.Flag{out, name}
		if f.flags != nil {
			flags = append(flags, f.flags(opts)...)
		}
		subs = append(subs, &cli.Command{
			Name:         f.name,
			Usage:        f.usage,
			ArgsUsage:    f.argsUsage,
			Flags:        flags,
			OnUsageError: onUsageError("import " + f.name),
			Action: func(c *cli.Context) error {
				im, err := readImport(sys, c, f, opts)
				if err != nil {
					var ue *usageError
					if errors.As(err, &ue) {
						return err
					}
					return &usageError{err: err, command: "import " + f.name}
				}
				return writeImport(sys, opts, im)
			},
		})
	}
	return &cli.Command{
		Name:         "import",
		Usage:        "convert collections of other tools (" + strings.Join(formatNames(), ", ") + ") into collections",
		ArgsUsage:    "FORMAT",
		OnUsageError: onUsageError("import"),
		Subcommands:  subs,
		Action:       unknownFormat,
	}
}

// unknownFormat is the action of `import` without a known format: a usage
// error that lists the formats.
func unknownFormat(c *cli.Context) error {
	list := strings.Join(formatNames(), ", ")
	if c.NArg() == 0 {
		return &usageError{err: fmt.Errorf("import needs a format: %s", list), command: "import"}
	}
	name := c.Args().First()
	err := &usageError{err: fmt.Errorf("unknown import format %q; the formats are %s", name, list), command: "import"}
	if s := collections.Suggest(name, formatNames()); s != "" {
		err.hint = fmt.Sprintf("did you mean %q?", s)
	}
	return err
}

// readImport converts what the command line of the import of f names.
func readImport(sys *system, c *cli.Context, f importFormat, opts *importOptions) (*convert.Import, error) {
	if f.commands {
		text, err := commandText(sys, c)
		if err != nil {
			return nil, err
		}
		return convert.ImportCommands(f.name, opts.name, text)
	}
	if c.NArg() != 1 {
		return nil, fmt.Errorf("import %s needs one %s", f.name, f.argsUsage)
	}
	im, err := convert.ImportFile(c.Context, f.name, c.Args().First(), convert.FileOptions{
		Name: opts.name, Environment: opts.environment, Single: opts.single,
		HAR: convert.HAROptions{KeepStatic: opts.all, KeepBrowserHeaders: opts.keepHeaders},
	})
	if err != nil {
		return nil, err
	}
	if n := len(im.Files); n > 1 && f.name == "openapi" && opts.outDir == "" {
		return nil, fmt.Errorf("import openapi makes %d collections, one per tag: write them with -o DIR, or make one with --single", n)
	}
	return im, nil
}

// commandText is a command line given after --, quoted back into shell
// text, or the shell text on stdin.
func commandText(sys *system, c *cli.Context) (string, error) {
	var text string
	if c.NArg() > 0 {
		text = shellquote.Join(c.Args().Slice())
	} else {
		b, err := io.ReadAll(sys.stdin)
		if err != nil {
			return "", fmt.Errorf("read stdin: %w", err)
		}
		text = string(b)
	}
	return text, nil
}

// writeImport checks that the imported collections load, then prints them
// or writes the files into --output, and lists what was not translated on
// stderr.
func writeImport(sys *system, opts *importOptions, im *convert.Import) error {
	sent, err := im.Check()
	if err != nil {
		return err
	}
	if opts.outDir == "" {
		for _, f := range im.Files {
			if f.IsCollection() {
				sys.stdout.Write(f.Data)
			}
		}
	} else {
		written, err := im.Write(opts.outDir)
		for _, p := range written {
			fmt.Fprintf(sys.stderr, "wrote %s\n", safetext.Line(p))
		}
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
	}
	console.ImportNotes(sys.stderr, opts.outDir, im, sent)
	return nil
}
