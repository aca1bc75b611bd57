package runner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/callsheet/callsheet/collections"
)

// Selection picks the steps a run sends: those a caller's filters keep
// (--only, --skip and --tag), and among them those named (--step, --from)
// for a developer who replays part of a collection with a saved state
// (Options.State). The zero Selection runs every step; a step left out is
// Skipped, "not selected".
type Selection struct {
	// Keep, when not nil, says for each step of the collection (by index
	// in Collection.Steps) whether it may run; Steps, From and Reuse
	// choose among the steps kept.
	Keep []bool
	// Steps names the steps to run, in file order whatever the order here;
	// empty means every step from From on.
	Steps []string
	// From runs the named step and every step after it.
	From string
	// WithDeps also runs, before the chosen steps, the steps that capture
	// a name the chosen steps read and the scope lacks, and theirs in turn
	// (found by reading which step captures which name), and nothing else.
	WithDeps bool
	// Reuse, when Steps and From are empty, skips the producer steps (a
	// later step reads one of their captures) whose every capture the scope
	// already holds (from Options.State), as Skipped with SkipReused: a
	// rerun under --watch does not log in again.
	Reuse bool
}

// IsZero reports whether the selection runs every step.
func (sel Selection) IsZero() bool {
	return sel.Keep == nil && len(sel.Steps) == 0 && sel.From == "" && !sel.Reuse
}

// keeps reports whether Keep lets step i run.
func (sel Selection) keeps(i int) bool {
	return sel.Keep == nil || i < len(sel.Keep) && sel.Keep[i]
}

// MissingCapture is a name a chosen step reads that only an earlier,
// unchosen step captures.
type MissingCapture struct {
	// Name is the variable, Step the chosen step reading it and Producer the
	// step that captures it.
	Name     string
	Step     string
	Producer string
}

// MissingCaptureError is the Result.Err of a selective run whose chosen
// steps read names that neither the state nor the chosen steps provide. It
// says which step produces each.
type MissingCaptureError struct {
	Missing []MissingCapture
}

// Error names each missing capture and its producer.
func (e *MissingCaptureError) Error() string {
	parts := make([]string, len(e.Missing))
	for i, m := range e.Missing {
		parts[i] = fmt.Sprintf("step %q uses %q, which step %q captures and the state does not hold", m.Step, m.Name, m.Producer)
	}
	return strings.Join(parts, "; ") + " (run with --with-deps, or run that step first with --state)"
}

// UnknownStepError is the Result.Err of a selection naming a step the
// collection does not have.
type UnknownStepError struct {
	Name       string
	Suggestion string
}

// Error names the step and suggests the nearest.
func (e *UnknownStepError) Error() string {
	msg := fmt.Sprintf("no step named %q", e.Name)
	if e.Suggestion != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", e.Suggestion)
	}
	return msg
}

// Select returns which steps of c a run with sel sends, given the names the
// scope already holds (have). It returns a *MissingCaptureError when a chosen
// step reads a name only an unchosen earlier step captures (unless
// sel.WithDeps, which adds that step, kept or not), and an
// *UnknownStepError for a name that is no step of c.
func Select(c *collections.Collection, sel Selection, have func(name string) bool) ([]bool, error) {
	chosen := make([]bool, len(c.Steps))
	if sel.IsZero() {
		for i := range chosen {
			chosen[i] = true
		}
		return chosen, nil
	}
	if len(sel.Steps) == 0 && sel.From == "" {
		for i, s := range c.Steps {
			chosen[i] = sel.keeps(i) && !(sel.Reuse && reusable(c, sel, i, s, have))
		}
	} else {
		named, err := namedSteps(c, sel)
		if err != nil {
			return nil, err
		}
		for i := range chosen {
			chosen[i] = named[i] && sel.keeps(i)
		}
	}
	for {
		missing := missingCaptures(c, chosen, have)
		if len(missing) == 0 {
			return chosen, nil
		}
		if !sel.WithDeps {
			ms := make([]MissingCapture, len(missing))
			for i, m := range missing {
				ms[i] = MissingCapture{Name: m.name, Step: c.Steps[m.step].Name, Producer: c.Steps[m.producer].Name}
			}
			return nil, &MissingCaptureError{Missing: ms}
		}
		for _, m := range missing {
			chosen[m.producer] = true
		}
	}
}

// namedSteps marks the steps sel.Steps and sel.From name.
func namedSteps(c *collections.Collection, sel Selection) ([]bool, error) {
	var stepNames []string
	for _, s := range c.Steps {
		stepNames = append(stepNames, s.Name)
	}
	find := func(name string) (int, error) {
		for i, s := range c.Steps {
			if s.Name == name {
				return i, nil
			}
		}
		return -1, &UnknownStepError{Name: name, Suggestion: collections.Suggest(name, stepNames)}
	}
	named := make([]bool, len(c.Steps))
	if sel.From != "" {
		i, err := find(sel.From)
		if err != nil {
			return nil, err
		}
		for ; i < len(named); i++ {
			named[i] = true
		}
	}
	for _, name := range sel.Steps {
		i, err := find(name)
		if err != nil {
			return nil, err
		}
		named[i] = true
	}
	return named, nil
}

// reusable reports whether a rerun may skip step i: it is a producer (a
// later step that sel keeps reads one of its captures, as the calls after
// a login read its token) and every name it captures is already held.
// Steps whose captures nothing reads, and steps that capture nothing,
// always run again.
func reusable(c *collections.Collection, sel Selection, i int, s *collections.Step, have func(string) bool) bool {
	names := captureNames(s)
	if len(names) == 0 || slices.ContainsFunc(names, func(n string) bool { return !have(n) }) {
		return false
	}
	for j := i + 1; j < len(c.Steps); j++ {
		later := c.Steps[j]
		if !sel.keeps(j) {
			continue
		}
		read := false
		later.Exprs(func(e *collections.Expr) {
			read = read || slices.ContainsFunc(e.Names, func(n string) bool { return slices.Contains(names, n) })
		})
		if read {
			return true
		}
	}
	return false
}

// missing is one name a chosen step reads that no one provides, by index.
type missing struct {
	name           string
	step, producer int
}

// missingCaptures walks the chosen steps in order and lists each name one
// of them reads that is neither in the scope (have) nor captured by an
// earlier chosen step, but is captured by an earlier unchosen one: the
// nearest such step is its producer.
func missingCaptures(c *collections.Collection, chosen []bool, have func(string) bool) []missing {
	var out []missing
	provided := map[string]bool{}
	seen := map[string]bool{}
	for i, s := range c.Steps {
		if chosen[i] {
			s.Exprs(func(e *collections.Expr) {
				for _, name := range e.Names {
					if provided[name] || have(name) || seen[name] {
						continue
					}
					if p := producer(c, i, name); p >= 0 {
						seen[name] = true
						out = append(out, missing{name: name, step: i, producer: p})
					}
				}
			})
			for _, n := range captureNames(s) {
				provided[n] = true
			}
		}
	}
	return out
}

// producer returns the index of the last step before step i that captures
// name, or -1.
func producer(c *collections.Collection, i int, name string) int {
	for j := i - 1; j >= 0; j-- {
		if slices.Contains(captureNames(c.Steps[j]), name) {
			return j
		}
	}
	return -1
}

// captureNames lists the names step s captures: its own captures and, for
// an include: step, those of the included collection's steps.
func captureNames(s *collections.Step) []string {
	var out []string
	for _, cp := range s.Captures {
		out = append(out, cp.Name)
	}
	if s.Include() != nil && s.Include().Collection != nil {
		for _, is := range s.Include().Collection.Steps {
			out = append(out, captureNames(is)...)
		}
	}
	return out
}

// choose restores the saved captures and decides which steps run.
func (rn *run) choose() error {
	rn.restoreCaptures()
	if rn.opts.Select.IsZero() {
		return nil
	}
	chosen, err := Select(rn.coll, rn.opts.Select, rn.scope.Has)
	if err != nil {
		return err
	}
	rn.chosen = chosen
	return nil
}

// runs reports whether step i is to run.
func (rn *run) runs(i int) bool { return rn.chosen == nil || rn.chosen[i] }

// unselected marks sr, step i, which the selection leaves out, as Skipped
// with the reason.
func (rn *run) unselected(i int, sr *StepResult) {
	sr.Outcome = Skipped
	sr.SkipReason = "not selected"
	if rn.opts.Select.Reuse && rn.opts.Select.keeps(i) {
		sr.SkipReason = SkipReused
	}
}

// SkipReused is the SkipReason of a step that Selection.Reuse skips.
const SkipReused = "its captures are kept from the previous run"
