package session

import (
	"slices"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/runner"
)

// Preview renders the requests of the steps of c named in steps (every
// step when there are none) without sending anything (Runner.Preview),
// for exporters such as `callsheet export curl`. A name that no step has
// is an *InputError hinting at the nearest one.
func Preview(c *collections.Collection, opts runner.Options, steps []string) ([]*runner.Preview, error) {
	if err := (Selection{Steps: steps}).checkStepNames([]*collections.Collection{c}); err != nil {
		return nil, err
	}
	var out []*runner.Preview
	for _, p := range runner.New(nil).Preview(c, opts) {
		if len(steps) == 0 || slices.Contains(steps, p.Step.Name) {
			out = append(out, p)
		}
	}
	return out, nil
}
