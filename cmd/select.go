package cmd

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/report"
	"github.com/callsheet/callsheet/runner"
)

// readReport reads the JSON report file given to flag (--shard-timings,
// --rerun-failed); a missing or malformed file is a usage error.
func readReport(file, flag string) (*report.JSONReport, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, &usageError{err: fmt.Errorf("%s: %w", flag, err), command: "run"}
	}
	defer f.Close()
	rep, err := report.ReadJSON(f)
	if err != nil {
		return nil, &usageError{err: fmt.Errorf("%s %s: %w", flag, file, err), command: "run"}
	}
	return rep, nil
}

// rerunFailed keeps the collections whose file did not pass in the JSON
// report: failed, errored or not run.
func rerunFailed(file string, cols []*collections.Collection) ([]*collections.Collection, error) {
	rep, err := readReport(file, "--rerun-failed")
	if err != nil {
		return nil, err
	}
	failed := map[string]bool{}
	for _, c := range rep.Collections {
		if c.Outcome != runner.Passed.String() && c.Outcome != runner.Skipped.String() {
			failed[c.File] = true
		}
	}
	var out []*collections.Collection
	for _, c := range cols {
		if failed[c.File] {
			out = append(out, c)
		}
	}
	return out, nil
}

// selectSteps applies --only and --skip. A pattern (path.Match glob)
// naming a collection (its name or file base name) selects or drops it
// whole; otherwise it selects or drops the steps it names. Under --only, a
// collection with no matching name and no matching step is dropped.
func selectSteps(cols []*collections.Collection, only, skip []string) []*collections.Collection {
	if len(only) == 0 && len(skip) == 0 {
		return cols
	}
	match := func(patterns []string, names ...string) bool {
		for _, p := range patterns {
			for _, n := range names {
				if ok, _ := path.Match(p, n); ok || p == n {
					return true
				}
			}
		}
		return false
	}
	var out []*collections.Collection
	for _, c := range cols {
		base := filepath.Base(c.File)
		if match(skip, c.Name, base, strings.TrimSuffix(base, filepath.Ext(base))) {
			continue
		}
		whole := len(only) == 0 || match(only, c.Name, base, strings.TrimSuffix(base, filepath.Ext(base)))
		var steps []*collections.Step
		for _, s := range c.Steps {
			if (whole || match(only, s.Name)) && !match(skip, s.Name) {
				steps = append(steps, s)
			}
		}
		if len(steps) == 0 && len(c.Steps) > 0 {
			continue
		}
		if len(steps) != len(c.Steps) {
			cc := *c
			cc.Steps = steps
			c = &cc
		}
		out = append(out, c)
	}
	return out
}

// selectTags applies --tag: a collection tagged with one of tags runs
// whole; otherwise only its steps so tagged run, and a collection with none
// is dropped.
func selectTags(cols []*collections.Collection, tags []string) []*collections.Collection {
	if len(tags) == 0 {
		return cols
	}
	tagged := func(list []string) bool {
		return slices.ContainsFunc(tags, func(t string) bool { return slices.Contains(list, t) })
	}
	var out []*collections.Collection
	for _, c := range cols {
		if tagged(c.Tags) {
			out = append(out, c)
			continue
		}
		var steps []*collections.Step
		for _, s := range c.Steps {
			if tagged(s.Flow.Tags) {
				steps = append(steps, s)
			}
		}
		if len(steps) > 0 {
			cc := *c
			cc.Steps = steps
			out = append(out, &cc)
		}
	}
	return out
}
