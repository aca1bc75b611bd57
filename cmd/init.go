package cmd

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/scaffold"
)

// newInitCommand is `callsheet init [--from NAME] [DIR]`.
func newInitCommand(sys *system) *cli.Command {
	var from string
	return &cli.Command{
		Name:      "init",
		Usage:     "write a starter collection (or copy a bundled one), an env file, the schema and a .gitignore",
		ArgsUsage: "[DIR]",
		Description: "Writes into DIR (default: the current folder) a collection, a .env file for\n" +
			"--env-file, collection.schema.json for editors and a .gitignore. Files that\n" +
			"exist are kept. The starter collection runs against httpbin; --from copies a\n" +
			"bundled collection instead (callsheet list names them), with a .env listing\n" +
			"the environment variables it reads.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "from", Usage: "copy the bundled collection `NAME` (such as procore/first-call)", Destination: &from},
		},
		OnUsageError: onUsageError("init"),
		Action: func(c *cli.Context) error {
			dir, err := optionalArg(c, ".", "init", "init takes at most one DIR")
			if err != nil {
				return err
			}
			p, err := initProject(from)
			if err != nil {
				return err
			}
			written, err := scaffold.Write(dir, p.Files)
			for _, w := range written {
				fmt.Fprintln(sys.stderr, w)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(sys.stderr, "\nnext: %s\n", p.NextIn(dir))
			return nil
		},
	}
}

// initProject is the starter project, or that of the bundled collection
// from.
func initProject(from string) (scaffold.Project, error) {
	if from == "" {
		return scaffold.Starter(), nil
	}
	p, err := scaffold.FromBundled(from)
	if nb := (*scaffold.NotBundledError)(nil); errors.As(err, &nb) {
		ue := &usageError{err: err, command: "init"}
		if nb.Suggest != "" {
			ue.hint = fmt.Sprintf("did you mean %q?", nb.Suggest)
		}
		return p, ue
	}
	return p, err
}
