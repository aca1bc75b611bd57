package cmd

import (
	"strings"

	"github.com/callsheet/callsheet/session"
	"github.com/urfave/cli/v2"
)

// The developer's replay loop (see docs/replay.md): `run` flags that save
// and restore state between runs, run some steps only, record exchanges and
// rerun on changes. These options live here so that run.go only hooks them
// in.

// loopOptions are the replay-loop flags of `callsheet run`.
type loopOptions struct {
	state        optionalPath
	stateSecrets bool
	steps        cli.StringSlice
	withDeps     bool
	from         string
	record       bool
	watch        bool

	// memory is what a rerun under --watch keeps of the runs before it.
	memory *session.Watch
}

// flags declares the replay-loop flags.
func (o *loopOptions) flags() []cli.Flag {
	return []cli.Flag{
		&optionalFlag{&cli.GenericFlag{Name: "state", Usage: "load the variables and captures an earlier run saved and save this run's; alone it uses .callsheet/state.json beside the first collection; --state FILE.json or --state=FILE uses that file", Value: &o.state}},
		&cli.BoolFlag{Name: "state-secrets", Usage: "also save secret values (tokens) in the --state file (mode 0600); without it they are recomputed", Destination: &o.stateSecrets},
		&cli.StringSliceFlag{Name: "step", Usage: "run only the step `NAME` (repeatable), with the saved state", Destination: &o.steps, KeepSpace: true},
		&cli.BoolFlag{Name: "with-deps", Usage: "with --step, --from, --only, --skip or --tag, first run the steps that capture what the chosen steps need and the state lacks", Destination: &o.withDeps},
		&cli.StringFlag{Name: "from", Usage: "run from the step `NAME` to the end, with the saved state", Destination: &o.from},
		&cli.BoolFlag{Name: "record", Usage: "keep this run's exchanges (masked) in .callsheet/runs/ beside the collection, for callsheet replay", Destination: &o.record},
		&cli.BoolFlag{Name: "watch", Usage: "rerun whenever a collection, env file or data file changes, keeping the state between reruns; Ctrl-C stops", Destination: &o.watch},
	}
}

// plan sets the session options of the replay-loop flags.
func (o *loopOptions) plan(so *session.Options) {
	so.State = session.StateOptions{On: o.state.set, Path: o.state.path, Secrets: o.stateSecrets}
	so.Select.Steps, so.Select.From, so.Select.WithDeps = o.steps.Value(), o.from, o.withDeps
	so.Watch = o.memory // set under --watch (runOrWatch)
}

// optionalPath is the value of a flag that may be given alone (--state) or
// with a value (--state=FILE), like a boolean flag of the flag package.
type optionalPath struct {
	set  bool
	path string
}

// Set records the flag; "true" is what the flag package passes for the
// flag given alone.
func (p *optionalPath) Set(v string) error {
	p.set = true
	if v != "true" {
		p.path = v
	}
	return nil
}

// String returns the path.
func (p *optionalPath) String() string { return p.path }

// IsBoolFlag makes the flag package accept --state without a value.
func (p *optionalPath) IsBoolFlag() bool { return true }

// optionalFlag is a GenericFlag that does not take the next argument as its
// value (so `run --state FILE.yaml` keeps FILE.yaml a path).
type optionalFlag struct{ *cli.GenericFlag }

// TakesValue reports false: the value comes after "=", or is the next
// argument when that names a .json file (see acceptsValue).
func (f *optionalFlag) TakesValue() bool { return false }

// acceptsValue takes `--state FILE.json` as --state=FILE.json: a state file
// is JSON, while a collection is YAML, a folder or a bundled name.
func (f *optionalFlag) acceptsValue(next string) bool {
	return strings.HasSuffix(strings.ToLower(next), ".json")
}

// String renders the flag's help line without a placeholder: the value
// is optional.
func (f *optionalFlag) String() string { return cli.FlagStringer(f) }
