package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/callsheet/callsheet/runner"
)

// jsonFormat writes the report with the same bytes as encoding the whole
// JSONReport with json.Encoder and a two-space indent, but holds only one
// collection's document at a time: the head (version, span, summary)
// with the collections array opened, each collection at its place in the
// array, then the end of the array and of the document.
type jsonFormat struct {
	// first and last bound the run: the earliest start and the latest
	// end of the collections that started.
	first, last time.Time
	n           map[runner.Outcome]int
	counted     int
	written     int
}

func newJSONFormat() *jsonFormat {
	return &jsonFormat{n: map[runner.Outcome]int{}}
}

// add counts a collection in the totals.
func (f *jsonFormat) add(r *runner.Result, sum *collectionSum) {
	f.counted++
	if r.Err != nil {
		f.n[runner.Errored]++
	}
	for o, k := range sum.n {
		f.n[o] += k
	}
	if r.Start.IsZero() {
		return
	}
	start := r.Start.UTC()
	if f.first.IsZero() || start.Before(f.first) {
		f.first = start
	}
	if end := start.Add(r.Duration); end.After(f.last) {
		f.last = end
	}
}

// report is the head of the report: all but its collections.
func (f *jsonFormat) report() *JSONReport {
	rep := &JSONReport{Version: JSONVersion, Tool: "callsheet", Collections: []JSONCollection{}}
	if !f.first.IsZero() {
		first := f.first
		rep.Start = &first
		rep.DurationMS = ms(f.last.Sub(f.first))
	}
	n := f.n
	rep.Summary = JSONSummary{Passed: n[runner.Passed], Failed: n[runner.Failed], Errors: n[runner.Errored], NotRun: n[runner.NotRun], Skipped: n[runner.Skipped]}
	return rep
}

func (f *jsonFormat) head(w io.Writer) error {
	head, err := json.MarshalIndent(f.report(), "", "  ")
	if err != nil {
		return err
	}
	if f.counted == 0 {
		_, err := w.Write(append(head, '\n'))
		return err
	}
	// The head ends with its empty collections array.
	const empty = "[]\n}"
	open, ok := bytes.CutSuffix(head, []byte(empty))
	if !ok {
		return fmt.Errorf("unexpected head %q", head[max(0, len(head)-20):])
	}
	_, err = w.Write(append(open, '['))
	return err
}

// step writes s as an element of its collection's steps array, indented
// as in the whole document.
func (f *jsonFormat) step(w io.Writer, _ string, s *runner.StepResult, i int) error {
	b, err := json.MarshalIndent(jsonStep(s), "        ", "  ")
	if err != nil {
		return err
	}
	sep := ",\n        "
	if i == 0 {
		sep = "\n        "
	}
	if _, err := io.WriteString(w, sep); err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// collection writes r's object in the collections array: its fields,
// with the steps array, the last, holding the pieces.
func (f *jsonFormat) collection(w io.Writer, r *runner.Result, sum *collectionSum, pieces io.Reader) error {
	f.add(r, sum)
	b, err := json.MarshalIndent(jsonCollectionHead(r, sum), "    ", "  ")
	if err != nil {
		return err
	}
	// The object ends with its empty steps array.
	const empty = "[]\n    }"
	open, ok := bytes.CutSuffix(b, []byte(empty))
	if !ok {
		return fmt.Errorf("unexpected collection %q", b[max(0, len(b)-20):])
	}
	sep := ",\n    "
	if f.written == 0 {
		sep = "\n    "
	}
	f.written++
	if _, err := io.WriteString(w, sep); err != nil {
		return err
	}
	if _, err := w.Write(open); err != nil {
		return err
	}
	if sum.steps == 0 {
		_, err = io.WriteString(w, empty)
		return err
	}
	if _, err := io.WriteString(w, "["); err != nil {
		return err
	}
	if _, err := io.Copy(w, pieces); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n      ]\n    }")
	return err
}

func (f *jsonFormat) foot(w io.Writer) error {
	if f.counted == 0 {
		return nil
	}
	_, err := io.WriteString(w, "\n  ]\n}\n")
	return err
}
