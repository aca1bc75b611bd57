package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// tally counts the verdicts of one file.
type tally struct {
	file                                           string
	killed, survived, timedOut, notViable, ignored int
}

func (t *tally) add(v verdict) {
	switch v {
	case killed:
		t.killed++
	case survived:
		t.survived++
	case timedOut:
		t.timedOut++
	case notViable:
		t.notViable++
	case ignored:
		t.ignored++
	}
}

// score is the percentage of counted mutants killed (timeouts included);
// 100 when none is counted.
func (t *tally) score() float64 {
	caught := t.killed + t.timedOut
	if caught+t.survived == 0 {
		return 100
	}
	return 100 * float64(caught) / float64(caught+t.survived)
}

// report prints the score per file and overall, then the survivors (and
// with verbose every mutant) and the ignored mutants with their reasons,
// and returns the overall score.
func report(w io.Writer, targets []target, results []result, verbose bool, took time.Duration) float64 {
	byFile := map[string]*tally{}
	var files []*tally
	for _, t := range targets {
		if byFile[t.file] == nil {
			byFile[t.file] = &tally{file: t.file}
			files = append(files, byFile[t.file])
		}
	}
	total := &tally{file: "total"}
	for _, r := range results {
		byFile[r.m.file].add(r.verdict)
		total.add(r.verdict)
	}
	fmt.Fprintf(w, "%d mutants in %d files, %v\n\n", len(results), len(files), took.Round(time.Second))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	width := len("total")
	for _, t := range files {
		width = max(width, len(t.file))
	}
	// Names padded to one width stay left-aligned in the right-aligned table.
	fmt.Fprintf(tw, "%-*s\tkilled\tsurvived\ttimed out\tnot viable\tignored\tscore\t\n", width, "file")
	for _, t := range append(files, total) {
		fmt.Fprintf(tw, "%-*s\t%d\t%d\t%d\t%d\t%d\t%.1f%%\t\n", width, t.file, t.killed, t.survived, t.timedOut, t.notViable, t.ignored, t.score())
	}
	tw.Flush()
	if verbose {
		fmt.Fprintf(w, "\nmutants (%d survived):\n", total.survived)
	} else {
		fmt.Fprintf(w, "\nsurvivors (%d):\n", total.survived)
	}
	for _, r := range results {
		if r.verdict == ignored {
			continue
		}
		if r.verdict == survived || verbose {
			by := ""
			if r.by != "" {
				by = " (" + r.by + ")"
			}
			fmt.Fprintf(w, "  %s:%d:%d\t%s\t%s\t%s%s\n", r.m.file, r.m.line, r.m.col, r.verdict, r.m.fn, r.m.desc, by)
		}
	}
	if total.ignored > 0 {
		fmt.Fprintf(w, "\nignored (%d):\n", total.ignored)
	}
	for _, r := range results {
		if r.verdict == ignored {
			fmt.Fprintf(w, "  %s:%d:%d\t%s\t%s\t%s: %s\n", r.m.file, r.m.line, r.m.col, r.verdict, r.m.fn, r.m.desc, r.m.ignore)
		}
	}
	return total.score()
}
