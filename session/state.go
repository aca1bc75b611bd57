package session

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/internal/atomicfile"
	"github.com/callsheet/callsheet/runner"
)

// StateDir is the folder, beside a collection, where callsheet keeps its
// saved state and recorded runs.
const StateDir = ".callsheet"

// stateFileName is the default state file inside StateDir.
const stateFileName = "state.json"

// StateOptions say whether a session restores and saves state (--state).
type StateOptions struct {
	// On loads the variables and captures an earlier run saved and saves
	// this run's.
	On bool
	// Path is the state file; "" is .callsheet/state.json beside the
	// first collection (in the current folder for a bundled one).
	Path string
	// Secrets also saves secret values; without it they are left out and
	// recomputed.
	Secrets bool
}

// StateFile is the JSON a session saves: one runner.State per collection.
type StateFile struct {
	Version int `json:"version"`
	// Collections maps a collection's key (StateKey) to its state.
	Collections map[string]*runner.State `json:"collections"`
}

// ReadState reads a state file; a missing file is an empty state. Numbers
// come back as captures have them: exact, a big id stays a *big.Int.
func ReadState(path string) (*StateFile, error) {
	sf := &StateFile{Version: 1, Collections: map[string]*runner.State{}}
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
			if _, err := eval.NormalizeNumbers(m); err != nil {
				return nil, fmt.Errorf("read state %s: %w", path, err)
			}
		}
	}
	return sf, nil
}

// StateKey identifies a collection in a state file and a recorded run: its
// absolute path, or its name as given for a bundled collection; for a
// workflow of an Arazzo document, that of the document, # and the
// workflowId.
func StateKey(c *collections.Collection) string {
	key := c.File
	if _, err := os.Stat(c.File); err == nil {
		if abs, err := filepath.Abs(c.File); err == nil {
			key = abs
		}
	}
	if IsArazzo(c.File) {
		key += "#" + c.Name
	}
	return key
}

// fileKey is StateKey of the collection a file of ExpandPath loads.
func fileKey(file string, bundled bool) string {
	if bundled {
		if filepath.Ext(file) != ".yaml" {
			return file + ".yaml" // a bundled collection's File
		}
		return file
	}
	if abs, err := filepath.Abs(file); err == nil {
		return abs
	}
	return file
}

// FolderOf is the folder that holds the state and recorded runs of the
// collection file: its own, or the current folder for "" or a bundled
// collection.
func FolderOf(file string) string {
	if _, err := os.Stat(file); file != "" && err == nil {
		return filepath.Dir(file)
	}
	return "."
}

// statePath is the state file of o when the first collection is first.
func (o StateOptions) statePath(first string) string {
	if o.Path != "" {
		return o.Path
	}
	return filepath.Join(FolderOf(first), StateDir, stateFileName)
}

// stateSaver is the state file of a session under --state: what it
// restores, and a Consumer that saves each collection's state as its
// result comes.
type stateSaver struct {
	path    string
	file    *StateFile
	secrets bool
	err     error
}

// openState reads the state file of o for a session whose first
// collection is first.
func openState(o StateOptions, first string) (*stateSaver, error) {
	s := &stateSaver{path: o.statePath(first), secrets: o.Secrets}
	sf, err := ReadState(s.path)
	if err != nil {
		return nil, err
	}
	s.file = sf
	return s, nil
}

// Needs is the state of each result; the saver reads no step.
func (s *stateSaver) Needs() runner.Needs { return runner.Needs{State: true} }

// Start returns the saver's part of u: it saves u's state.
func (s *stateSaver) Start(u *Unit) Run {
	return ResultFunc(func(res *runner.Result) { s.save(u.Collection, res) })
}

// save keeps the state of res and writes the file. A run that stopped
// before its first step (a variable that did not evaluate) keeps the saved
// state as it was.
func (s *stateSaver) save(c *collections.Collection, res *runner.Result) {
	if s.err != nil || res.State == nil || !started(res) {
		return
	}
	saved := res.State
	if !s.secrets {
		saved = saved.WithoutSecrets()
	}
	s.file.Collections[StateKey(c)] = saved
	s.err = writeJSON(s.path, s.file)
}

// End returns the first error writing the file.
func (s *stateSaver) End() error { return s.err }

// started reports whether a run got as far as its steps.
func started(res *runner.Result) bool {
	return res.Err == nil || slices.ContainsFunc(res.Steps, func(sr *runner.StepResult) bool { return sr.Outcome != runner.NotRun })
}

// writeJSON writes v as indented JSON to path (0600) atomically: through
// a temporary file renamed over it, so a reader never sees half a file. It
// creates the folder (0700).
func writeJSON(path string, v any) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return atomicfile.Write(path, 0o600, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			return fmt.Errorf("encode %s: %w", filepath.Base(path), err)
		}
		return nil
	})
}

// IgnoreStateDir adds StateDir (saved state, which may hold tokens, and
// recorded runs) to the existing .gitignore file at path, unless a line
// already ignores it, and reports whether it added it.
func IgnoreStateDir(path string) (bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		switch strings.TrimSpace(line) {
		case StateDir, StateDir + "/", "/" + StateDir, "/" + StateDir + "/":
			return false, nil
		}
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return false, err
	}
	text := "# callsheet: saved state (may hold tokens) and recorded runs\n" + StateDir + "/\n"
	if len(data) > 0 && !bytes.HasSuffix(data, []byte("\n")) {
		text = "\n" + text
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return false, err
	}
	return true, f.Close()
}
