package cmd

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/convert"
)

// exportOptions are the flags and arguments of `callsheet export curl`.
type exportOptions struct {
	vars  varOptions
	steps cli.StringSlice
}

// newExportCommand is `callsheet export curl PATH [--step NAME]`.
func newExportCommand(sys *system) *cli.Command {
	opts := &exportOptions{}
	return &cli.Command{
		Name:         "export",
		Usage:        "write collections in other formats",
		OnUsageError: onUsageError("export"),
		Subcommands: []*cli.Command{{
			Name:      "curl",
			Usage:     "print each step as a runnable curl command (secrets as $SHELL_VARIABLES)",
			ArgsUsage: "PATH",
			Flags: append(opts.vars.flags("accept the names --sandbox would define (their values stay the collection's)"),
				&cli.StringSliceFlag{Name: "step", Usage: "only the step `NAME` (repeatable)", Destination: &opts.steps}),
			OnUsageError: onUsageError("export curl"),
			Action: func(c *cli.Context) error {
				if c.NArg() != 1 {
					return &usageError{err: errors.New("export curl needs one PATH"), command: "export curl"}
				}
				envVars, cliVars, err := opts.vars.read("export curl")
				if err != nil {
					return err
				}
				cols, err := loadAll(sys.stderr, newStyle(sys, sys.stderr, false), c.Args().Slice(), opts.vars.defined(envVars, cliVars))
				if err != nil {
					return err
				}
				for _, col := range cols {
					out, err := convert.ExportCurl(col, convert.CurlOptions{Vars: mergeVars(envVars, cliVars), LookupEnv: sys.lookupEnv}, opts.steps.Value())
					if err != nil {
						return &usageError{err: err, command: "export curl"}
					}
					fmt.Fprint(sys.stdout, out)
				}
				return nil
			},
		}},
	}
}
