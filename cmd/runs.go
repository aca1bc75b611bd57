package cmd

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/console"
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/session"
)

// newRunsCommand is `callsheet runs [FOLDER]`.
func newRunsCommand(sys *system) *cli.Command {
	var limit int
	return &cli.Command{
		Name:         "runs",
		Usage:        "list the runs recorded with --record (newest first)",
		ArgsUsage:    "[FOLDER]",
		Description:  "Lists the runs recorded in FOLDER/.callsheet/runs (FOLDER is the folder of the\ncollection, the current folder by default). Replay one with `callsheet replay ID`.",
		OnUsageError: onUsageError("runs"),
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "limit", Usage: "list at most `N` runs", Value: 20, Destination: &limit},
		},
		Action: func(c *cli.Context) error {
			folder, err := optionalArg(c, ".", "runs", "too many arguments: name one folder")
			if err != nil {
				return err
			}
			return listRuns(sys, session.RunsIn(folder), limit)
		},
	}
}

// listRuns prints the recorded runs of dir, newest first.
func listRuns(sys *system, dir string, limit int) error {
	runs, err := session.ListRuns(dir, limit)
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(sys.stdout, "no recorded runs in %s (record one with `callsheet run --record`)\n", safetext.Line(dir))
		return nil
	}
	if err != nil {
		return err
	}
	if len(runs) == 0 {
		fmt.Fprintf(sys.stdout, "no recorded runs in %s\n", safetext.Line(dir))
		return nil
	}
	return console.Runs(sys.stdout, runs)
}
