package cmd

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/callsheet/callsheet/collections"
)

// parseShard reads K/N.
func parseShard(s string) (k, n int, err error) {
	ks, ns, ok := strings.Cut(s, "/")
	k, errK := strconv.Atoi(ks)
	n, errN := strconv.Atoi(ns)
	if !ok || errK != nil || errN != nil || n < 1 || k < 1 || k > n {
		return 0, 0, &usageError{err: fmt.Errorf("--shard %q: want K/N with 1 <= K <= N, such as 2/4", s), command: "run"}
	}
	return k, n, nil
}

// shard returns the collections of share k of n. Files are dealt in a
// stable order: without timings round-robin by file path; with timings
// longest first, each to the share with the least total so far (a file
// without a timing counts as the mean). Every file lands in exactly one
// share, and the collections keep their order.
func shard(cols []*collections.Collection, k, n int, timings map[string]float64) []*collections.Collection {
	files := make([]string, len(cols))
	for i, c := range cols {
		files[i] = c.File
	}
	slices.Sort(files)
	files = slices.Compact(files)
	owner := map[string]int{}
	if len(timings) == 0 {
		for i, f := range files {
			owner[f] = i%n + 1
		}
	} else {
		var sum float64
		for _, d := range timings {
			sum += d
		}
		mean := sum / float64(len(timings))
		cost := func(f string) float64 {
			if d, ok := timings[f]; ok {
				return d
			}
			return mean
		}
		byCost := slices.Clone(files)
		slices.SortStableFunc(byCost, func(a, b string) int {
			switch ca, cb := cost(a), cost(b); {
			case ca > cb:
				return -1
			case ca < cb:
				return 1
			}
			return strings.Compare(a, b)
		})
		load := make([]float64, n)
		for _, f := range byCost {
			least := 0
			for i := range load {
				if load[i] < load[least] {
					least = i
				}
			}
			load[least] += cost(f)
			owner[f] = least + 1
		}
	}
	var out []*collections.Collection
	for _, c := range cols {
		if owner[c.File] == k {
			out = append(out, c)
		}
	}
	return out
}

// readTimings reads each file's duration from a JSON report, summing the
// runs of a file (iterations, data rows).
func readTimings(file string) (map[string]float64, error) {
	rep, err := readReport(file, "--shard-timings")
	if err != nil {
		return nil, err
	}
	t := map[string]float64{}
	for _, c := range rep.Collections {
		t[c.File] += c.DurationMS
	}
	return t, nil
}
