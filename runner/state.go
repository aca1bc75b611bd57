package runner

import (
	"maps"
	"slices"
)

// State is the scope a run ended with, split into the variables it started
// from and the values its steps captured, for the CLI's saved state
// (callsheet run --state). It is the one part of a Result that holds secret
// values in clear: reporters must never print it, and whoever saves it
// decides what to do with the names in Secret.
type State struct {
	// Vars are the collection's variables and the overrides (--var,
	// --env-file), as evaluated.
	Vars map[string]any `json:"vars,omitempty"`
	// Captures are the values captured by steps, including those restored
	// from an earlier state and not captured again.
	Captures map[string]any `json:"captures,omitempty"`
	// Secret names the variables and captures whose values are secret.
	Secret map[string]bool `json:"secret,omitempty"`
}

// SecretNames returns the names of State's secret values, sorted.
func (s *State) SecretNames() []string {
	if s == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(s.Secret))
}

// WithoutSecrets returns a copy of s whose secret values are left out (the
// names stay in Secret, so a loader knows they must be recomputed).
func (s *State) WithoutSecrets() *State {
	out := &State{Vars: map[string]any{}, Captures: map[string]any{}, Secret: maps.Clone(s.Secret)}
	for n, v := range s.Vars {
		if !s.Secret[n] {
			out.Vars[n] = v
		}
	}
	for n, v := range s.Captures {
		if !s.Secret[n] {
			out.Captures[n] = v
		}
	}
	return out
}

// restoreVars sets the saved variables at the lowest level, under the
// collection's vars and the overrides: a saved variable is used only when
// nothing else defines it now (a --var of an earlier run).
func (rn *run) restoreVars() {
	st := rn.saved()
	if st == nil {
		return
	}
	for name, v := range st.Vars {
		rn.scope.Set(name, normalizeInt(v))
	}
}

// restoreCaptures sets the saved captures, as if the steps that captured
// them had just run, and registers the secret ones with the masker.
func (rn *run) restoreCaptures() {
	st := rn.saved()
	if st == nil {
		return
	}
	for name, v := range st.Captures {
		v = normalizeInt(v)
		rn.scope.Set(name, v)
		if st.Secret[name] || rn.secretNames[name] {
			rn.secretNames[name] = true
			addSecret(rn.mask, rn.rec != nil, name, v)
		}
	}
	for name := range st.Vars {
		if st.Secret[name] {
			rn.secretNames[name] = true
			if v, ok := rn.scope.Get(name); ok {
				addSecret(rn.mask, rn.rec != nil, name, v)
			}
		}
	}
}

// state returns the scope as it is now, split into vars and captures.
func (rn *run) state() *State {
	var captured map[string]bool
	for _, s := range rn.coll.Steps {
		for _, c := range s.Captures {
			if captured == nil {
				captured = map[string]bool{}
			}
			captured[c.Name] = true
		}
	}
	if saved := rn.saved(); saved != nil && len(saved.Captures) > 0 {
		if captured == nil {
			captured = map[string]bool{}
		}
		for n := range saved.Captures {
			captured[n] = true
		}
	}
	st := &State{Vars: map[string]any{}, Captures: map[string]any{}, Secret: map[string]bool{}}
	for name, v := range rn.scope.All() {
		if captured[name] {
			st.Captures[name] = v
		} else {
			st.Vars[name] = v
		}
		if rn.secretNames[name] {
			st.Secret[name] = true
		}
	}
	return st
}

// saved is the state the run starts from: Options.State, else the entry of
// Options.States for the collection's file.
func (rn *run) saved() *State {
	if rn.opts.State != nil {
		return rn.opts.State
	}
	return rn.opts.States[rn.coll.File]
}
