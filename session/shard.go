package session

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/runner"
)

// Shard is share K of N of the collection files (--shard K/N). The zero
// Shard runs every file.
type Shard struct {
	K, N int
	// Timings are the durations of the files in an earlier run, in
	// milliseconds (--shard-timings): with them files are dealt by
	// duration rather than round-robin.
	Timings map[string]float64
}

// ParseShard reads K/N, with 1 <= K <= N.
func ParseShard(s string) (Shard, error) {
	ks, ns, ok := strings.Cut(s, "/")
	k, errK := strconv.Atoi(ks)
	n, errN := strconv.Atoi(ns)
	if !ok || errK != nil || errN != nil || n < 1 || k < 1 || k > n {
		return Shard{}, &InputError{Err: fmt.Errorf("--shard %q: want K/N with 1 <= K <= N, such as 2/4", s)}
	}
	return Shard{K: k, N: n}, nil
}

// FileRun is what an earlier run's report says of one run of a collection
// file: for --rerun-failed and --shard-timings.
type FileRun struct {
	File string
	// Name is the run's name in the report: for a workflow of an Arazzo
	// document its workflowId, with the iteration and row when it has
	// them ("login [iteration 2]").
	Name string
	// Outcome is the run's outcome as the report spells it ("passed",
	// "failed", "error", "skipped", "not run").
	Outcome string
	// DurationMS is how long the run took.
	DurationMS float64
}

// Timings sums the durations of each file's runs (iterations, data rows),
// keyed as the shards deal them (shardKey): by file, and the workflows of
// an Arazzo document by file#workflowId.
func Timings(runs []FileRun) map[string]float64 {
	t := map[string]float64{}
	for _, r := range runs {
		key := r.File
		if IsArazzo(r.File) {
			id, _, _ := strings.Cut(r.Name, " [") // a workflowId has no space
			key += "#" + id
		}
		t[key] += r.DurationMS
	}
	return t
}

// NotPassed lists the files with a run that did not pass: failed, errored
// or not run (--rerun-failed).
func NotPassed(runs []FileRun) map[string]bool {
	failed := map[string]bool{}
	for _, r := range runs {
		if r.Outcome != runner.Passed.String() && r.Outcome != runner.Skipped.String() {
			failed[r.File] = true
		}
	}
	return failed
}

// apply returns the collections of the share. Files are dealt in a stable
// order: without timings round-robin by file path; with timings longest
// first, each to the share with the least total so far (a file without a
// timing counts as the mean). Every file lands in exactly one share, and
// the collections keep their order.
func (sh Shard) apply(cols []*collections.Collection) []*collections.Collection {
	if sh.N == 0 {
		return cols
	}
	files := make([]string, len(cols))
	for i, c := range cols {
		files[i] = shardKey(c)
	}
	slices.Sort(files)
	files = slices.Compact(files)
	owner := sh.deal(files)
	var out []*collections.Collection
	for _, c := range cols {
		if owner[shardKey(c)] == sh.K {
			out = append(out, c)
		}
	}
	return out
}

// deal gives each file, sorted, its share, from 1.
func (sh Shard) deal(files []string) map[string]int {
	owner := map[string]int{}
	if len(sh.Timings) == 0 {
		for i, f := range files {
			owner[f] = i%sh.N + 1
		}
		return owner
	}
	var sum float64
	for _, d := range sh.Timings {
		sum += d
	}
	mean := sum / float64(len(sh.Timings))
	cost := func(f string) float64 {
		if d, ok := sh.Timings[f]; ok {
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
	load := make([]float64, sh.N)
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
	return owner
}
