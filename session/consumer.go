package session

import (
	"github.com/callsheet/callsheet/runner"
)

// Consumer takes the results of a session's runs: the console, each
// report, the HAR file, the recorder, the state saver and the watch all
// are consumers. The session calls Start for every unit of its plan, from
// the goroutine that runs the unit (several units may run at once), also
// for a unit that never runs (after --bail or an interrupt); End once,
// after the last result.
//
// A Consumer may also be a Needer, to keep more of each result, and its
// Runs may be Live, to follow a unit while it runs.
type Consumer interface {
	// Start begins the consumer's part of unit u.
	Start(u *Unit) Run
	// End is called once every result was given; it returns the
	// consumer's first error (a report or state file it could not
	// write), which is the session's.
	End() error
}

// Run is a consumer's part of one unit of the plan.
type Run interface {
	// Step takes each step of the unit, in order, once it is final: when
	// no later step can capture a secret that it might show, masked with
	// every secret captured since it ended (runner.Options.OnFinal). It
	// is called from the goroutine that runs the unit; a unit that never
	// runs has no steps.
	Step(*runner.StepResult)
	// Result takes the unit's result, from the session's goroutine, one
	// unit at a time and in plan order: the results of every unit before
	// it came first, so output stays grouped per collection in the order
	// of the paths; when one unit runs at a time (Session.Workers is 1),
	// it also comes before the next unit's Start, so a unit may be shown
	// as it runs. It holds what the consumers need (Needer), no more:
	// without Needs.Steps, the steps that passed or were skipped are only
	// counted (runner.Result.Dropped), and without Needs.Passed either,
	// they are not given to Step at all (runner.Result.Unseen).
	Result(*runner.Result)
}

// Live is a Run that follows its unit while it runs, for a progress
// display. Its methods are called from the goroutine that runs the unit,
// and only when the unit runs.
type Live interface {
	Run
	// Begin is called as the unit starts to run.
	Begin()
	// Progress takes each step as it ends, before it is final
	// (runner.Options.OnStep).
	Progress(*runner.StepResult)
	// Done is called as the unit's run ends, before its Result.
	Done()
}

// Needer is a Consumer that reads more of each result than every result
// holds: the run keeps what one of its consumers needs, no more.
type Needer interface {
	Needs() runner.Needs
}

// ResultFunc is a Run that takes only the unit's result.
type ResultFunc func(*runner.Result)

// Step does nothing.
func (f ResultFunc) Step(*runner.StepResult) {}

// Result calls f.
func (f ResultFunc) Result(res *runner.Result) { f(res) }

// needsOf is what consumers need together. A consumer that says nothing
// of its needs may read every step as it ends, so it gets the steps that
// passed.
func needsOf(consumers []Consumer) runner.Needs {
	var n runner.Needs
	for _, c := range consumers {
		nd, ok := c.(Needer)
		if !ok {
			n.Passed = true
			continue
		}
		n = n.Or(nd.Needs())
	}
	return n
}

// Verdict is what a result says of its run: Errored when the run could
// not start or a step errored, Failed when a check or capture failed,
// else Passed.
func Verdict(res *runner.Result) runner.Outcome {
	if res.Err != nil {
		return runner.Errored
	}
	v := runner.Passed
	for _, s := range res.Steps {
		switch s.Outcome {
		case runner.Errored:
			return runner.Errored
		case runner.Failed:
			v = runner.Failed
		}
	}
	return v
}
