package cmd

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/console"
	"github.com/callsheet/callsheet/convert"
	"github.com/callsheet/callsheet/runner"
	"github.com/callsheet/callsheet/session"
)

// exportOptions are the flags and arguments of `callsheet export curl`.
type exportOptions struct {
	vars  varOptions
	steps cli.StringSlice
}

// newExportCommand is `callsheet export curl PATH [--step NAME]`,
// `callsheet export postman PATH` and `callsheet export arazzo PATH`.
func newExportCommand(sys *system) *cli.Command {
	opts := &exportOptions{}
	return &cli.Command{
		Name:         "export",
		Usage:        "write collections in other formats",
		OnUsageError: onUsageError("export"),
		Subcommands: []*cli.Command{{
			Name:         "postman",
			Usage:        "write a collection as a Postman collection (v2.1): checks become pm.test code, captures pm.environment.set",
			ArgsUsage:    "PATH",
			OnUsageError: onUsageError("export postman"),
			Action:       func(c *cli.Context) error { return exportPostman(sys, c.Args().Slice()) },
		}, {
			Name:      "curl",
			Usage:     "print each step as a runnable curl command (secrets as $SHELL_VARIABLES)",
			ArgsUsage: "PATH",
			Flags: append(opts.vars.flags("accept the names --sandbox would define (their values stay the collection's)"),
				&cli.StringSliceFlag{Name: "step", Usage: "only the step `NAME` (repeatable)", Destination: &opts.steps}),
			OnUsageError: onUsageError("export curl"),
			Action:       func(c *cli.Context) error { return exportCurlCommand(sys, opts, c.Args().Slice()) },
		}, newExportArazzoCommand(sys)},
	}
}

// exportCurl renders the steps of c (all, or those named in only) without
// sending them and writes them as curl commands.
func exportCurl(c *collections.Collection, ro runner.Options, only []string) (string, error) {
	previews, err := session.Preview(c, ro, only)
	if err != nil {
		return "", err
	}
	steps := make([]convert.CurlStep, len(previews))
	for i, p := range previews {
		steps[i] = convert.CurlStep{Step: p.Step, Request: p.Request, Err: p.Err}
	}
	return convert.CurlScript(steps, convert.CollectionDir(c.File)), nil
}

// exportPostman prints the one collection args name as a Postman
// collection, and on stderr what it could not export.
func exportPostman(sys *system, args []string) error {
	if len(args) != 1 {
		return &usageError{err: errors.New("export postman needs one PATH"), command: "export postman"}
	}
	cols, err := loadAll(sys.stderr, newStyle(sys, sys.stderr, false), args, nil)
	if err != nil {
		return err
	}
	if len(cols) != 1 {
		return &usageError{err: fmt.Errorf("export postman needs one collection file, not %d", len(cols)), command: "export postman"}
	}
	data, notes, err := convert.ExportPostman(cols[0])
	if err != nil {
		return err
	}
	sys.stdout.Write(data)
	console.NotExported(sys.stderr, notes, false)
	return nil
}

// exportCurlCommand prints the steps of the collections args name as curl
// commands.
func exportCurlCommand(sys *system, opts *exportOptions, args []string) error {
	if len(args) != 1 {
		return &usageError{err: errors.New("export curl needs one PATH"), command: "export curl"}
	}
	vars, err := opts.vars.read("export curl")
	if err != nil {
		return err
	}
	cols, err := loadAll(sys.stderr, newStyle(sys, sys.stderr, false), args, opts.vars.defined(vars))
	if err != nil {
		return err
	}
	ro := runner.Options{Vars: vars.Merge(), LookupEnv: opts.vars.lookupEnv(sys)}
	for _, col := range cols {
		out, err := exportCurl(col, ro, opts.steps.Value())
		if err != nil {
			return usage(err, "export curl")
		}
		fmt.Fprint(sys.stdout, out)
	}
	return nil
}
