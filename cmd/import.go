package cmd

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing/fstest"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/convert"
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/openapi"
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
	// read converts what the command line names.
	read func(sys *system, c *cli.Context, opts *importOptions) (*convert.Import, error)
}

// importFormats are the formats `callsheet import` reads, in the order
// its help lists them. Unknown formats are reported with this list.
var importFormats = []importFormat{
	{name: "postman", usage: "import a Postman collection (v2.0 or v2.1) and its environment", argsUsage: "FILE.json",
		flags: func(o *importOptions) []cli.Flag {
			return []cli.Flag{&cli.StringFlag{Name: "environment", Usage: "also convert the Postman environment `FILE` into a dotenv file for --env-file", Destination: &o.environment}}
		},
		read: readPostman},
	{name: "curl", usage: "import curl commands (arguments after --, or shell text on stdin)", argsUsage: "[-- curl ARGS...]",
		read: readCurl},
	{name: "insomnia", usage: "import an Insomnia export (v4 JSON or YAML, v5 YAML) and its environments", argsUsage: "FILE",
		read: func(_ *system, c *cli.Context, opts *importOptions) (*convert.Import, error) {
			data, err := oneFile(c, "insomnia", "FILE")
			if err != nil {
				return nil, err
			}
			return convert.ImportInsomnia(nameOr(c, opts), data)
		}},
	{name: "bruno", usage: "import a Bruno collection folder (.bru files) and its environments", argsUsage: "FOLDER",
		read: func(_ *system, c *cli.Context, opts *importOptions) (*convert.Import, error) {
			if c.NArg() != 1 {
				return nil, errors.New("import bruno needs one FOLDER")
			}
			dir := c.Args().First()
			if st, err := os.Stat(dir); err != nil || !st.IsDir() {
				return nil, fmt.Errorf("import bruno: %s is not a folder (give the collection's folder, which holds bruno.json)", dir)
			}
			return convert.ImportBruno(nameOr(c, opts), os.DirFS(dir))
		}},
	{name: "http", usage: "import an .http file (JetBrains HTTP Client, VS Code REST Client)", argsUsage: "FILE.http",
		read: func(_ *system, c *cli.Context, opts *importOptions) (*convert.Import, error) {
			data, err := oneFile(c, "http", "FILE.http")
			if err != nil {
				return nil, err
			}
			return convert.ImportHTTPFile(nameOr(c, opts), data)
		}},
	{name: "httpie", usage: "import HTTPie command lines (arguments after --, or shell text on stdin)", argsUsage: "[-- http ARGS...]",
		read: readHTTPie},
	{name: "har", usage: "import a browser recording (HAR), skipping static assets, preflights and WebSockets", argsUsage: "FILE.har",
		flags: func(o *importOptions) []cli.Flag {
			return []cli.Flag{
				&cli.BoolFlag{Name: "all", Usage: "keep static assets (scripts, styles, images, fonts)", Destination: &o.all},
				&cli.BoolFlag{Name: "keep-browser-headers", Usage: "keep the headers the browser adds by itself (sec-*, Accept-Encoding, …)", Destination: &o.keepHeaders},
			}
		},
		read: readHAR},
	{name: "openapi", usage: "import an OpenAPI 3.0 or 3.1 or Swagger 2.0 description (YAML or JSON): a collection per tag", argsUsage: "FILE",
		flags: func(o *importOptions) []cli.Flag {
			return []cli.Flag{&cli.BoolFlag{Name: "single", Usage: "put every operation in one collection (named by --name, else the API's title)", Destination: &o.single}}
		},
		read: readOpenAPI},
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
				im, err := f.read(sys, c, opts)
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

// oneFile reads the one file argument of the import of format.
func oneFile(c *cli.Context, format, what string) ([]byte, error) {
	if c.NArg() != 1 {
		return nil, fmt.Errorf("import %s needs one %s", format, what)
	}
	return os.ReadFile(c.Args().First())
}

// nameOr returns --name, or the base name of the first argument without
// its extension.
func nameOr(c *cli.Context, opts *importOptions) string {
	if opts.name != "" {
		return opts.name
	}
	p := filepath.Base(strings.TrimRight(c.Args().First(), `/\`))
	return strings.TrimSuffix(p, filepath.Ext(p))
}

func readPostman(_ *system, c *cli.Context, opts *importOptions) (*convert.Import, error) {
	data, err := oneFile(c, "postman", "FILE.json")
	if err != nil {
		return nil, err
	}
	var env []byte
	if opts.environment != "" {
		if env, err = os.ReadFile(opts.environment); err != nil {
			return nil, err
		}
	}
	return convert.ImportPostman(data, env)
}

func readCurl(sys *system, c *cli.Context, opts *importOptions) (*convert.Import, error) {
	text, err := commandText(sys, c)
	if err != nil {
		return nil, err
	}
	n := opts.name
	if n == "" {
		n = "imported curl"
	}
	return convert.ImportCurl(n, text)
}

func readHTTPie(sys *system, c *cli.Context, opts *importOptions) (*convert.Import, error) {
	text, err := commandText(sys, c)
	if err != nil {
		return nil, err
	}
	n := opts.name
	if n == "" {
		n = "imported httpie"
	}
	return convert.ImportHTTPie(n, text)
}

// commandText is a command line given after --, quoted back into shell
// text, or the shell text on stdin.
func commandText(sys *system, c *cli.Context) (string, error) {
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
			return "", fmt.Errorf("read stdin: %w", err)
		}
		text = string(b)
	}
	return text, nil
}

func readHAR(_ *system, c *cli.Context, opts *importOptions) (*convert.Import, error) {
	data, err := oneFile(c, "har", "FILE.har")
	if err != nil {
		return nil, err
	}
	return convert.ImportHAR(nameOr(c, opts), data, convert.HAROptions{KeepStatic: opts.all, KeepBrowserHeaders: opts.keepHeaders})
}

func readOpenAPI(_ *system, c *cli.Context, opts *importOptions) (*convert.Import, error) {
	if c.NArg() != 1 {
		return nil, errors.New("import openapi needs one FILE")
	}
	d, err := openapi.LoadFile(c.Context, c.Args().First())
	if err != nil {
		return nil, err
	}
	im, err := convert.ImportOpenAPI(d, convert.OpenAPIOptions{Single: opts.single, Name: opts.name})
	if err != nil {
		return nil, err
	}
	if n := len(im.Files); n > 1 && opts.outDir == "" {
		return nil, fmt.Errorf("import openapi makes %d collections, one per tag: write them with -o DIR, or make one with --single", n)
	}
	return im, nil
}

// writeImport checks that the imported collections load, then prints them
// or writes the files into --output, and lists what was not translated on
// stderr.
func writeImport(sys *system, opts *importOptions, im *convert.Import) error {
	sent, err := checkImport(im)
	if err != nil {
		return err
	}
	if opts.outDir != "" {
		if err := os.MkdirAll(opts.outDir, 0o755); err != nil {
			return fmt.Errorf("import: %w", err)
		}
	}
	for _, f := range im.Files {
		if opts.outDir == "" {
			if isCollectionFile(f.Name) {
				sys.stdout.Write(f.Data)
			}
			continue
		}
		p := filepath.Join(opts.outDir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("import: %w", err)
		}
		mode := os.FileMode(0o644)
		if strings.HasSuffix(f.Name, ".env") || strings.HasPrefix(f.Name, "env/") {
			mode = 0o600
		}
		if err := os.WriteFile(p, f.Data, mode); err != nil {
			return fmt.Errorf("import: %w", err)
		}
		fmt.Fprintf(sys.stderr, "wrote %s\n", safetext.Line(p))
	}
	warnImportFiles(sys.stderr, opts.outDir, im, sent)
	if sc := im.Scripts; sc.Statements > 0 {
		fmt.Fprintf(sys.stderr, "script statements translated: %d of %d (%d%%); steps with the rest fail until they are translated by hand\n",
			sc.Translated, sc.Statements, sc.Translated*100/sc.Statements)
	}
	if len(im.Notes) > 0 {
		fmt.Fprintf(sys.stderr, "not translated (%d, kept as comments):\n", len(im.Notes))
		for _, n := range im.Notes {
			fmt.Fprintf(sys.stderr, "  %s\n", safetext.Line(n.String()))
		}
	}
	return nil
}

// isCollectionFile reports whether an imported file is a collection: a
// YAML file, but for the environments under env/.
func isCollectionFile(name string) bool {
	return strings.HasSuffix(name, ".yaml") && !strings.HasPrefix(name, "env/")
}

// checkImport loads each collection an import made from the files it
// made, so that a collection finds the files beside it, and returns the
// local files their steps send.
func checkImport(im *convert.Import) ([]string, error) {
	fsys := fstest.MapFS{}
	for _, f := range im.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	var sent []string
	for _, f := range im.Files {
		if !isCollectionFile(f.Name) {
			continue
		}
		c, err := collections.LoadFS(fs.FS(fsys), f.Name, collections.Options{})
		if err != nil {
			return nil, fmt.Errorf("the imported collection does not load (please report this): %w", err)
		}
		sent = append(sent, convert.FilesRead(c)...)
	}
	return sent, nil
}
