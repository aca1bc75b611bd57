package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/runner"
)

// TAP writes results in the Test Anything Protocol, version 14: one test
// point per step, named "collection / step"; a step not run is a SKIP; a
// failure carries a YAML block with its message, location and the actual
// and expected values. A collection that could not start is one failed
// test point. Create(FormatTAP, …) streams the same bytes.
var TAP Writer = write(FormatTAP)

// tapFormat writes TAP: the plan counts every test point, so it is the
// head. A collection's test points are numbered when its part is written.
type tapFormat struct {
	points int // counted, for the plan
	i      int // the last test point written
}

func (f *tapFormat) head(w io.Writer) error {
	_, err := fmt.Fprintf(w, "TAP version 14\n1..%d\n", f.points)
	return err
}

func (f *tapFormat) foot(io.Writer) error { return nil }

// step writes s's test point without its number, and the name without
// its collection's: the numbers go on in report order and the name of the
// collection is known when collection copies the point.
func (f *tapFormat) step(w io.Writer, _ string, s *runner.StepResult, _ int) error {
	bw := bufio.NewWriter(w)
	name := tapName(s.Name)
	switch s.Outcome {
	case runner.Passed:
		fmt.Fprintf(bw, "ok - %s\n", name)
	case runner.Failed, runner.Errored:
		fmt.Fprintf(bw, "not ok - %s\n", name)
		tapYAML(bw, problems(s))
	default:
		reason := s.Outcome.String()
		if s.SkipReason != "" {
			reason = tapName(s.SkipReason)
		}
		fmt.Fprintf(bw, "ok - %s # SKIP %s\n", name, reason)
	}
	return bw.Flush()
}

// collection writes r's test points, numbered after those written
// before and named "collection / step": a failed point for a collection
// that could not start, then the steps' points. Lines of the pieces that
// start with "ok - " or "not ok - " are the points (the YAML blocks are
// indented).
func (f *tapFormat) collection(w io.Writer, r *runner.Result, sum *collectionSum, pieces io.Reader) error {
	bw := bufio.NewWriter(w)
	if r.Err != nil {
		f.points++
		f.i++
		fmt.Fprintf(bw, "not ok %d - %s\n", f.i, tapName(r.Name))
		tapYAML(bw, []problem{{Title: r.Err.Error()}})
	}
	f.points += sum.steps
	prefix := tapName(r.Name + " / ")
	br := bufio.NewReader(pieces)
	for {
		line, err := br.ReadString('\n')
		if rest, ok := strings.CutPrefix(line, "ok - "); ok {
			f.i++
			fmt.Fprintf(bw, "ok %d - %s%s", f.i, prefix, rest)
		} else if rest, ok := strings.CutPrefix(line, "not ok - "); ok {
			f.i++
			fmt.Fprintf(bw, "not ok %d - %s%s", f.i, prefix, rest)
		} else {
			bw.WriteString(line)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	return bw.Flush()
}

// tapName keeps a test point's description on one line and free of the
// "#" that starts a directive.
func tapName(s string) string { return tapNameEscaper.Replace(safetext.Report(s)) }

var tapNameEscaper = strings.NewReplacer("\n", " ", "\r", " ", "#", `\#`)

// tapYAML writes the YAML diagnostic block of a failed test point. Strings
// are JSON-quoted, which YAML reads as double-quoted scalars.
func tapYAML(w io.Writer, ps []problem) {
	q := func(s string) string {
		b, _ := json.Marshal(safetext.Report(s)) // a string always marshals
		return string(b)
	}
	fmt.Fprintln(w, "  ---")
	fmt.Fprintf(w, "  message: %s\n", q(ps[0].Title))
	if ps[0].Pos.IsValid() {
		fmt.Fprintf(w, "  at: %s\n", q(ps[0].Pos.String()))
	}
	if len(ps) > 1 || ps[0].Detail != "" {
		fmt.Fprintln(w, "  problems:")
		for _, p := range ps {
			fmt.Fprintf(w, "    - %s\n", q(strings.TrimSuffix(p.Detail, "\n")))
		}
	}
	fmt.Fprintln(w, "  ...")
}
