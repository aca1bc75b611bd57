package report

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/callsheet/callsheet/internal/atomicfile"
	"github.com/callsheet/callsheet/runner"
)

// Part is one collection run's part of a report, written while the run
// goes on: Step writes each step's piece as soon as the step ends, so the
// caller need not keep the step; Stream.Add then writes the collection's
// opening, which needs its outcome and counts, these pieces and its end.
// The pieces stay in memory up to spillAt bytes, then go to a temporary
// file beside the report. A Part is used by one goroutine at a time; the
// parts of several collections may be written at once.
type Part struct {
	f format
	// file is the collection's file, as its Result.File says.
	file string
	dir  string // where the pieces spill; "" keeps them in memory
	buf  bytes.Buffer
	// spilled holds the pieces once they passed spillAt, written through
	// spillW; buf is then empty.
	spilled *os.File
	spillW  *bufio.Writer
	sum     collectionSum
	err     error
}

// spillAt is how many bytes of step pieces a Part keeps in memory before
// it moves them to a temporary file: a collection of a few steps never
// touches the disk, a long one does not grow the heap.
const spillAt = 256 << 10

// collectionSum is what a collection's opening says about its steps.
type collectionSum struct {
	// steps counts the steps written; n counts them by outcome.
	steps int
	n     map[runner.Outcome]int
}

// outcome is the collection's outcome given r's error (r.Steps is not
// read): errored if it could not start or a step errored, failed if a step
// failed, skipped or not run when no step ran and one was skipped or none,
// else passed.
func (c *collectionSum) outcome(r *runner.Result) runner.Outcome {
	switch {
	case r.Err != nil || c.n[runner.Errored] > 0:
		return runner.Errored
	case c.n[runner.Failed] > 0:
		return runner.Failed
	case c.steps == 0 || c.n[runner.Passed] > 0:
		return runner.Passed
	case c.n[runner.Skipped] > 0:
		return runner.Skipped
	}
	return runner.NotRun
}

func newPart(f format, file, dir string) *Part {
	return &Part{f: f, file: file, dir: dir, sum: collectionSum{n: map[runner.Outcome]int{}}}
}

// Step writes s's piece of the collection's part. The first error is
// kept and returned by every later call and by Stream.Add.
func (p *Part) Step(s *runner.StepResult) error {
	if p.err != nil {
		return p.err
	}
	var w io.Writer = &p.buf
	if p.spilled != nil {
		w = p.spillW
	}
	if p.err = p.f.step(w, p.file, s, p.sum.steps); p.err != nil {
		return p.err
	}
	p.sum.steps++
	p.sum.n[s.Outcome]++
	if p.spilled == nil && p.dir != "" && p.buf.Len() > spillAt {
		p.spill()
	}
	return p.err
}

// spill moves the pieces from memory to a temporary file.
func (p *Part) spill() {
	f, err := os.CreateTemp(p.dir, ".callsheet-part-*")
	if err != nil {
		p.err = fmt.Errorf("a temporary file in %s: %w", p.dir, atomicfile.WithoutPath(err))
		return
	}
	p.spilled, p.spillW = f, bufio.NewWriterSize(f, 64<<10)
	if _, err := p.buf.WriteTo(p.spillW); err != nil {
		p.err = err
	}
	p.buf = bytes.Buffer{}
}

// pieces returns the pieces written, from the start.
func (p *Part) pieces() (io.Reader, error) {
	if p.spilled == nil {
		return bytes.NewReader(p.buf.Bytes()), nil
	}
	if err := p.spillW.Flush(); err != nil {
		return nil, err
	}
	if _, err := p.spilled.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return p.spilled, nil
}

// release removes the temporary file, if any. The Part is not used again.
func (p *Part) release() {
	if p.spilled != nil {
		p.spilled.Close()
		os.Remove(p.spilled.Name())
		p.spilled, p.spillW = nil, nil
	}
	p.buf = bytes.Buffer{}
}

// Discard removes a Part's temporary file without adding the part to its
// report, for a collection whose part will not be added.
func (p *Part) Discard() {
	if p != nil {
		p.release()
	}
}

// partOf is the part of a collection whose result holds all its steps.
func partOf(f format, r *runner.Result) (*Part, error) {
	p := newPart(f, r.File, "")
	for _, s := range r.Steps {
		if err := p.Step(s); err != nil {
			return nil, err
		}
	}
	return p, nil
}
