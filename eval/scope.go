package eval

import (
	"iter"
	"sort"
)

// EnvName is the reserved variable through which templates read the
// operating-system environment: {{ env.HOME }}.
const EnvName = "env"

// Scope holds the variables visible to expressions during one run:
// collection vars, values given on the command line and captures, and the
// functions that read the run's clock, random source and folder. It is not safe for
// concurrent use; each run owns its own Scope.
type Scope struct {
	// vars is also the environment handed to expr; its "env" entry holds the
	// environment variables looked up so far (env, made at the first).
	vars      map[string]any
	env       map[string]any
	lookupEnv func(string) (string, bool)
	// observe, when set, sees every expression evaluated and its value.
	observe func(*Program, any)
	// rt is what the run-dependent functions read; bound says they are
	// in vars (env).
	rt    Runtime
	bound bool
}

// Observe makes fn see every expression evaluated against the scope, with
// its value, until restore is called: the runner notes the values computed
// from secrets while it renders a request.
func (s *Scope) Observe(fn func(p *Program, value any)) (restore func()) {
	prev := s.observe
	s.observe = fn
	return func() { s.observe = prev }
}

// NewScope returns an empty scope that reads env.NAME through lookupEnv
// (os.LookupEnv in the CLI; a map in tests). A nil lookupEnv sees no
// environment variables.
func NewScope(lookupEnv func(string) (string, bool)) *Scope {
	if lookupEnv == nil {
		lookupEnv = func(string) (string, bool) { return "", false }
	}
	return &Scope{vars: map[string]any{}, lookupEnv: lookupEnv}
}

// Set defines or replaces a variable. The value should be one of the types
// Value.Render returns.
func (s *Scope) Set(name string, value any) { s.vars[name] = value }

// Get returns a variable's value.
func (s *Scope) Get(name string) (any, bool) {
	if name == EnvName || runtimeFuncs[name] != nil {
		return nil, false
	}
	v, ok := s.vars[name]
	return v, ok
}

// Has reports whether a variable is defined.
func (s *Scope) Has(name string) bool {
	_, ok := s.Get(name)
	return ok
}

// Names returns the defined variable names, sorted.
func (s *Scope) Names() []string {
	names := make([]string, 0, len(s.vars))
	for n := range s.vars {
		if n != EnvName && runtimeFuncs[n] == nil {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// LookupEnv returns an environment variable, remembering it in the env
// map that expressions read as env.NAME.
func (s *Scope) LookupEnv(name string) (string, bool) {
	if v, ok := s.env[name]; ok {
		str, _ := v.(string)
		return str, true
	}
	v, ok := s.lookupEnv(name)
	if ok {
		s.envVars()[name] = v
	}
	return v, ok
}

// envVars returns the environment variables looked up so far, as
// expressions read them (env.NAME).
func (s *Scope) envVars() map[string]any {
	if s.env == nil {
		s.env = map[string]any{}
		s.vars[EnvName] = s.env
	}
	return s.env
}

// All returns the defined variables and their values, in no order.
func (s *Scope) All() iter.Seq2[string, any] {
	return func(yield func(string, any) bool) {
		for n, v := range s.vars {
			if n != EnvName && runtimeFuncs[n] == nil && !yield(n, v) {
				return
			}
		}
	}
}
