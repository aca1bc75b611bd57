package cmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/atomicfile"
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/runner"
)

// runsDir is the folder of recorded runs inside stateDir.
const runsDir = "runs"

// indexFile is a recorded run's index.
const indexFile = "index.json"

// runIndex is the index.json of a recorded run.
type runIndex struct {
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
	Exchanges []indexEntry `json:"exchanges"`
}

// indexEntry is one exchange of a recorded run.
type indexEntry struct {
	Step    string `json:"step"`
	Outcome string `json:"outcome,omitempty"`
	Status  int    `json:"status,omitempty"`
	// File is the exchange's file in the run's folder.
	File string `json:"file"`
}

// runsFolder is .callsheet/runs beside c (in the current folder for a
// bundled collection).
func runsFolder(c *collections.Collection) string {
	return filepath.Join(folderOf(c.File), stateDir, runsDir)
}

// recordRun writes the exchanges of res in a new folder of runsFolder(c)
// and returns the folder.
func recordRun(c *collections.Collection, res *runner.Result, kind string) (string, error) {
	outcomes := map[string]string{}
	passed := res.Err == nil
	for _, s := range res.Steps {
		outcomes[s.Name] = s.Outcome.String()
		if s.Outcome == runner.Failed || s.Outcome == runner.Errored {
			passed = false
		}
	}
	idx := &runIndex{Time: res.Start.UTC(), Kind: kind, Collection: c.Name, File: stateKey(c), Passed: passed}
	return writeRun(runsFolder(c), idx, res.Exchanges, outcomes)
}

// slugRE matches what a file name of an exchange keeps of a step name.
var slugRE = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// writeRun creates a run folder named after idx.Time in parent and writes
// the exchanges and the index (all 0600, the folders 0700).
func writeRun(parent string, idx *runIndex, exchanges []*runner.Exchange, outcomes map[string]string) (string, error) {
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return "", fmt.Errorf("record run: %w", err)
	}
	base := idx.Time.Format("20060102T150405.000Z")
	var dir string
	for n := 1; ; n++ {
		idx.ID = base
		if n > 1 {
			idx.ID = fmt.Sprintf("%s-%d", base, n)
		}
		dir = filepath.Join(parent, idx.ID)
		err := os.Mkdir(dir, 0o700)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("record run: %w", err)
		}
	}
	for i, ex := range exchanges {
		name := fmt.Sprintf("%02d-%s.json", i+1, strings.Trim(slugRE.ReplaceAllString(strings.ToLower(ex.Step), "-"), "-"))
		e := indexEntry{Step: ex.Step, Outcome: outcomes[ex.Step], File: name}
		if ex.Response != nil {
			e.Status = ex.Response.Status
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

// writeJSON writes v as indented JSON to path (0600) atomically: through a
// temporary file renamed over it, so a reader never sees half a file. It
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

// readRun reads a recorded run's index and exchanges.
func readRun(dir string) (*runIndex, []*runner.Exchange, error) {
	var idx runIndex
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

// newRunsCommand is `callsheet runs [FOLDER]`.
func newRunsCommand(sys *system) *cli.Command {
	var limit int
	return &cli.Command{
		Name:         "runs",
		Usage:        "list the runs recorded with --record (newest first)",
		ArgsUsage:    "[FOLDER]",
		Description:  "Lists the runs recorded in FOLDER/.callsheet/runs (FOLDER is the folder of the\ncollection, the current folder by default). Replay one with `callsheet replay ID`.",
		OnUsageError: onUsageError("runs"),
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "limit", Usage: "list at most `N` runs", Value: 20, Destination: &limit},
		},
		Action: func(c *cli.Context) error {
			folder, err := optionalArg(c, ".", "runs", "too many arguments: name one folder")
			if err != nil {
				return err
			}
			return listRuns(sys, filepath.Join(folder, stateDir, runsDir), limit)
		},
	}
}

// listRuns prints the recorded runs of dir, newest first.
func listRuns(sys *system, dir string, limit int) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(sys.stdout, "no recorded runs in %s (record one with `callsheet run --record`)\n", safetext.Line(dir))
		return nil
	}
	if err != nil {
		return fmt.Errorf("list runs: %w", err)
	}
	var runs []*runIndex
	for _, e := range entries {
		var idx runIndex
		if !e.IsDir() || readJSON(filepath.Join(dir, e.Name(), indexFile), &idx) != nil {
			continue
		}
		runs = append(runs, &idx)
	}
	slices.SortFunc(runs, func(a, b *runIndex) int { return strings.Compare(b.ID, a.ID) })
	if limit > 0 && len(runs) > limit {
		runs = runs[:limit]
	}
	if len(runs) == 0 {
		fmt.Fprintf(sys.stdout, "no recorded runs in %s\n", safetext.Line(dir))
		return nil
	}
	tw := tabwriter.NewWriter(sys.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTIME\tKIND\tCOLLECTION\tRESULT\tEXCHANGES")
	for _, r := range runs {
		result := "passed"
		if !r.Passed {
			result = "failed"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", safetext.Line(r.ID), r.Time.Local().Format("2006-01-02 15:04:05"), safetext.Line(r.Kind), safetext.Line(r.Collection), result, len(r.Exchanges))
	}
	return tw.Flush()
}
