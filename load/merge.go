package load

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
)

// MergeFiles reads the summaries in files and merges them (Merge),
// evaluating again the thresholds the first was evaluated with, then
// extra. Its errors name the file they are about.
func MergeFiles(files []string, extra []Threshold) (*Summary, error) {
	var parts []*Summary
	for _, f := range files {
		s, err := readSummaryFile(f)
		if err != nil {
			return nil, err
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return nil, errors.New("no summary to merge")
	}
	ts, err := ThresholdsOf(parts[0])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", files[0], err)
	}
	return Merge(parts, append(ts, extra...))
}

// readSummaryFile reads one summary file.
func readSummaryFile(path string) (*Summary, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := ReadSummary(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// Merge joins the summaries of the segments of one test into the summary
// of the whole: counts add up, histograms merge exactly (so percentiles
// are those one process would have measured, within the histograms'
// precision), series add up interval by interval, and ts are evaluated
// on the result. The parts must be of one collection and scenario, and
// no segment may come twice; a missing segment is named in a warning.
func Merge(parts []*Summary, ts []Threshold) (*Summary, error) {
	if len(parts) == 0 {
		return nil, errors.New("no summary to merge")
	}
	first := parts[0]
	out := &Summary{Collection: first.Collection, File: first.File, Scenario: first.Scenario, Start: first.Start}
	seen := map[Segment]bool{}
	var series [][]*Point
	for _, p := range parts {
		if err := sameTest(first, p); err != nil {
			return nil, err
		}
		for _, g := range p.Segments {
			if seen[g] {
				return nil, fmt.Errorf("segment %s comes twice", g)
			}
			seen[g] = true
			out.Segments = append(out.Segments, g)
		}
		if p.Start.Before(out.Start) {
			out.Start = p.Start
		}
		out.Seconds = max(out.Seconds, p.Seconds)
		out.Iterations += p.Iterations
		out.Dropped += p.Dropped
		for _, st := range p.Steps {
			if mine := out.Step(st.Name); mine != nil {
				mine.merge(st.Stats)
				mine.Samples = mergeSamples(mine.Samples, st.Samples)
			} else {
				out.Steps = append(out.Steps, &StepSummary{Name: st.Name, Stats: st.Stats.clone(), Samples: slices.Clone(st.Samples)})
			}
		}
		for _, w := range p.Warnings {
			out.Warnings = append(out.Warnings, "segment "+segmentsText(p.Segments)+": "+w)
		}
		if p.Aborted != "" {
			out.Aborted = strings.TrimPrefix(out.Aborted+"; ", "; ") + "segment " + segmentsText(p.Segments) + ": " + p.Aborted
		}
		series = append(series, p.Series)
	}
	slices.SortFunc(out.Segments, func(a, b Segment) int { return a.K - b.K })
	if missing := missingSegments(out.Segments); missing != "" {
		out.Warnings = append(out.Warnings, "segments missing from the merge: "+missing)
	}
	out.Series = mergeSeries(series...)
	out.finish()
	out.Evaluate(ts)
	return out, nil
}

// sameTest reports a part that is not of the same test as first.
func sameTest(first, p *Summary) error {
	a, _ := first.Scenario.MarshalJSON()
	b, _ := p.Scenario.MarshalJSON()
	switch {
	case p.File != first.File:
		return fmt.Errorf("summaries of two collections: %s and %s", first.File, p.File)
	case string(a) != string(b):
		return fmt.Errorf("summaries of two scenarios: %s and %s", a, b)
	}
	for _, g := range p.Segments {
		if g.N != first.Segments[0].N {
			return fmt.Errorf("segments of %d and of %d parts", first.Segments[0].N, g.N)
		}
	}
	return nil
}

// mergeSamples adds the counts of b's messages to a, keeping at most
// maxSamples distinct ones.
func mergeSamples(a, b []Sample) []Sample {
	for _, s := range b {
		i := slices.IndexFunc(a, func(x Sample) bool { return x.Message == s.Message })
		switch {
		case i >= 0:
			a[i].Count += s.Count
		case len(a) < maxSamples:
			a = append(a, s)
		}
	}
	return a
}

func segmentsText(gs []Segment) string {
	parts := make([]string, len(gs))
	for i, g := range gs {
		parts[i] = g.String()
	}
	return strings.Join(parts, ",")
}

// missingSegments names the segments of 1..N not in gs (sorted).
func missingSegments(gs []Segment) string {
	if len(gs) == 0 || gs[0].Whole() {
		return ""
	}
	var missing []string
	for k := 1; k <= gs[0].N; k++ {
		if !slices.ContainsFunc(gs, func(g Segment) bool { return g.K == k }) {
			missing = append(missing, Segment{K: k, N: gs[0].N}.String())
		}
	}
	return strings.Join(missing, ", ")
}

// ThresholdsOf re-reads the thresholds a summary was evaluated with, for
// a merge that evaluates them again.
func ThresholdsOf(s *Summary) ([]Threshold, error) {
	var out []Threshold
	for _, r := range s.Thresholds {
		t, err := ParseThreshold(r.Threshold)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}
