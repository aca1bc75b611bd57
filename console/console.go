package console

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/runner"
	"github.com/callsheet/callsheet/session"
)

// Console is the terminal's consumer of a session's results
// (session.Consumer): a heading per unit, each step once it is final, the
// units' output grouped in plan order (a unit running alone prints as it
// runs), live progress lines on a terminal, and at the end what the watch
// and the recorder noted and the summary line.
type Console struct {
	// rep prints to the output and counts every step.
	rep  *reporter
	prog *progress
	// stream prints each unit as it runs: one runs at a time and --quiet
	// holds nothing back, so it is always the first not yet printed.
	stream  bool
	printed int // units printed, when not streamed
	start   time.Time
	// Watch and Rec, when set, have notes to print before the summary.
	Watch *session.Watch
	Rec   *session.Recorder
	// Vars, when set, gives the variables a unit gets from outside its
	// collection; Secrets names the values secret in every run.
	Vars    func(*session.Unit) map[string]any
	Secrets []string
}

// Options say how a Console prints.
type Options struct {
	// Out is where everything goes; Style colours it.
	Out   io.Writer
	Style Style
	// Verbose is 0, 1 (-v: the exchange) or 2 (-vv: headers, bodies and
	// curl lines).
	Verbose int
	// Quiet prints only failed and errored steps; all are counted.
	Quiet bool
	// Workers is how many units run at once.
	Workers int
	// Live draws the live progress lines; it is only ever set when Out is a
	// terminal.
	Live bool
	// Start is when the run started, for the summary's time.
	Start time.Time
}

// New returns the console of a run of opts.
func New(opts Options) *Console {
	rep := newReporter(opts.Out, opts.Style, opts.Verbose)
	rep.quiet = opts.Quiet
	if opts.Verbose > 1 {
		rep.curl = &curlLines{}
	}
	var prog *progress
	if opts.Live && opts.Workers > 1 {
		prog = &progress{w: opts.Out, st: opts.Style}
	}
	return &Console{
		rep:    rep,
		prog:   prog,
		stream: opts.Workers == 1 && !opts.Quiet,
		start:  opts.Start,
	}
}

// Needs asks, under -vv, for the bodies and the exchanges the curl lines
// print, and for the steps that passed unless --quiet leaves them out and
// no live line counts them.
func (c *Console) Needs() runner.Needs {
	vv := c.rep.verbose > 1
	return runner.Needs{Bodies: vv, Exchanges: vv, Passed: !c.rep.quiet || c.prog != nil}
}

// Start prints u's heading, to stdout when streaming, else to u's buffer.
func (c *Console) Start(u *session.Unit) session.Run {
	r := &consoleRun{c: c, u: u}
	out := io.Writer(&r.buf)
	if c.stream {
		out = c.rep.w
		if u.Index > 0 {
			fmt.Fprintln(out)
		}
	}
	r.rep = newReporter(out, c.rep.st, c.rep.verbose)
	r.rep.curl, r.rep.quiet, r.rep.secrets = c.rep.curl, c.rep.quiet, c.Secrets
	if c.Vars != nil {
		r.rep.known = givenValues(u.Collection, c.Vars(u), c.Secrets)
	}
	file := safetext.Line(u.Collection.File)
	if u.Collection.Bundled {
		file += ", bundled"
	}
	fmt.Fprintf(out, "%s %s\n", c.rep.st.Bold(safetext.Line(u.Name())), c.rep.st.Dim("("+file+")"))
	return r
}

// End prints the notes and the summary line.
func (c *Console) End() error {
	var changes []session.Changes
	if c.Watch != nil {
		changes = c.Watch.Changes()
	}
	var dirs []string
	if c.Rec != nil {
		dirs = c.Rec.Dirs()
	}
	for i := range max(len(changes), len(dirs)) {
		if i < len(changes) {
			c.showChanges(changes[i])
		}
		if i < len(dirs) {
			fmt.Fprintf(c.rep.w, "%s %s\n", c.rep.st.Dim("recorded:"), safetext.Line(dirs[i]))
		}
	}
	c.rep.summary(time.Since(c.start))
	return nil
}

// showChanges prints, under --watch, what changed in a unit's steps since
// the previous run: their outcomes and statuses.
func (c *Console) showChanges(ch session.Changes) {
	w, st := c.rep.w, c.rep.st
	switch {
	case !ch.Compared:
	case len(ch.Lines) == 0:
		fmt.Fprintf(w, "%s no change since the previous run\n", st.Dim("watch:"))
	default:
		fmt.Fprintf(w, "%s since the previous run:\n", st.Dim("watch:"))
		for _, l := range ch.Lines {
			fmt.Fprintf(w, "  %s\n", safetext.Line(l))
		}
	}
}

// consoleRun is the console's part of one unit: its own reporter, on
// stdout or a buffer printed in plan order, and its live line.
type consoleRun struct {
	c    *Console
	u    *session.Unit
	buf  bytes.Buffer
	rep  *reporter
	line *progressLine
}

// Step prints s, final, unless it was not run: those wait for Result, so
// that the reason they were not run comes first.
func (r *consoleRun) Step(s *runner.StepResult) { r.rep.live(r.u.Collection, s) }

// Begin adds the unit's live line.
func (r *consoleRun) Begin() { r.line = r.c.prog.start(r.u.Name(), r.u.Collection) }

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
	if r.c.stream || (r.rep.quiet && session.Verdict(res) == runner.Passed) {
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
