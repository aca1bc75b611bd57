package cmd

import (
	"slices"

	"github.com/callsheet/callsheet/runner"
)

// retention says what of each run's result `callsheet run` keeps once the
// run has been printed and added to the --report-* files (they are
// written as the run goes, report_streams.go), for the consumers at the
// end of the run. A long run (--iterations, --data) then holds the steps
// that did not pass, not every exchange: memory stays flat whatever the
// number of requests.
type retention struct {
	// details keeps every step whole, with the exchanges: --har, --record
	// and --watch read them at the end. Without it, passed, skipped and
	// not-run steps are dropped from Result.Steps once counted: the
	// summary line, the exit code and GitHub annotations need only the
	// steps that did not pass, kept whole.
	details bool
	// state keeps Result.State, for --state and --watch.
	state bool
}

// retention returns what the consumers opts asks for need.
func (o *runOptions) retention() retention {
	return retention{
		details: o.har.file != "" || o.loop.record || o.loop.watch,
		state:   o.loop.state.set || o.loop.watch,
	}
}

// keepBodies says whether something shows passed steps' body excerpts
// (runner.Options.KeepBodies): -vv, the JSON and HTML reports and --har.
// --record does not need them: the runner records each exchange before
// it lets go of the bodies.
func (o *runOptions) keepBodies() bool {
	return o.verbose > 1 || o.ci.json != "" || o.ci.html != "" || o.har.file != ""
}

// summaries says whether the runner may keep only the summary of each
// step that passed once it has been printed and written to the reports
// (runner.Options.Summaries): unless something at the end reads passed
// steps whole (what details keeps), a collection of many steps then holds
// little memory while it runs, not only after.
func (o *runOptions) summaries() bool {
	return !o.retention().details
}

// compact drops from res what k does not keep and returns what is left,
// nil when nothing is: a result whose steps all passed keeps nothing
// unless details or state are kept, so that a run of many collections
// (--iterations, --data) holds a few bytes for each. It runs once res has
// been printed, counted and added to the reports.
func (k retention) compact(res *runner.Result) *runner.Result {
	if !k.state {
		res.State = nil
	}
	if k.details {
		return res
	}
	res.Exchanges = nil
	if !slices.ContainsFunc(res.Steps, problem) {
		res.Steps = nil
		if res.Err == nil && !k.state {
			return nil
		}
		return res
	}
	res.Steps = slices.Clone(slices.DeleteFunc(res.Steps, func(s *runner.StepResult) bool { return !problem(s) }))
	return res
}

// problem reports whether s did not pass: the steps a run keeps whole.
func problem(s *runner.StepResult) bool {
	return s.Outcome == runner.Failed || s.Outcome == runner.Errored
}
