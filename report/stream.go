package report

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/callsheet/callsheet/internal/atomicfile"
	"github.com/callsheet/callsheet/runner"
)

// Writer is the signature of every report writer.
type Writer func(io.Writer, []*runner.Result) error

// Format names a report format that Create can stream.
type Format int

// The formats of the reports.
const (
	FormatJUnit Format = iota
	FormatJSON
	FormatTAP
	FormatHTML
)

// String is the format's name, as in "JUnit".
func (f Format) String() string {
	switch f {
	case FormatJUnit:
		return "JUnit"
	case FormatJSON:
		return "JSON"
	case FormatTAP:
		return "TAP"
	case FormatHTML:
		return "HTML"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// Stream writes one report while a run goes on: each collection's steps
// go to a Part as they end, and Add writes the collection's part, in
// report order, to a temporary file beside the report, so memory grows
// neither with the number of collections nor with their steps; Close
// writes the report itself, atomically. The bytes are those of the
// format's Writer given the same results. A Stream is not safe for
// concurrent use, but its Parts may be written from other goroutines
// while it is used.
type Stream interface {
	// Part starts the part of one run of the collection in file (the
	// Result.File of the run), to give its steps to as they end.
	Part(file string) *Part
	// Add writes r's part of the report: its steps are those given to
	// p, if any, else r.Steps (for a result whose steps were never
	// reported, or a nil p); of r it reads only the name, file, start,
	// duration and error then. p is released. After an error, Add and
	// Close return that error.
	Add(r *runner.Result, p *Part) error
	// Close writes the report, atomically: a header with the totals of
	// all the results added, their parts, then the footer. It removes the
	// temporary file, whatever happens.
	Close() error
	// Discard removes the temporary file and writes no report. It does
	// nothing after Close.
	Discard()
}

// format writes one report format: a head with the totals of every
// collection, each collection's part, a foot. A collection's part is its
// opening (with its outcome and counts), a piece per step and its end;
// the pieces are written first, as the steps end (Part), so that the
// opening can count them.
type format interface {
	// step writes s's piece of the part of its collection, from file; i
	// counts the pieces written before it in the collection.
	step(w io.Writer, file string, s *runner.StepResult, i int) error
	// collection writes r's part, after the parts of the collections
	// before it: its opening, with sum, the pieces of its steps, read
	// from pieces, and its end. It adds the collection to the totals
	// head writes.
	collection(w io.Writer, r *runner.Result, sum *collectionSum, pieces io.Reader) error
	// head writes what comes before the parts, with the totals counted.
	head(w io.Writer) error
	// foot writes what comes after the parts.
	foot(w io.Writer) error
}

// newFormat returns an empty writer of f.
func newFormat(f Format) (format, error) {
	switch f {
	case FormatJUnit:
		return &junitFormat{}, nil
	case FormatJSON:
		return newJSONFormat(), nil
	case FormatTAP:
		return &tapFormat{}, nil
	case FormatHTML:
		return newHTMLFormat(RunInfo{}), nil
	}
	return nil, fmt.Errorf("unknown report format %v", f)
}

// writeCollection writes r's part in f to w from the pieces p holds, and
// releases p.
func writeCollection(w io.Writer, f format, r *runner.Result, p *Part) error {
	defer p.release()
	if p.err != nil {
		return p.err
	}
	pieces, err := p.pieces()
	if err != nil {
		return err
	}
	return f.collection(w, r, &p.sum, pieces)
}

// writeAll writes the report of results in f to w: the parts, held in
// memory, then the head, the parts and the foot.
func writeAll(w io.Writer, f format, results []*runner.Result) error {
	var parts bytes.Buffer
	for _, r := range results {
		p, err := partOf(f, r)
		if err != nil {
			return err
		}
		if err := writeCollection(&parts, f, r, p); err != nil {
			return err
		}
	}
	bw := bufio.NewWriter(w)
	if err := f.head(bw); err != nil {
		return err
	}
	if _, err := parts.WriteTo(bw); err != nil {
		return err
	}
	if err := f.foot(bw); err != nil {
		return err
	}
	return bw.Flush()
}

// write is the Writer of the format made by newFormat(f).
func write(f Format) Writer {
	return func(w io.Writer, results []*runner.Result) error {
		fm, err := newFormat(f)
		if err != nil {
			return err
		}
		if err := writeAll(w, fm, results); err != nil {
			return fmt.Errorf("write %v report: %w", f, err)
		}
		return nil
	}
}

// fileStream is the Stream Create returns.
type fileStream struct {
	path   string
	kind   Format
	f      format
	parts  *os.File // the parts written so far, removed by Close or Discard
	bw     *bufio.Writer
	err    error
	closed bool
	// open are the Parts started and not yet added, whose temporary
	// files Discard removes. Part may be called from other goroutines.
	mu   sync.Mutex
	open map[*Part]bool
}

// Create starts a report in format f to be written to path. Its parts go
// to a temporary file in path's folder, which must exist and be
// writable: an error now is better than at the end of a long run.
func Create(f Format, path string) (Stream, error) {
	fm, err := newFormat(f)
	if err != nil {
		return nil, err
	}
	return createStream(f, fm, path)
}

// createStream is Create with the format's writer given.
func createStream(f Format, fm format, path string) (Stream, error) {
	parts, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return nil, fmt.Errorf("write %v report %s: %w", f, path, atomicfile.WithoutPath(err))
	}
	return &fileStream{path: path, kind: f, f: fm, parts: parts, bw: bufio.NewWriterSize(parts, 64<<10)}, nil
}

func (s *fileStream) Part(file string) *Part {
	p := newPart(s.f, file, filepath.Dir(s.path))
	s.mu.Lock()
	if s.open == nil {
		s.open = map[*Part]bool{}
	}
	s.open[p] = true
	s.mu.Unlock()
	return p
}

func (s *fileStream) Add(r *runner.Result, p *Part) error {
	s.mu.Lock()
	delete(s.open, p)
	s.mu.Unlock()
	if s.err != nil {
		p.Discard()
		return s.err
	}
	if s.closed {
		p.Discard()
		return fmt.Errorf("write %v report %s: add after close", s.kind, s.path)
	}
	if p == nil || p.sum.steps == 0 && p.err == nil {
		p.Discard()
		var err error
		if p, err = partOf(s.f, r); err != nil {
			s.err = fmt.Errorf("write %v report %s: %w", s.kind, s.path, err)
			return s.err
		}
	}
	if err := writeCollection(s.bw, s.f, r, p); err != nil {
		s.err = fmt.Errorf("write %v report %s: %w", s.kind, s.path, err)
	}
	return s.err
}

func (s *fileStream) Close() error {
	if s.closed {
		return s.err
	}
	defer s.Discard()
	if s.err != nil {
		return s.err
	}
	err := s.bw.Flush()
	if err == nil {
		_, err = s.parts.Seek(0, io.SeekStart)
	}
	if err == nil {
		err = atomicfile.Write(s.path, 0o644, func(w io.Writer) error {
			if err := s.f.head(w); err != nil {
				return err
			}
			if _, err := io.Copy(w, s.parts); err != nil {
				return err
			}
			return s.f.foot(w)
		})
	}
	if err != nil {
		s.err = fmt.Errorf("write %v report %s: %w", s.kind, s.path, err)
	}
	return s.err
}

func (s *fileStream) Discard() {
	if s.closed {
		return
	}
	s.closed = true
	s.parts.Close()
	os.Remove(s.parts.Name())
	s.mu.Lock()
	for p := range s.open {
		p.release()
	}
	s.open = nil
	s.mu.Unlock()
}
