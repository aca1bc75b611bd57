package session

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/runner"
)

// Options say what a session runs and how: the options of `callsheet run`
// that are not about the terminal.
type Options struct {
	// Paths name collection files, folders of them and bundled
	// collections (ExpandPath).
	Paths []string
	// Vars are the variables given outside the collections; LayerEnv and
	// LayerRow are the session's to set, per unit.
	Vars Vars
	// Env names env/NAME.yaml or env/NAME.env beside each collection
	// (--env).
	Env string
	// Data is a .csv or .json file of rows: each collection runs once
	// per row (--data).
	Data string
	// Iterations runs each collection that many times.
	Iterations int
	// Rerun, when not nil, runs only the collection files it holds
	// (--rerun-failed, NotPassed).
	Rerun map[string]bool
	// Shard runs one share of the collection files.
	Shard Shard
	// Select picks the collections and steps that run.
	Select Selection
	// Jobs runs up to that many units at once; 0 means the number of
	// CPUs, or 1 when Runner.Interactive (so prompts never interleave).
	Jobs int
	// Bail stops everything at the first unit that does not pass:
	// nothing more starts, and the units running are cancelled (their
	// finally: steps still run).
	Bail bool
	// MaxTime bounds the whole session; 0 means no bound.
	MaxTime time.Duration
	// State restores and saves variables and captures (--state).
	State StateOptions
	// Watch, under --watch, carries what one session keeps for the next.
	Watch *Watch
	// Runner are the options of every run; the session sets the
	// variables, state, selection, what results keep and the callbacks.
	Runner runner.Options
}

// Session is one `callsheet run`: New reads its inputs, Load loads and
// validates every collection, Plan makes the units, Run runs them.
type Session struct {
	opts  Options
	rows  []map[string]any
	env   *envFiles
	state *stateSaver
	// reuse is set when the previous session under --watch passed: a
	// rerun skips the steps whose captures it kept.
	reuse bool
	cols  []*collections.Collection
	// flows are the workflows of the collections made from Arazzo
	// documents.
	flows map[*collections.Collection]*flow
	units []*Unit
	// stateKeys are the StateKey of each collection planned.
	stateKeys map[*collections.Collection]string
}

// New checks opts and reads the session's inputs: the --data rows, the
// --env files beside the collections and the state file.
func New(opts Options) (*Session, error) {
	if opts.Select.WithDeps && len(opts.Select.Steps) == 0 && opts.Select.From == "" && !opts.Select.filters() {
		return nil, inputError(errors.New("--with-deps needs --step, --from, --only, --skip or --tag"))
	}
	if opts.State.Secrets && !opts.State.On {
		return nil, inputError(errors.New("--state-secrets needs --state"))
	}
	s := &Session{opts: opts}
	var err error
	if opts.Data != "" {
		if s.rows, err = ReadData(opts.Data); err != nil {
			return nil, err
		}
	}
	if opts.Env != "" {
		s.env = &envFiles{name: opts.Env}
		for _, p := range opts.Paths {
			if _, err := s.env.vars(pathDir(p)); err != nil {
				return nil, err
			}
		}
	}
	if opts.State.On {
		if s.state, err = openState(opts.State, firstFile(opts.Paths)); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// pathDir is the folder of the collections PATH p names.
func pathDir(p string) string {
	if info, err := os.Stat(p); err == nil && info.IsDir() {
		return p
	}
	return filepath.Dir(p)
}

// firstFile is the first collection file paths name, "" when none.
func firstFile(paths []string) string {
	for _, p := range paths {
		if files, _, err := ExpandPath(p); err == nil {
			return files[0]
		}
	}
	return ""
}

// Defined lists the variables defined outside the collections, for the
// loader: the layers, the --data columns, the --env variables and those a
// saved state restores.
func (s *Session) Defined() []string {
	names := s.opts.Vars.Names()
	for _, r := range s.rows {
		names = append(names, slices.Collect(maps.Keys(r))...)
	}
	if s.env != nil {
		for _, vars := range s.env.byDir {
			names = append(names, slices.Collect(maps.Keys(vars))...)
		}
	}
	return append(names, s.savedNames()...)
}

// savedNames lists the variables the saved states of the collections of
// the paths hold: a --var of an earlier run fills in a name nothing
// defines now.
func (s *Session) savedNames() []string {
	var names []string
	for _, p := range s.opts.Paths {
		files, bundled, err := ExpandPath(p)
		if err != nil {
			continue // Load reports it
		}
		for _, f := range files {
			if st := s.saved(fileKey(f, bundled)); st != nil {
				names = append(names, slices.Collect(maps.Keys(st.Vars))...)
			}
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// saved is the state a run of the collection with key starts from: the
// previous run's under --watch, else the state file's.
func (s *Session) saved(key string) *runner.State {
	if w := s.opts.Watch; w != nil && w.memory[key] != nil {
		return w.memory[key]
	}
	if s.state != nil {
		return s.state.file.Collections[key]
	}
	return nil
}

// Load loads and validates every collection, and returns the errors of
// those that did not load (see Load).
func (s *Session) Load() []error {
	cols, flows, errs := load(s.opts.Paths, s.Defined(), &arazzoLoad{vars: s.opts.Vars.Merge(), fetch: newFetcher()})
	s.cols, s.flows = cols, flows
	return errs
}

// Collections are the collections Load loaded.
func (s *Session) Collections() []*collections.Collection { return s.cols }

// SetVars makes vars the variables of layer l, such as the sandbox's once
// it serves.
func (s *Session) SetVars(l Layer, vars map[string]any) { s.opts.Vars.Set(l, vars) }

// Units are the units Plan made, in order.
func (s *Session) Units() []*Unit { return s.units }

// Workers is how many units run at once.
func (s *Session) Workers() int {
	jobs := s.opts.Jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
		if s.opts.Runner.Interactive {
			jobs = 1 // one prompt at a time
		}
	}
	return min(jobs, max(len(s.units), 1))
}

// runOptions are the runner's options of unit u.
func (s *Session) runOptions(u *Unit, needs runner.Needs) runner.Options {
	o := s.opts.Runner
	o.Vars = s.UnitVars(u)
	o.State, o.States = s.saved(s.stateKeys[u.Collection]), nil
	w := s.opts.Watch
	o.Select = s.opts.Select.runner(u.keep, w != nil && len(w.memory) > 0 && s.reuse)
	o.Need(needs)
	return o
}

// UnitVars are the variables given outside the collection to a run of
// unit u: every layer, with u's --env file and --data row, merged.
func (s *Session) UnitVars(u *Unit) map[string]any {
	vars := s.opts.Vars
	vars.Set(LayerEnv, u.env)
	vars.Set(LayerRow, u.row)
	return vars.Merge()
}
