package load

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/callsheet/callsheet/internal/safetext"
)

// ProgressLine is one line of live progress: elapsed time, users, the
// last interval's rate and percentiles, and the totals of errors and
// dropped iterations.
func ProgressLine(p Progress) string {
	pt := p.Point
	line := fmt.Sprintf("%6s  vus %d  %.0f req/s  p50 %s  p95 %s  p99 %s  requests %d  errors %d",
		p.Elapsed.Round(time.Second), pt.VUs, pt.Rate(), msText(pt.P50), msText(pt.P95), msText(pt.P99), p.Requests, p.HTTPErrors)
	if p.Dropped > 0 {
		line += fmt.Sprintf("  dropped %d", p.Dropped)
	}
	if p.CPU >= 0 {
		line += fmt.Sprintf("  cpu %.0f%%", p.CPU*100)
	}
	return line
}

// msText writes milliseconds briefly: 0.42ms, 12.3ms, 1.25s.
func msText(v float64) string {
	switch {
	case v >= 1000:
		return fmt.Sprintf("%.2fs", v/1000)
	case v >= 10:
		return fmt.Sprintf("%.1fms", v)
	}
	return fmt.Sprintf("%.2fms", v)
}

// WriteText writes the summary for a terminal: the test, a table of the
// steps' counts and percentiles, failure samples, thresholds with ✔ or ✘,
// and warnings. Names from the collection are escaped (safetext).
func (s *Summary) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s, %.1fs, %d iterations", safetext.Text(s.Collection), safetext.Text(s.File),
		s.Scenario.Executor, s.Seconds, s.Iterations)
	if s.Dropped > 0 {
		fmt.Fprintf(&b, ", %d dropped", s.Dropped)
	}
	if len(s.Segments) > 1 || !s.Segments[0].Whole() {
		fmt.Fprintf(&b, ", segments %s", segmentsText(s.Segments))
	}
	b.WriteString("\n")
	if s.Aborted != "" {
		fmt.Fprintf(&b, "stopped early: %s\n", safetext.Text(s.Aborted))
	}
	b.WriteString("\n")
	s.writeTable(&b)
	for _, st := range s.Steps {
		for _, sm := range st.Samples {
			fmt.Fprintf(&b, "  %s: %d× %s\n", safetext.Text(st.Name), sm.Count, safetext.Text(sm.Message))
		}
	}
	if len(s.Thresholds) > 0 {
		b.WriteString("\nthresholds")
		if len(s.Segments) == 1 && !s.Segments[0].Whole() {
			b.WriteString(" of this segment alone (callsheet load merge evaluates them on the whole)")
		}
		b.WriteString("\n")
		for _, r := range s.Thresholds {
			mark := "✔"
			if !r.Passed {
				mark = "✘"
			}
			fmt.Fprintf(&b, "  %s %s  (%s)\n", mark, safetext.Text(r.Threshold), r.Shown)
		}
	}
	for _, warn := range s.Warnings {
		fmt.Fprintf(&b, "\nwarning: %s\n", safetext.Text(warn))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeTable writes one row per step and one for the total.
func (s *Summary) writeTable(b *strings.Builder) {
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	corrected := s.Total.CorrectedPercentiles != nil
	head := "step\trequests\treq/s\terrors\tchecks failed\tp50\tp95\tp99\tmax\t"
	if corrected {
		head += "p99 corrected\t"
	}
	fmt.Fprintln(tw, head)
	for _, st := range append(append([]*StepSummary{}, s.Steps...), s.Total) {
		name := safetext.Text(st.Name)
		if st == s.Total {
			name = "all"
		}
		p := st.Percentiles
		row := fmt.Sprintf("%s\t%d\t%.1f\t%d\t%d\t%s\t%s\t%s\t%s\t", name, st.Requests, st.RPS, st.HTTPErrors, st.ChecksFailed,
			msText(p.P50), msText(p.P95), msText(p.P99), msText(p.Max))
		if corrected {
			row += msText(st.CorrectedPercentiles.P99) + "\t"
		}
		fmt.Fprintln(tw, row)
	}
	tw.Flush()
}
