package cmd

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/console"
)

// newListCommand is `callsheet list`: the collections built into the
// binary (console.Bundled).
func newListCommand(sys *system) *cli.Command {
	return &cli.Command{
		Name:         "list",
		Usage:        "list the bundled collections, which run, validate and init --from take by name",
		OnUsageError: onUsageError("list"),
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return &usageError{err: fmt.Errorf("unexpected argument %q", c.Args().First()), command: "list"}
			}
			return console.Bundled(sys.stdout)
		},
	}
}
