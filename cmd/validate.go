package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/console"
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/session"
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
			"the line it is on; Arazzo documents (*.arazzo.yaml) too. Nothing is sent.\n" +
			"--var, --env-file and --sandbox define variables as they do for run, so the\n" +
			"same command line validates. The OpenAPI descriptions that openapi: names are\n" +
			"loaded too, and the request steps whose method and path match no operation\n" +
			"are listed as warnings, which leave the exit code 0 (a URL built at run time\n" +
			"may still match). An Arazzo document's source descriptions at http(s) URLs\n" +
			"are not fetched but reported (run fetches them); --var NAME=FILE, NAME the\n" +
			"source description's name, reads a local copy instead.",
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
	vars, err := opts.vars.read("validate")
	if err != nil {
		return err
	}
	st := newStyle(sys, sys.stderr, opts.noColor)
	cols, errs := session.LoadAll(opts.paths, opts.vars.defined(vars), vars.Merge()) // Arazzo documents too
	err = renderLoadErrors(sys.stderr, st, errs)
	// Steps that match no operation of their OpenAPI description are
	// warnings, which leave the exit code as it is.
	cols, unmatched, errs := session.CheckContracts(context.Background(), cols)
	for _, u := range unmatched {
		fmt.Fprintln(sys.stderr, st.Yellow("warning:")+" "+safetext.Line(u.String()))
	}
	if cerr := renderLoadErrors(sys.stderr, st, errs); err == nil {
		err = cerr
	}
	for _, c := range cols {
		fmt.Fprintf(sys.stdout, "ok  %s (%s)\n", safetext.Line(c.File), console.Plural(len(c.Steps), "step"))
	}
	return err
}

// loadAll loads every collection that paths name, in order, and validates
// each (session.Load). Problems are rendered on w, all of them, before it
// returns a reportedError with ExitUsage; the valid collections are
// returned either way.
func loadAll(w io.Writer, st console.Style, paths []string, defined []string) ([]*collections.Collection, error) {
	cols, errs := session.Load(paths, defined)
	return cols, renderLoadErrors(w, st, errs)
}

// renderLoadErrors renders the errors of collections that did not load
// (console.LoadErrors) and returns a reportedError with ExitUsage when
// there is one.
func renderLoadErrors(w io.Writer, st console.Style, errs []error) error {
	console.LoadErrors(w, st, errs)
	if len(errs) > 0 {
		return codeError(ExitUsage)
	}
	return nil
}
