package console

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/safetext"
)

// firstCall is the bundled collection the README starts with.
const firstCall = "procore/first-call"

// Bundled prints what `callsheet list` shows: each collection built into
// the binary, with its title and number of steps, then how to run one, a
// folder of them, and how to copy one out.
func Bundled(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	names := collections.BundledNames()
	for _, name := range names {
		c, err := collections.LoadBundled(name, collections.Options{})
		if err != nil {
			return fmt.Errorf("bundled collection %s: %w", name, err)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", name, safetext.Line(c.Name), Plural(len(c.Steps), "step"))
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
	fmt.Fprintf(w, "\nRun one against the local sandbox with `callsheet run --sandbox %s`, a folder with\n"+
		"`callsheet run --sandbox %s`; copy one out to edit with `callsheet init --from %s`.\n",
		example, dirs[0], example)
	return nil
}
