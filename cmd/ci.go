package cmd

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/report"
	"github.com/callsheet/callsheet/session"
)

// ciOptions are the flags of `callsheet run` for CI: reports, parallel
// runs, selection, data-driven runs and environments.
type ciOptions struct {
	junit, json, tap, html string
	jobs                   int
	shard                  string
	shardTimings           string
	rerunFailed            string
	bail                   bool
	only, skip, tags       cli.StringSlice
	iterations             int
	data                   string
	env                    string
	quiet                  bool
}

// flags declares the CI flags.
func (o *ciOptions) flags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "report-junit", Usage: "write a JUnit XML report to `FILE`", Destination: &o.junit},
		&cli.StringFlag{Name: "report-json", Usage: "write a JSON report to `FILE` (docs/report-json.md)", Destination: &o.json},
		&cli.StringFlag{Name: "report-tap", Usage: "write a TAP report to `FILE`", Destination: &o.tap},
		&cli.StringFlag{Name: "report-html", Usage: "write a self-contained HTML report to `FILE`", Destination: &o.html},
		&cli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Usage: "run up to `N` collections at once (1 when stdin is a terminal)", DefaultText: "the number of CPUs", Destination: &o.jobs},
		&cli.StringFlag{Name: "shard", Usage: "run only share `K/N` of the collection files (1 <= K <= N)", Destination: &o.shard},
		&cli.StringFlag{Name: "shard-timings", Usage: "balance --shard by the durations in the JSON report `FILE`", Destination: &o.shardTimings},
		&cli.StringFlag{Name: "rerun-failed", Usage: "run only the collections that did not pass in the JSON report `FILE`", Destination: &o.rerunFailed},
		&cli.BoolFlag{Name: "bail", Usage: "start nothing more after the first failure", Destination: &o.bail},
		&cli.StringSliceFlag{Name: "only", Usage: "run only collections or steps whose name matches `GLOB` (repeatable)", Destination: &o.only},
		&cli.StringSliceFlag{Name: "skip", Usage: "skip collections or steps whose name matches `GLOB` (repeatable)", Destination: &o.skip},
		&cli.StringSliceFlag{Name: "tag", Usage: "run only collections and steps with tags: `TAG` (repeatable: any of them)", Destination: &o.tags},
		&cli.IntFlag{Name: "iterations", Usage: "run each collection `N` times", DefaultText: "1", Destination: &o.iterations},
		&cli.StringFlag{Name: "data", Usage: "run each collection once per row of a CSV or JSON `FILE`, with the row's columns as variables", Destination: &o.data},
		&cli.StringFlag{Name: "env", Usage: "load variables from env/`NAME`.yaml (or env/NAME.env) beside each collection", Destination: &o.env},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print only failures and the summary", Destination: &o.quiet},
	}
}

// plan sets the session options of the CI flags: what runs, how many at
// once, and what happens after a failure.
func (o *ciOptions) plan(sys *system, so *session.Options) error {
	so.Env, so.Data, so.Iterations = o.env, o.data, o.iterations
	so.Jobs, so.Bail = o.jobs, o.bail
	so.Select.Only, so.Select.Skip, so.Select.Tags = o.only.Value(), o.skip.Value(), o.tags.Value()
	so.Vars.Set(session.LayerProcess, session.ProcessVars(os.Environ(), sys.lookupEnv))
	if o.rerunFailed != "" {
		runs, err := readReport(o.rerunFailed, "--rerun-failed")
		if err != nil {
			return err
		}
		so.Rerun = session.NotPassed(runs)
	}
	if o.shard == "" {
		return nil
	}
	sh, err := session.ParseShard(o.shard)
	if err != nil {
		return usage(err, "run")
	}
	if o.shardTimings != "" {
		runs, err := readReport(o.shardTimings, "--shard-timings")
		if err != nil {
			return err
		}
		sh.Timings = session.Timings(runs)
	}
	so.Shard = sh
	return nil
}

// readReport reads the runs of the JSON report file given to flag
// (--shard-timings, --rerun-failed); a missing or malformed file is a
// usage error.
func readReport(file, flag string) ([]session.FileRun, error) {
	rep, err := report.ReadJSONFile(file)
	if err != nil {
		return nil, &usageError{err: fmt.Errorf("%s: %w", flag, err), command: "run"}
	}
	return rep.FileRuns(), nil
}
