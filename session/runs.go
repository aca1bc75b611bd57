package session

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/lazyregexp"
	"github.com/callsheet/callsheet/runner"
)

// RunsDir is the folder of recorded runs inside StateDir.
const RunsDir = "runs"

// indexFile is a recorded run's index.
const indexFile = "index.json"

// RunIndex is the index.json of a recorded run.
type RunIndex struct {
	ID   string    `json:"id"`
	Time time.Time `json:"time"`
	// Kind is "run" or "replay".
	Kind string `json:"kind"`
	// Collection is the collection's name and File its path (absolute
	// when it is a file).
	Collection string `json:"collection"`
	File       string `json:"file"`
	// Passed is true when every step that ran passed.
	Passed bool `json:"passed"`
	// Replayed is the ID of the run a replay sent again.
	Replayed  string       `json:"replayed,omitempty"`
	Exchanges []IndexEntry `json:"exchanges"`
}

// IndexEntry is one exchange of a recorded run.
type IndexEntry struct {
	Step    string `json:"step"`
	Outcome string `json:"outcome,omitempty"`
	Status  int    `json:"status,omitempty"`
	// Action is send or receive for the message of an AsyncAPI step, ""
	// for a request.
	Action string `json:"action,omitempty"`
	// File is the exchange's file in the run's folder.
	File string `json:"file"`
}

// Recorder keeps each unit's exchanges and the messages of its AsyncAPI
// steps, in order (masked, secrets as placeholders), in a new folder of .callsheet/runs beside its collection, for `callsheet
// runs` and `callsheet replay` (--record). It is a Consumer.
type Recorder struct {
	dirs []string
	err  error
}

// Needs asks for every step and every exchange.
func (r *Recorder) Needs() runner.Needs {
	return runner.Needs{Steps: true, Passed: true, Recording: true}
}

// Start returns the recorder's part of u: it records u's result.
func (r *Recorder) Start(u *Unit) Run {
	return ResultFunc(func(res *runner.Result) {
		if r.err != nil {
			return
		}
		dir, err := Record(u.Collection, res, "run")
		if err != nil {
			r.err = err
			return
		}
		r.dirs = append(r.dirs, dir)
	})
}

// End returns the first error recording a run.
func (r *Recorder) End() error { return r.err }

// Dirs are the folders recorded, in plan order.
func (r *Recorder) Dirs() []string { return r.dirs }

// runsFolder is .callsheet/runs beside c (in the current folder for a
// bundled collection).
func runsFolder(c *collections.Collection) string {
	return filepath.Join(FolderOf(c.File), StateDir, RunsDir)
}

// Record writes the exchanges and messages of res, a run of c, in a new folder of the
// runs beside c, and returns the folder.
func Record(c *collections.Collection, res *runner.Result, kind string) (string, error) {
	outcomes := map[string]string{}
	passed := res.Err == nil
	for _, s := range res.Steps {
		outcomes[s.Name] = s.Outcome.String()
		if s.Outcome == runner.Failed || s.Outcome == runner.Errored {
			passed = false
		}
	}
	idx := &RunIndex{Time: res.Start.UTC(), Kind: kind, Collection: c.Name, File: StateKey(c), Passed: passed}
	return WriteRun(runsFolder(c), idx, res.Exchanges, outcomes)
}

// slugRE matches what a file name of an exchange keeps of a step name.
var slugRE = lazyregexp.New(`[^A-Za-z0-9_-]+`)

// WriteRun creates a run folder named after idx.Time in parent and writes
// the exchanges, with the outcomes of their steps, and the index (all
// 0600, the folders 0700). It sets idx.ID and idx.Exchanges.
func WriteRun(parent string, idx *RunIndex, exchanges []*runner.Exchange, outcomes map[string]string) (string, error) {
	dir, err := newRunDir(parent, idx)
	if err != nil {
		return "", err
	}
	for i, ex := range exchanges {
		name := fmt.Sprintf("%02d-%s.json", i+1, strings.Trim(slugRE.ReplaceAllString(strings.ToLower(ex.Step), "-"), "-"))
		e := IndexEntry{Step: ex.Step, Outcome: outcomes[ex.Step], File: name}
		if ex.Response != nil {
			e.Status = ex.Response.Status
		}
		if ex.Message != nil {
			e.Action = ex.Message.Action
		}
		idx.Exchanges = append(idx.Exchanges, e)
		if err := writeJSON(filepath.Join(dir, name), ex); err != nil {
			return "", err
		}
	}
	if err := writeJSON(filepath.Join(dir, indexFile), idx); err != nil {
		return "", err
	}
	return dir, nil
}

// newRunDir creates the folder of a new run in parent, named after
// idx.Time (with -2, -3… when taken), and sets idx.ID.
func newRunDir(parent string, idx *RunIndex) (string, error) {
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return "", fmt.Errorf("record run: %w", err)
	}
	base := idx.Time.Format("20060102T150405.000Z")
	for n := 1; ; n++ {
		idx.ID = base
		if n > 1 {
			idx.ID = fmt.Sprintf("%s-%d", base, n)
		}
		dir := filepath.Join(parent, idx.ID)
		err := os.Mkdir(dir, 0o700)
		if err == nil {
			return dir, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("record run: %w", err)
		}
	}
}

// ReadRun reads a recorded run's index and exchanges.
func ReadRun(dir string) (*RunIndex, []*runner.Exchange, error) {
	var idx RunIndex
	if err := readJSON(filepath.Join(dir, indexFile), &idx); err != nil {
		return nil, nil, err
	}
	exchanges := make([]*runner.Exchange, len(idx.Exchanges))
	for i, e := range idx.Exchanges {
		exchanges[i] = &runner.Exchange{}
		if err := readJSON(filepath.Join(dir, e.File), exchanges[i]); err != nil {
			return nil, nil, err
		}
	}
	return &idx, exchanges, nil
}

// readJSON decodes the JSON file of a recorded run at path into v.
func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read recorded run: %w", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("read recorded run %s: %w", path, err)
	}
	return nil
}

// RunsIn is the folder of the runs recorded beside the collections of
// folder.
func RunsIn(folder string) string { return filepath.Join(folder, StateDir, RunsDir) }

// ListRuns returns the indexes of the runs recorded in dir, newest first,
// at most limit of them (all when limit is 0). A folder that does not
// exist holds none: the error is then fs.ErrNotExist.
func ListRuns(dir string, limit int) ([]*RunIndex, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fs.ErrNotExist
	}
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	var runs []*RunIndex
	for _, e := range entries {
		var idx RunIndex
		if !e.IsDir() || readJSON(filepath.Join(dir, e.Name(), indexFile), &idx) != nil {
			continue
		}
		runs = append(runs, &idx)
	}
	slices.SortFunc(runs, func(a, b *RunIndex) int { return strings.Compare(b.ID, a.ID) })
	if limit > 0 && len(runs) > limit {
		runs = runs[:limit]
	}
	return runs, nil
}

// RunFolder resolves RUN: a folder with an index, or an ID in
// ./.callsheet/runs.
func RunFolder(run string) (string, error) {
	for _, dir := range []string{run, filepath.Join(StateDir, RunsDir, run)} {
		if _, err := os.Stat(filepath.Join(dir, indexFile)); err == nil {
			return dir, nil
		}
	}
	return "", &InputError{Err: fmt.Errorf("no recorded run %q (see `callsheet runs`)", run)}
}
