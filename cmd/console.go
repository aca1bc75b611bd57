package cmd

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/runner"
	"github.com/callsheet/callsheet/session"
)

// console is the terminal's consumer of a session's results: a heading
// per unit, each step once it is final, the units' output grouped in plan
// order (a unit running alone prints as it runs), live progress lines on
// a terminal, and at the end what the watch and the recorder noted and
// the summary line.
type console struct {
	// rep prints to stdout and counts every step.
	rep  *reporter
	prog *progress
	// stream prints each unit as it runs: one runs at a time and --quiet
	// holds nothing back, so it is always the first not yet printed.
	stream  bool
	printed int // units printed, when not streamed
	start   time.Time
	// watch and rec, when set, have notes to print before the summary.
	watch *session.Watch
	rec   *session.Recorder
	// vars, when set, gives the variables a unit gets from outside its
	// collection; secrets names the values secret in every run.
	vars    func(*session.Unit) map[string]any
	secrets []string
}

// newConsole returns the console of a run of opts, workers units at once,
// which started at start.
func newConsole(sys *system, st style, opts *runOptions, workers int, start time.Time) *console {
	rep := newReporter(sys.stdout, st, opts.verbose)
	rep.quiet = opts.ci.quiet
	if opts.verbose > 1 {
		rep.curl = &curlLines{}
	}
	return &console{
		rep:    rep,
		prog:   newProgress(sys, sys.stdout, st, workers),
		stream: workers == 1 && !opts.ci.quiet,
		start:  start,
	}
}

// Needs asks, under -vv, for the bodies and the exchanges the curl lines
// print.
func (c *console) Needs() runner.Needs {
	vv := c.rep.verbose > 1
	return runner.Needs{Bodies: vv, Exchanges: vv}
}

// Start prints u's heading, to stdout when streaming, else to u's buffer.
func (c *console) Start(u *session.Unit) session.Run {
	r := &consoleRun{c: c, u: u}
	out := io.Writer(&r.buf)
	if c.stream {
		out = c.rep.w
		if u.Index > 0 {
			fmt.Fprintln(out)
		}
	}
	r.rep = newReporter(out, c.rep.st, c.rep.verbose)
	r.rep.curl, r.rep.quiet, r.rep.secrets = c.rep.curl, c.rep.quiet, c.secrets
	if c.vars != nil {
		r.rep.known = givenValues(u.Collection, c.vars(u), c.secrets)
	}
	file := safetext.Line(u.Collection.File)
	if u.Collection.Bundled {
		file += ", bundled"
	}
	fmt.Fprintf(out, "%s %s\n", c.rep.st.bold(safetext.Line(u.Name)), c.rep.st.dim("("+file+")"))
	return r
}

// End prints the notes and the summary line.
func (c *console) End() error {
	var changes []session.Changes
	if c.watch != nil {
		changes = c.watch.Changes()
	}
	var dirs []string
	if c.rec != nil {
		dirs = c.rec.Dirs()
	}
	for i := range max(len(changes), len(dirs)) {
		if i < len(changes) {
			c.showChanges(changes[i])
		}
		if i < len(dirs) {
			fmt.Fprintf(c.rep.w, "%s %s\n", c.rep.st.dim("recorded:"), safetext.Line(dirs[i]))
		}
	}
	c.rep.summary(time.Since(c.start))
	return nil
}

// showChanges prints, under --watch, what changed in a unit's steps since
// the previous run: their outcomes and statuses.
func (c *console) showChanges(ch session.Changes) {
	w, st := c.rep.w, c.rep.st
	switch {
	case !ch.Compared:
	case len(ch.Lines) == 0:
		fmt.Fprintf(w, "%s no change since the previous run\n", st.dim("watch:"))
	default:
		fmt.Fprintf(w, "%s since the previous run:\n", st.dim("watch:"))
		for _, l := range ch.Lines {
			fmt.Fprintf(w, "  %s\n", safetext.Line(l))
		}
	}
}

// consoleRun is the console's part of one unit: its own reporter, on
// stdout or a buffer printed in plan order, and its live line.
type consoleRun struct {
	c    *console
	u    *session.Unit
	buf  bytes.Buffer
	rep  *reporter
	line *progressLine
}

// Step prints s, final, unless it was not run: those wait for Result, so
// that the reason they were not run comes first.
func (r *consoleRun) Step(s *runner.StepResult) { r.rep.live(r.u.Collection, s) }

// Begin adds the unit's live line.
func (r *consoleRun) Begin() { r.line = r.c.prog.start(r.u.Name, r.u.Collection) }

// Progress moves the live line on to s.
func (r *consoleRun) Progress(s *runner.StepResult) { r.c.prog.step(r.line, s) }

// Done removes the live line.
func (r *consoleRun) Done() { r.c.prog.end(r.line) }

// Result prints the error of a run that could not start and the steps not
// run, counts the unit's steps, and prints its buffered output, unless
// --quiet holds back a unit that passed.
func (r *consoleRun) Result(res *runner.Result) {
	r.rep.finish(r.u.Collection, res)
	for k, n := range r.rep.counts {
		r.c.rep.counts[k] += n
	}
	if r.c.stream || (r.rep.quiet && resultCode(res) == ExitOK) {
		return
	}
	w := r.c.rep.w
	r.c.prog.print(func() {
		if r.c.printed > 0 {
			fmt.Fprintln(w)
		}
		io.Copy(w, &r.buf)
	})
	r.c.printed++
	r.buf = bytes.Buffer{}
}
