package cmd

import (
	"errors"
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/report"
)

// mergeOptions are the flags and arguments of `callsheet report merge`.
type mergeOptions struct {
	json, junit, tap, html string
	inputs                 []string
}

// newReportCommand is `callsheet report merge`.
func newReportCommand(sys *system) *cli.Command {
	o := &mergeOptions{}
	return &cli.Command{
		Name:         "report",
		Usage:        "work with the reports of runs",
		OnUsageError: onUsageError("report"),
		Subcommands: []*cli.Command{{
			Name:      "merge",
			Usage:     "merge the JSON reports of a sharded run into one JSON, JUnit, TAP or HTML report",
			ArgsUsage: "REPORT.json...",
			Description: "Reads the JSON reports that the shards of one run wrote (run --shard K/N\n" +
				"--report-json FILE) and writes the report of the whole run: the collections\n" +
				"in the order of their files' paths, the totals summed, the run spanning from\n" +
				"the first start to the last end. A collection file in two reports is an error.\n" +
				"Folders of the outputs are created as needed.",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "json", Aliases: []string{"report-json"}, Usage: "write the merged JSON report to `FILE`", Destination: &o.json},
				&cli.StringFlag{Name: "junit", Aliases: []string{"report-junit"}, Usage: "write the merged JUnit XML report to `FILE`", Destination: &o.junit},
				&cli.StringFlag{Name: "tap", Aliases: []string{"report-tap"}, Usage: "write the merged TAP report to `FILE`", Destination: &o.tap},
				&cli.StringFlag{Name: "html", Aliases: []string{"report-html"}, Usage: "write the merged HTML report to `FILE`", Destination: &o.html},
			},
			OnUsageError: onUsageError("report merge"),
			Action: func(c *cli.Context) error {
				o.inputs = c.Args().Slice()
				return reportMerge(sys, o)
			},
		}},
	}
}

// reportMerge reads the reports, merges them and writes each output.
func reportMerge(sys *system, o *mergeOptions) error {
	if len(o.inputs) == 0 {
		return &usageError{err: errors.New("missing REPORT.json: name the JSON reports of the shards"), command: "report merge"}
	}
	if o.json == "" && o.junit == "" && o.tap == "" && o.html == "" {
		return &usageError{err: errors.New("no output: name one or more of --json, --junit, --tap and --html FILE"), command: "report merge"}
	}
	var reps []*report.JSONReport
	for _, file := range o.inputs {
		rep, err := report.ReadJSONFile(file)
		if err != nil {
			return &usageError{err: err, command: "report merge"}
		}
		reps = append(reps, rep)
	}
	results, err := report.Merge(reps, o.inputs)
	if err != nil {
		return &usageError{err: fmt.Errorf("report merge: %w", err), command: "report merge"}
	}
	targets := []report.Target{{Format: report.FormatJSON, File: o.json}, {Format: report.FormatJUnit, File: o.junit},
		{Format: report.FormatTAP, File: o.tap}, {Format: report.FormatHTML, File: o.html}}
	info := report.RunInfo{Version: version(), Command: report.CommandLine(sys.args), Sources: o.inputs}
	if err := report.WriteFiles(targets, info, results, sys.stdout); err != nil {
		return err
	}
	fmt.Fprintln(sys.stdout, report.MergeSummary(len(reps), results))
	return nil
}

// runInfo is what an HTML report says about a run that started at start.
func runInfo(sys *system, start time.Time) report.RunInfo {
	return report.NewRunInfo(sys.args, start, version())
}
