package session

import (
	"path/filepath"
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
	// iteration and rowNumber are the iteration and the --data row the
	// unit runs, from 1; 0 when there is one iteration, or no rows.
	iteration, rowNumber int
	// keep are the steps the selection keeps; nil keeps them all.
	keep []bool
	// env and row are the unit's own layers of variables.
	env, row map[string]any
	// flow is the workflow the unit runs, nil for a collection.
	flow *flow
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
	s.units, s.stateKeys = nil, map[*collections.Collection]string{}
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
	s.stateKeys[c] = StateKey(c) // once: it reads the file system
	for it := 1; it <= iterations; it++ {
		u := Unit{Collection: c, keep: keep, env: env, flow: s.flows[c]}
		if iterations > 1 {
			u.iteration = it
		}
		if s.rows == nil {
			s.add(u)
			continue
		}
		for i, row := range s.rows {
			u.rowNumber, u.row = i+1, row
			s.add(u)
		}
	}
}

// add appends u to the plan.
func (s *Session) add(u Unit) {
	u.Index = len(s.units)
	s.units = append(s.units, &u)
}

// Name is the collection's name with the iteration and row the unit runs:
// "users [iteration 2, row 3]". Units make it when asked, so that a plan
// of many iterations holds no name per unit.
func (u *Unit) Name() string {
	var tags []string
	if u.iteration > 0 {
		tags = append(tags, "iteration "+strconv.Itoa(u.iteration))
	}
	if u.rowNumber > 0 {
		tags = append(tags, "row "+strconv.Itoa(u.rowNumber))
	}
	if len(tags) == 0 {
		return u.Collection.Name
	}
	return u.Collection.Name + " [" + strings.Join(tags, ", ") + "]"
}
