package session

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/callsheet/callsheet/collections"
)

// Unit is one run of a collection in a session's plan: a file, once per
// iteration and data row.
type Unit struct {
	// Index is the unit's place in the plan, from 0.
	Index      int
	Collection *collections.Collection
	// Name is the collection's name with the iteration and row the unit
	// runs: "users [iteration 2, row 3]".
	Name string
	// keep are the steps the selection keeps; nil keeps them all.
	keep []bool
	// env and row are the unit's own layers of variables.
	env, row map[string]any
	// flow is the workflow the unit runs, nil for a collection.
	flow *flow
	// stateKey is StateKey of the collection, found once for its units.
	stateKey string
}

// Plan selects and expands the loaded collections into units, in a stable
// order: --rerun-failed, --shard, the selection, then one unit per
// iteration and data row. Under --watch, a session that gets this far is
// the one the next compares with.
func (s *Session) Plan() error {
	if err := s.opts.Select.checkStepNames(s.cols); err != nil {
		return err
	}
	if err := s.plan(); err != nil {
		return err
	}
	if w := s.opts.Watch; w != nil {
		s.reuse = !w.failed
		w.begin(s.cols)
	}
	return nil
}

// plan makes the units.
func (s *Session) plan() error {
	var cols []*collections.Collection
	for _, c := range s.cols {
		if s.opts.Rerun == nil || s.opts.Rerun[c.File] {
			cols = append(cols, c)
		}
	}
	s.units = nil
	for _, c := range s.opts.Shard.apply(cols) {
		keep, runs := s.opts.Select.keep(c)
		if !runs {
			continue
		}
		if err := s.flowSelection(c, keep); err != nil {
			return err
		}
		var env map[string]any
		if s.env != nil {
			var err error
			if env, err = s.env.vars(filepath.Dir(c.File)); err != nil {
				return err
			}
		}
		s.expand(c, keep, env)
	}
	return nil
}

// expand adds the units of c: one per iteration and data row.
func (s *Session) expand(c *collections.Collection, keep []bool, env map[string]any) {
	iterations := max(s.opts.Iterations, 1)
	key := StateKey(c)
	add := func(tags []string, row map[string]any) {
		name := c.Name
		if len(tags) > 0 {
			name += " [" + strings.Join(tags, ", ") + "]"
		}
		s.units = append(s.units, &Unit{Index: len(s.units), Collection: c, Name: name, keep: keep, env: env, row: row, flow: s.flows[c], stateKey: key})
	}
	for it := 1; it <= iterations; it++ {
		var tags []string
		if iterations > 1 {
			tags = append(tags, "iteration "+strconv.Itoa(it))
		}
		if s.rows == nil {
			add(tags, nil)
			continue
		}
		for i, row := range s.rows {
			add(append(slices.Clone(tags), "row "+strconv.Itoa(i+1)), row)
		}
	}
}
