package session

import (
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/runner"
)

// Selection says what of the loaded collections runs. Only, Skip and Tags
// pick collections, and steps within them; Steps and From pick steps to
// replay with a saved state. Whatever picks them, a collection that runs
// keeps every step: the steps left out are reported Skipped, "not
// selected", at their place. Reports then list every step of the file
// where it is written, the summary counts what was left out, and a step
// left out that captures what a chosen step reads is named as its
// producer (MissingCaptureError) instead of failing later as an undefined
// variable; WithDeps runs such producers whichever option left them out.
type Selection struct {
	// Only and Skip are globs (path.Match, or the exact text) matched
	// against collection names and file names (with or without the
	// extension), which select or drop a collection whole, and otherwise
	// against step names. Under Only, a collection with no match of its
	// own nor of a step does not run.
	Only, Skip []string
	// Tags keeps the collections and steps tagged with one of them; a
	// tagged collection runs whole, one with no tagged step does not run.
	Tags []string
	// Steps names steps to run, and From a step to run with every step
	// after it (runner.Selection).
	Steps []string
	From  string
	// WithDeps first runs the steps that capture what the chosen steps
	// need and the saved state lacks.
	WithDeps bool
}

// filters reports whether Only, Skip or Tags say anything.
func (sel Selection) filters() bool {
	return len(sel.Only) > 0 || len(sel.Skip) > 0 || len(sel.Tags) > 0
}

// keep decides whether c runs under Only, Skip and Tags and, when it
// does, which of its steps they keep: nil keeps every step.
func (sel Selection) keep(c *collections.Collection) (keep []bool, runs bool) {
	if !sel.filters() {
		return nil, true
	}
	base := filepath.Base(c.File)
	names := []string{c.Name, base, strings.TrimSuffix(base, filepath.Ext(base))}
	if matchAny(sel.Skip, names...) {
		return nil, false
	}
	whole := len(sel.Only) == 0 || matchAny(sel.Only, names...)
	tagged := len(sel.Tags) == 0 || hasTag(sel.Tags, c.Tags)
	keep = make([]bool, len(c.Steps))
	kept := 0
	for i, s := range c.Steps {
		keep[i] = (whole || matchAny(sel.Only, s.Name)) && !matchAny(sel.Skip, s.Name) && (tagged || hasTag(sel.Tags, s.Flow.Tags))
		if keep[i] {
			kept++
		}
	}
	switch {
	case kept == 0 && len(c.Steps) > 0:
		return nil, false
	case len(c.Steps) == 0 && !tagged:
		return nil, false // a tag picks steps, and there are none
	case kept == len(c.Steps):
		return nil, true
	}
	return keep, true
}

// runner is the runner's selection of a run whose steps keep keeps;
// reuse skips the producers whose captures a saved state holds.
func (sel Selection) runner(keep []bool, reuse bool) runner.Selection {
	return runner.Selection{
		Keep:     keep,
		Steps:    sel.Steps,
		From:     sel.From,
		WithDeps: sel.WithDeps,
		Reuse:    reuse && len(sel.Steps) == 0 && sel.From == "",
	}
}

// matchAny reports whether a pattern matches one of names.
func matchAny(patterns []string, names ...string) bool {
	for _, p := range patterns {
		for _, n := range names {
			if ok, _ := path.Match(p, n); ok || p == n {
				return true
			}
		}
	}
	return false
}

// hasTag reports whether list holds one of tags.
func hasTag(tags, list []string) bool {
	return slices.ContainsFunc(tags, func(t string) bool { return slices.Contains(list, t) })
}

// checkStepNames reports a Steps or From name that no collection has,
// with the nearest name.
func (sel Selection) checkStepNames(cols []*collections.Collection) error {
	var all []string
	for _, c := range cols {
		for _, s := range c.Steps {
			all = append(all, s.Name)
		}
	}
	for _, n := range append(slices.Clone(sel.Steps), sel.From) {
		if n == "" || slices.Contains(all, n) {
			continue
		}
		ie := &InputError{Err: fmt.Errorf("no step named %q", n)}
		if s := collections.Suggest(n, all); s != "" {
			ie.Hint = fmt.Sprintf("did you mean %q?", s)
		}
		return ie
	}
	return nil
}
