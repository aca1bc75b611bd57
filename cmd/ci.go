package cmd

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/urfave/cli/v2"
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
	// retain says what each result keeps once printed (retain.go); set
	// by runRun, not a flag.
	retain retention
	// reports are the --report-* files, written as results come in
	// (report_streams.go); set by runRun, not a flag.
	reports *reportStreams

	// What ciDefined read for the loader, kept for plan so that a run
	// reads each file once: the --data rows, the CALLSHEET_VAR_
	// variables and the --env variables by folder.
	rows   []map[string]any
	csVars map[string]any
	envs   map[string]map[string]any
}

// flags declares the CI flags.
func (o *ciOptions) flags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "report-junit", Usage: "write a JUnit XML report to `FILE`", Destination: &o.junit},
		&cli.StringFlag{Name: "report-json", Usage: "write a JSON report to `FILE` (docs/report-json.md)", Destination: &o.json},
		&cli.StringFlag{Name: "report-tap", Usage: "write a TAP report to `FILE`", Destination: &o.tap},
		&cli.StringFlag{Name: "report-html", Usage: "write a self-contained HTML report to `FILE`", Destination: &o.html},
		&cli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Usage: "run up to `N` collections at once (default: the number of CPUs)", Destination: &o.jobs},
		&cli.StringFlag{Name: "shard", Usage: "run only share `K/N` of the collection files (1 <= K <= N)", Destination: &o.shard},
		&cli.StringFlag{Name: "shard-timings", Usage: "balance --shard by the durations in the JSON report `FILE`", Destination: &o.shardTimings},
		&cli.StringFlag{Name: "rerun-failed", Usage: "run only the collections that did not pass in the JSON report `FILE`", Destination: &o.rerunFailed},
		&cli.BoolFlag{Name: "bail", Usage: "start nothing more after the first failure", Destination: &o.bail},
		&cli.StringSliceFlag{Name: "only", Usage: "run only collections or steps whose name matches `GLOB` (repeatable)", Destination: &o.only},
		&cli.StringSliceFlag{Name: "skip", Usage: "skip collections or steps whose name matches `GLOB` (repeatable)", Destination: &o.skip},
		&cli.StringSliceFlag{Name: "tag", Usage: "run only collections and steps with tags: `TAG` (repeatable: any of them)", Destination: &o.tags},
		&cli.IntFlag{Name: "iterations", Usage: "run each collection `N` times", Destination: &o.iterations},
		&cli.StringFlag{Name: "data", Usage: "run each collection once per row of a CSV or JSON `FILE`, with the row's columns as variables", Destination: &o.data},
		&cli.StringFlag{Name: "env", Usage: "load variables from env/`NAME`.yaml (or env/NAME.env) beside each collection", Destination: &o.env},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print only failures and the summary", Destination: &o.quiet},
	}
}

// varLayers are the variables given outside the collections, each layer a
// map from name to value.
type varLayers struct {
	envFile, sandbox, cli map[string]any
}

// ciDefined lists the variables the CI flags define for the loader: the
// columns of --data, the CALLSHEET_VAR_ variables and those of every
// env/NAME file beside the collections of paths. It keeps what it read for
// plan.
func (o *ciOptions) ciDefined(sys *system, paths []string) ([]string, error) {
	o.rows, o.envs = nil, map[string]map[string]any{}
	o.csVars = callsheetVars(sys)
	names := slices.Collect(maps.Keys(o.csVars))
	if o.data != "" {
		rows, err := readData(o.data)
		if err != nil {
			return nil, err
		}
		o.rows = rows
		for _, r := range rows {
			names = append(names, slices.Collect(maps.Keys(r))...)
		}
	}
	if o.env != "" {
		for _, p := range paths {
			dir := p
			if info, err := os.Stat(p); err != nil || !info.IsDir() {
				dir = filepath.Dir(p)
			}
			vars, err := o.envFor(dir)
			if err != nil {
				return nil, err
			}
			names = append(names, slices.Collect(maps.Keys(vars))...)
		}
	}
	return names, nil
}

// envFor returns the variables of --env NAME for the collections in dir,
// reading env/NAME.yaml or env/NAME.env once per folder and run.
func (o *ciOptions) envFor(dir string) (map[string]any, error) {
	dir = filepath.Clean(dir)
	if vars, ok := o.envs[dir]; ok {
		return vars, nil
	}
	vars, file, err := readEnvNamed(dir, o.env)
	if err != nil {
		return nil, err
	}
	if file == "" {
		return nil, &usageError{err: fmt.Errorf("--env %s: no env/%s.yaml or env/%s.env in %s", o.env, o.env, o.env, dir), command: "run"}
	}
	if o.envs == nil {
		o.envs = map[string]map[string]any{}
	}
	o.envs[dir] = vars
	return vars, nil
}
