package cmd

import (
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/console"
	"github.com/callsheet/callsheet/internal/safetext"
)

// firstCall is the bundled collection the README starts with.
const firstCall = "procore/first-call"

// newListCommand is `callsheet list`: the collections built into the
// binary.
func newListCommand(sys *system) *cli.Command {
	return &cli.Command{
		Name:         "list",
		Usage:        "list the bundled collections, which run, validate and init --from take by name",
		OnUsageError: onUsageError("list"),
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return &usageError{err: fmt.Errorf("unexpected argument %q", c.Args().First()), command: "list"}
			}
			return listBundled(sys)
		},
	}
}

// listBundled prints each bundled collection: its name, its title and its
// number of steps, then how to run and copy them.
func listBundled(sys *system) error {
	tw := tabwriter.NewWriter(sys.stdout, 0, 8, 2, ' ', 0)
	names := collections.BundledNames()
	for _, name := range names {
		c, err := collections.LoadBundled(name, collections.Options{})
		if err != nil {
			return fmt.Errorf("bundled collection %s: %w", name, err)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", name, safetext.Line(c.Name), console.Plural(len(c.Steps), "step"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	folders := map[string]bool{}
	var dirs []string
	for _, name := range names {
		if dir, _, _ := strings.Cut(name, "/"); !folders[dir] {
			folders[dir] = true
			dirs = append(dirs, dir+"/")
		}
	}
	example := names[0]
	if slices.Contains(names, firstCall) {
		example = firstCall
	}
	fmt.Fprintf(sys.stdout, "\nRun one against the local sandbox with `callsheet run --sandbox %s`, a folder with\n"+
		"`callsheet run --sandbox %s`; copy one out to edit with `callsheet init --from %s`.\n",
		example, dirs[0], example)
	return nil
}
