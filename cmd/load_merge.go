package cmd

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/load"
)

// newLoadMergeCommand is `callsheet load merge SUMMARY.json...`.
func newLoadMergeCommand(sys *system) *cli.Command {
	var out loadOutputs
	var thresholds cli.StringSlice
	return &cli.Command{
		Name:      "merge",
		Usage:     "join the JSON summaries of the segments of one load test",
		ArgsUsage: "SUMMARY.json...",
		Description: "Merges the summaries that `callsheet load --segment K/N --json FILE` wrote into\n" +
			"the summary of the whole test: counts add up, percentiles come from the merged\n" +
			"histograms, and the thresholds are evaluated again on the merge (exit 4 if one fails).",
		OnUsageError: onUsageError("load merge"),
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "json", Usage: "write the merged JSON summary to `FILE`", Destination: &out.json},
			&cli.StringFlag{Name: "html", Usage: "write the merged HTML report to `FILE`", Destination: &out.html},
			&cli.StringSliceFlag{Name: "threshold", Usage: "also evaluate `THRESHOLD` ([STEP: ]METRIC OP VALUE) (repeatable)", Destination: &thresholds, KeepSpace: true},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return &usageError{err: errors.New("missing SUMMARY.json: name the summaries of the segments"), command: "load merge"}
			}
			s, err := mergeSummaries(c.Args().Slice(), thresholds.Value())
			if err != nil {
				return err
			}
			return finishLoad(sys, s, out)
		},
	}
}

// mergeSummaries reads the summaries and merges them, evaluating their
// thresholds and those given.
func mergeSummaries(files, extra []string) (*load.Summary, error) {
	var ts []load.Threshold
	for _, text := range extra {
		th, err := load.ParseThreshold(text)
		if err != nil {
			return nil, &usageError{err: fmt.Errorf("--threshold: %w", err), command: "load merge"}
		}
		ts = append(ts, th)
	}
	s, err := load.MergeFiles(files, ts)
	if err != nil {
		return nil, &usageError{err: err, command: "load merge"}
	}
	return s, nil
}
