package cmd

import (
	"slices"

	"github.com/callsheet/callsheet/runner"
)

// retention says what of each run's result `callsheet run` keeps once the
// run has been printed, for the consumers at the end of the run. A long
// run (--iterations, --data) then holds a summary per step, not every
// exchange: memory stays flat whatever the number of requests.
type retention struct {
	// details keeps passed steps' request and response headers, passed
	// checks and captures: the JSON and HTML reports, --har, --record and
	// --watch read them. Without it, a passed step keeps its name,
	// outcome, position, method, URL, status, sizes and duration, which is
	// all the summary, the exit code, JUnit, TAP and GitHub annotations
	// read (they explain only steps that did not pass, kept whole).
	details bool
	// steps keeps every step, passed ones slimmed as above: JUnit and TAP
	// list each step. Without it (and without details), passed, skipped
	// and not-run steps are dropped from Result.Steps once counted: the
	// summary line, the exit code and GitHub annotations need only the
	// steps that did not pass.
	steps bool
	// state keeps Result.State, for --state and --watch.
	state bool
}

// retention returns what the consumers opts asks for need.
func (o *runOptions) retention() retention {
	return retention{
		details: o.ci.json != "" || o.ci.html != "" || o.har.file != "" || o.loop.record || o.loop.watch,
		steps:   o.ci.junit != "" || o.ci.tap != "",
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

// compact drops from res what k does not keep. It runs once res has been
// printed and counted.
func (k retention) compact(res *runner.Result) {
	if !k.state {
		res.State = nil
	}
	if k.details {
		return
	}
	res.Exchanges = nil
	if !k.steps {
		res.Steps = slices.DeleteFunc(res.Steps, func(s *runner.StepResult) bool { return !problem(s) })
		return
	}
	for _, s := range res.Steps {
		if problem(s) {
			continue // kept whole: reports explain it
		}
		if q := s.Request; q != nil {
			q.Header, q.Body = nil, nil
		}
		if p := s.Response; p != nil {
			p.Header, p.Body = nil, nil
		}
		s.Checks, s.Captures = nil, nil
	}
}

// problem reports whether s did not pass: the steps a run keeps whole.
func problem(s *runner.StepResult) bool {
	return s.Outcome == runner.Failed || s.Outcome == runner.Errored
}
