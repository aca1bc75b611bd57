package report

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"

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

// Stream writes one report while a run goes on: Add takes each result as
// soon as it is known, in report order, and writes its part at once to a
// temporary file beside the report, so memory does not grow with the
// number of results; Close writes the report itself, atomically. The
// bytes are those of the format's Writer given the same results. A
// Stream is not safe for concurrent use.
type Stream interface {
	// Add writes r's part of the report. After an error, Add and Close
	// return that error.
	Add(r *runner.Result) error
	// Close writes the report, atomically: a header with the totals of
	// all the results added, their parts, then the footer. It removes the
	// temporary file, whatever happens.
	Close() error
	// Discard removes the temporary file and writes no report. It does
	// nothing after Close.
	Discard()
}

// format writes one report format in three parts, so that the totals a
// header needs can be counted before it is written (Writer) or after the
// results' parts (Stream).
type format interface {
	// count adds r to the totals that head writes.
	count(r *runner.Result)
	// part writes r's part of the report, after the parts of the results
	// before it.
	part(w io.Writer, r *runner.Result) error
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
		return &htmlFormat{n: map[runner.Outcome]int{}}, nil
	}
	return nil, fmt.Errorf("unknown report format %v", f)
}

// writeAll writes the report of results in f to w: it counts them all,
// then writes the head, the parts and the foot.
func writeAll(w io.Writer, f format, results []*runner.Result) error {
	for _, r := range results {
		f.count(r)
	}
	bw := bufio.NewWriter(w)
	if err := f.head(bw); err != nil {
		return err
	}
	for _, r := range results {
		if err := f.part(bw, r); err != nil {
			return err
		}
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
}

// Create starts a report in format f to be written to path. Its parts go
// to a temporary file in path's folder, which must exist and be
// writable: an error now is better than at the end of a long run.
func Create(f Format, path string) (Stream, error) {
	fm, err := newFormat(f)
	if err != nil {
		return nil, err
	}
	parts, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return nil, fmt.Errorf("write %v report %s: %w", f, path, err)
	}
	return &fileStream{path: path, kind: f, f: fm, parts: parts, bw: bufio.NewWriterSize(parts, 64<<10)}, nil
}

func (s *fileStream) Add(r *runner.Result) error {
	if s.err != nil {
		return s.err
	}
	if s.closed {
		return fmt.Errorf("write %v report %s: add after close", s.kind, s.path)
	}
	s.f.count(r)
	if err := s.f.part(s.bw, r); err != nil {
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
}
