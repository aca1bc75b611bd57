package report

import (
	"github.com/callsheet/callsheet/runner"
	"github.com/callsheet/callsheet/session"
)

// Output is a report written as a session's units run, a
// session.Consumer: each step goes to its unit's Part as soon as it is
// final, each unit's part to the Stream in plan order as soon as the
// units before it are done, and End writes the report. Memory grows
// neither with the units nor with their steps.
type Output struct {
	stream Stream
	format Format
}

// Open starts the report of format f at path, as Create does.
func Open(f Format, path string) (*Output, error) {
	st, err := Create(f, path)
	if err != nil {
		return nil, err
	}
	return &Output{stream: st, format: f}, nil
}

// Needs asks for the steps that passed, which every report lists, and
// their bodies, which the JSON and HTML reports show.
func (o *Output) Needs() runner.Needs {
	return runner.Needs{Passed: true, Bodies: o.format == FormatJSON || o.format == FormatHTML}
}

// Start begins u's part of the report.
func (o *Output) Start(u *session.Unit) session.Run {
	return &outputRun{stream: o.stream, part: o.stream.Part(u.Collection.File)}
}

// End writes the report and returns the first error met writing it.
func (o *Output) End() error { return o.stream.Close() }

// Discard removes the report's temporary files without writing it, for a
// session that ends before its End; it does nothing after End.
func (o *Output) Discard() { o.stream.Discard() }

// outputRun is one unit's part of a report.
type outputRun struct {
	stream Stream
	part   *Part
}

// Step writes s's piece of the part; an error is kept for End.
func (r *outputRun) Step(s *runner.StepResult) { r.part.Step(s) }

// Result adds the part to the report; an error is kept for End, and the
// other reports are still written.
func (r *outputRun) Result(res *runner.Result) { r.stream.Add(res, r.part) }
