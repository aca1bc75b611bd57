package cmd

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/safetext"
)

// validateOptions are the flags and arguments of `callsheet validate`.
type validateOptions struct {
	paths   []string
	vars    varOptions
	noColor bool
}

// newValidateCommand is `callsheet validate PATH...`.
func newValidateCommand(sys *system) *cli.Command {
	opts := &validateOptions{}
	return &cli.Command{
		Name:      "validate",
		Usage:     "check collections without sending anything",
		ArgsUsage: "PATH...",
		Description: "Loads every collection (a file, every *.yaml and *.yml file of a folder, or a\n" +
			"bundled name such as procore/first-call) and reports every problem found, with\n" +
			"the line it is on. Nothing is sent. --var, --env-file and --sandbox define\n" +
			"variables as they do for run, so the same command line validates.",
		OnUsageError: onUsageError("validate"),
		Flags: append(opts.vars.flags("define the variables --sandbox sets for run"),
			&cli.BoolFlag{Name: "no-color", Usage: "never colour the output (also: NO_COLOR=1)", Destination: &opts.noColor},
		),
		Action: func(c *cli.Context) error {
			opts.paths = c.Args().Slice()
			return runValidate(sys, opts)
		},
	}
}

// runValidate loads every collection and prints `ok  FILE (N steps)` for
// each valid one and the rendered errors of the others.
func runValidate(sys *system, opts *validateOptions) error {
	if len(opts.paths) == 0 {
		return &usageError{err: errors.New("missing PATH: name a collection file, a folder or a bundled collection"), command: "validate"}
	}
	envVars, cliVars, err := opts.vars.read("validate")
	if err != nil {
		return err
	}
	st := newStyle(sys, sys.stderr, opts.noColor)
	cols, err := loadAll(sys.stderr, st, opts.paths, opts.vars.defined(envVars, cliVars))
	for _, c := range cols {
		fmt.Fprintf(sys.stdout, "ok  %s (%s)\n", safetext.Line(c.File), plural(len(c.Steps), "step"))
	}
	return err
}

// loadAll loads every collection that paths name, in order, and validates
// each. Problems are rendered on w, all of them, before it returns a
// reportedError with ExitUsage; the valid collections are returned either
// way.
func loadAll(w io.Writer, st style, paths []string, defined []string) ([]*collections.Collection, error) {
	opts := collections.Options{Defined: defined}
	var (
		cols   []*collections.Collection
		failed bool
	)
	report := func(err error) {
		if failed {
			fmt.Fprintln(w) // a blank line between collections
		}
		renderLoadError(w, st, err)
		failed = true
	}
	for _, p := range paths {
		files, bundled, err := expandPath(p)
		if err != nil {
			report(err)
			continue
		}
		for _, f := range files {
			var c *collections.Collection
			if bundled {
				c, err = collections.LoadBundled(f, opts)
			} else {
				c, err = collections.Load(f, opts)
			}
			if err != nil {
				report(err)
				continue
			}
			cols = append(cols, c)
		}
	}
	if failed {
		return cols, codeError(ExitUsage)
	}
	return cols, nil
}

// expandPath turns one PATH argument into collection files: the file itself,
// every *.yaml and *.yml file of a folder in name order (not recursive), or,
// when no such file exists, a bundled collection's name.
func expandPath(p string) (files []string, bundled bool, err error) {
	info, statErr := os.Stat(p)
	switch {
	case statErr == nil && info.IsDir():
		entries, err := os.ReadDir(p) // sorted by name
		if err != nil {
			return nil, false, err
		}
		for _, e := range entries {
			ext := strings.ToLower(filepath.Ext(e.Name()))
			if !e.IsDir() && (ext == ".yaml" || ext == ".yml") {
				files = append(files, filepath.Join(p, e.Name()))
			}
		}
		if len(files) == 0 {
			return nil, false, fmt.Errorf("%s: no *.yaml or *.yml file in this folder", p)
		}
		return files, false, nil
	case statErr == nil:
		return []string{p}, false, nil
	case collections.IsBundled(p):
		return []string{p}, true, nil
	case errors.Is(statErr, os.ErrNotExist):
		return nil, false, fmt.Errorf("%s: no such file, folder or bundled collection", p)
	default:
		return nil, false, statErr
	}
}

// renderLoadError shows why a collection did not load: every collection
// error with its source excerpt, or the plain error (an unreadable file).
func renderLoadError(w io.Writer, st style, err error) {
	sources := make(map[string][]byte)
	var list collections.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			if _, ok := sources[e.Pos.File]; !ok {
				sources[e.Pos.File] = sourceOf(e.Pos.File)
			}
		}
	}
	fmt.Fprint(w, st.errors(collections.RenderErrors(err, sources)))
}

// sourceOf reads a collection file again to quote it in an error: from disk,
// else from the bundled collections. It is only called when a collection
// failed to load; nil means no excerpt.
func sourceOf(file string) []byte {
	if src, err := os.ReadFile(file); err == nil {
		return src
	}
	if src, err := fs.ReadFile(collections.Bundled(), file); err == nil {
		return src
	}
	return nil
}

// plural formats n with noun, adding an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
