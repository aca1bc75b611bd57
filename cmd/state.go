package cmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/runner"
)

// The developer's replay loop (see docs/replay.md): `run` flags that save
// and restore state between runs, run some steps only, record exchanges and
// rerun on changes. These options live here so that run.go only hooks them
// in.

// stateDir is the folder, beside a collection, where callsheet keeps its
// state and recorded runs.
const stateDir = ".callsheet"

// stateFileName is the default state file inside stateDir.
const stateFileName = "state.json"

// loopOptions are the replay-loop flags of `callsheet run`.
type loopOptions struct {
	state        optionalPath
	stateSecrets bool
	steps        cli.StringSlice
	withDeps     bool
	from         string
	record       bool
	watch        bool

	// memory carries each collection's state between reruns of --watch,
	// by state key.
	memory map[string]*runner.State
	// previous is each collection's last result under --watch, by state
	// key, to show what changed.
	previous map[string]*runner.Result
	// failed is set when the last run had a failure or error; a rerun
	// then runs every step again.
	failed bool
	// watched are the files the last run read (collections, env and data
	// files), for --watch.
	watched []string
}

// flags declares the replay-loop flags.
func (o *loopOptions) flags() []cli.Flag {
	return []cli.Flag{
		&optionalFlag{&cli.GenericFlag{Name: "state", Usage: "load the variables and captures an earlier run saved and save this run's; `--state` alone uses .callsheet/state.json beside the (first) collection; --state FILE.json or --state=FILE another file", Value: &o.state}},
		&cli.BoolFlag{Name: "state-secrets", Usage: "also save secret values (tokens) in the --state file (mode 0600); without it they are recomputed", Destination: &o.stateSecrets},
		&cli.StringSliceFlag{Name: "step", Usage: "run only the step `NAME` (repeatable), with the saved state", Destination: &o.steps, KeepSpace: true},
		&cli.BoolFlag{Name: "with-deps", Usage: "with --step or --from, first run the steps that capture what the chosen steps need and the state lacks", Destination: &o.withDeps},
		&cli.StringFlag{Name: "from", Usage: "run from the step `NAME` to the end, with the saved state", Destination: &o.from},
		&cli.BoolFlag{Name: "record", Usage: "keep this run's exchanges (masked) in .callsheet/runs/ beside the collection, for `callsheet replay`", Destination: &o.record},
		&cli.BoolFlag{Name: "watch", Usage: "rerun whenever a collection, env file or data file changes, keeping the state between reruns; Ctrl-C stops", Destination: &o.watch},
	}
}

// check reports flag combinations that make no sense.
func (o *loopOptions) check() error {
	if o.withDeps && len(o.steps.Value()) == 0 && o.from == "" {
		return &usageError{err: errors.New("--with-deps needs --step or --from"), command: "run"}
	}
	if o.stateSecrets && !o.state.set {
		return &usageError{err: errors.New("--state-secrets needs --state"), command: "run"}
	}
	return nil
}

// selection is the runner's step selection.
func (o *loopOptions) selection() runner.Selection {
	return runner.Selection{Steps: o.steps.Value(), From: o.from, WithDeps: o.withDeps}
}

// optionalPath is the value of a flag that may be given alone (--state) or
// with a value (--state=FILE), like a boolean flag of the flag package.
type optionalPath struct {
	set  bool
	path string
}

// Set records the flag; "true" is what the flag package passes for the
// flag given alone.
func (p *optionalPath) Set(v string) error {
	p.set = true
	if v != "true" {
		p.path = v
	}
	return nil
}

// String returns the path.
func (p *optionalPath) String() string { return p.path }

// IsBoolFlag makes the flag package accept --state without a value.
func (p *optionalPath) IsBoolFlag() bool { return true }

// optionalFlag is a GenericFlag that does not take the next argument as its
// value (so `run --state FILE.yaml` keeps FILE.yaml a path).
type optionalFlag struct{ *cli.GenericFlag }

// TakesValue reports false: the value comes after "=", or is the next
// argument when that names a .json file (see acceptsValue).
func (f *optionalFlag) TakesValue() bool { return false }

// acceptsValue takes `--state FILE.json` as --state=FILE.json: a state file
// is JSON, while a collection is YAML, a folder or a bundled name.
func (f *optionalFlag) acceptsValue(next string) bool {
	return strings.HasSuffix(strings.ToLower(next), ".json")
}

// stateFile is the JSON saved by --state: one runner.State per collection.
type stateFile struct {
	Version int `json:"version"`
	// Collections maps a collection's key (its absolute path) to its state.
	Collections map[string]*runner.State `json:"collections"`
}

// statePath is the state file for collections cols: the --state value, or
// .callsheet/state.json beside the first collection (or in the current
// folder for a bundled one).
func (o *loopOptions) statePath(cols []*collections.Collection) string {
	first := ""
	if len(cols) > 0 {
		first = cols[0].File
	}
	return o.statePathFor(first)
}

// statePathFor is the state file when the first collection is the file
// first ("" or a bundled name: the current folder).
func (o *loopOptions) statePathFor(first string) string {
	if o.state.path != "" {
		return o.state.path
	}
	return filepath.Join(folderOf(first), stateDir, stateFileName)
}

// folderOf is the folder that holds the state of the collection file: its
// own, or the current folder for "" or a bundled collection.
func folderOf(file string) string {
	if _, err := os.Stat(file); file != "" && err == nil {
		return filepath.Dir(file)
	}
	return "."
}

// savedVarNames lists the variables that the saved state of the
// collections at paths holds (the state file under --state, the memory of
// the previous run under --watch). Loading counts them as defined, since a
// run restores them: a --var of an earlier run fills in a name that nothing
// defines now.
func (o *loopOptions) savedVarNames(paths []string) ([]string, error) {
	if !o.state.set && len(o.memory) == 0 {
		return nil, nil
	}
	var keys []string
	for _, p := range paths {
		files, bundled, err := expandPath(p)
		if err != nil {
			continue // loading reports it
		}
		for _, f := range files {
			key := f // a bundled collection's File is its name with .yaml
			if abs, err := filepath.Abs(f); err == nil && !bundled {
				key = abs
			} else if bundled && !strings.HasSuffix(key, ".yaml") {
				key += ".yaml"
			}
			keys = append(keys, key)
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	states := map[string]*runner.State{}
	if o.state.set {
		sf, err := readState(o.statePathFor(keys[0]))
		if err != nil {
			return nil, err
		}
		states = sf.Collections
	}
	var names []string
	for _, key := range keys {
		st := o.memory[key]
		if st == nil {
			st = states[key]
		}
		if st == nil {
			continue
		}
		for name := range st.Vars {
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	slices.Sort(names)
	return names, nil
}

// stateKey identifies a collection in a state file: its absolute path, or
// its name as given for a bundled collection.
func stateKey(c *collections.Collection) string {
	if _, err := os.Stat(c.File); err == nil {
		if abs, err := filepath.Abs(c.File); err == nil {
			return abs
		}
	}
	return c.File
}

// readState reads a state file; a missing file is an empty state.
func readState(path string) (*stateFile, error) {
	sf := &stateFile{Version: 1, Collections: map[string]*runner.State{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return sf, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read state: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // keep integers exact
	if err := dec.Decode(sf); err != nil {
		return nil, fmt.Errorf("read state %s: %w", path, err)
	}
	if sf.Collections == nil {
		sf.Collections = map[string]*runner.State{}
	}
	for _, st := range sf.Collections {
		for _, m := range []map[string]any{st.Vars, st.Captures} {
			// Numbers as captures have them: exact, a big id stays a *big.Int.
			if _, err := collections.NormalizeNumbers(m); err != nil {
				return nil, fmt.Errorf("read state %s: %w", path, err)
			}
		}
	}
	return sf, nil
}

// session is the replay loop's part of one `callsheet run`: the state read
// at the start and what to save at the end.
type session struct {
	opts *loopOptions
	path string // the state file; "" without --state
	file *stateFile
	// reuse is set when the previous run under --watch passed.
	reuse bool
}

// startSession reads the state file when --state is given.
func (o *loopOptions) startSession(cols []*collections.Collection) (*session, error) {
	s := &session{opts: o, reuse: !o.failed}
	o.failed = false
	if err := o.check(); err != nil {
		return nil, err
	}
	if o.state.set {
		s.path = o.statePath(cols)
		sf, err := readState(s.path)
		if err != nil {
			return nil, err
		}
		s.file = sf
	}
	o.watched = o.watched[:0]
	if err := checkStepNames(cols, append(o.steps.Value(), o.from)); err != nil {
		return nil, err
	}
	return s, nil
}

// options adds the saved states, the selection and recording to the run
// options of cols.
func (s *session) options(cols []*collections.Collection, o runner.Options) runner.Options {
	o.States = map[string]*runner.State{}
	for _, c := range cols {
		key := stateKey(c)
		if st := s.opts.memory[key]; st != nil {
			o.States[c.File] = st
		} else if s.file != nil && s.file.Collections[key] != nil {
			o.States[c.File] = s.file.Collections[key]
		}
		s.opts.watched = append(s.opts.watched, filesOf(c)...)
	}
	o.Select = s.opts.selection()
	// A rerun under --watch reuses the captures it holds (no new login),
	// unless the last run failed.
	o.Select.Reuse = s.opts.watch && len(s.opts.memory) > 0 && s.reuse && o.Select.IsZero()
	o.Record = s.opts.record
	return o
}

// finish saves the state of c's run and records its exchanges.
func (s *session) finish(sys *system, st style, c *collections.Collection, res *runner.Result) error {
	key := stateKey(c)
	if resultCode(res) != ExitOK {
		s.opts.failed = true
	}
	// A run that stopped before its first step (a variable that did not
	// evaluate) keeps the saved state as it was.
	started := res.Err == nil || slices.ContainsFunc(res.Steps, func(sr *runner.StepResult) bool { return sr.Outcome != runner.NotRun })
	if s.opts.watch && res.State != nil && started {
		if s.opts.memory == nil {
			s.opts.memory = map[string]*runner.State{}
		}
		s.opts.memory[key] = res.State
	}
	if s.file != nil && res.State != nil && started {
		saved := res.State
		if !s.opts.stateSecrets {
			saved = saved.WithoutSecrets()
		}
		s.file.Collections[key] = saved
		if err := writeJSON(s.path, s.file); err != nil {
			return err
		}
	}
	if s.opts.record {
		dir, err := recordRun(c, res, "run")
		if err != nil {
			return err
		}
		fmt.Fprintf(sys.stdout, "%s %s\n", st.dim("recorded:"), safetext.Line(dir))
	}
	return nil
}

// filesOf lists the files a run of c reads: the collection, the files it
// includes and the data files of multipart parts whose path is fixed.
func filesOf(c *collections.Collection) []string {
	var out []string
	if _, err := os.Stat(c.File); err != nil {
		return nil // bundled
	}
	out = append(out, c.File)
	for _, s := range c.Steps {
		if s.Flow.Include != nil && s.Flow.Include.Collection != nil {
			out = append(out, filesOf(s.Flow.Include.Collection)...)
		}
		if s.Request == nil || s.Request.Body == nil {
			continue
		}
		for _, f := range s.Request.Body.Files {
			if f.Path == nil || !f.Path.IsLiteral() {
				continue
			}
			p, err := f.Path.Render(collections.NewScope(nil))
			if err != nil {
				continue
			}
			if !filepath.IsAbs(p) {
				p = filepath.Join(filepath.Dir(c.File), p)
			}
			out = append(out, p)
		}
	}
	return out
}

// checkStepNames reports a --step or --from name that no collection has,
// with the nearest name.
func checkStepNames(cols []*collections.Collection, names []string) error {
	var all []string
	for _, c := range cols {
		for _, s := range c.Steps {
			all = append(all, s.Name)
		}
	}
	for _, n := range names {
		if n == "" || slices.Contains(all, n) {
			continue
		}
		ue := &usageError{err: fmt.Errorf("no step named %q", n), command: "run"}
		if s := collections.Suggest(n, all); s != "" {
			ue.hint = fmt.Sprintf("did you mean %q?", s)
		}
		return ue
	}
	return nil
}

// ignoreStateDir adds the .callsheet/ folder (saved state, which may hold
// tokens, and recorded runs) to the existing .gitignore at path, unless a
// line already ignores it.
func ignoreStateDir(sys *system, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		switch strings.TrimSpace(line) {
		case stateDir, stateDir + "/", "/" + stateDir, "/" + stateDir + "/":
			return nil
		}
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	text := "# callsheet: saved state (may hold tokens) and recorded runs\n" + stateDir + "/\n"
	if len(data) > 0 && !bytes.HasSuffix(data, []byte("\n")) {
		text = "\n" + text
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return fmt.Errorf("init: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	fmt.Fprintf(sys.stderr, "added %s/ to %s\n", stateDir, safetext.Line(path))
	return nil
}
