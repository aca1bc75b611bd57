package session

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/runner"
)

// Watch is what sessions under --watch carry from one to the next: each
// collection's state, so that a rerun does not log in again; its last
// results, to say what changed; whether the last session failed (then a
// rerun runs every step again); and the files the last session read. It
// is a Consumer of each session it is given to (Options.Watch); one
// session uses it at a time. The zero Watch has no memory.
type Watch struct {
	// memory and previous hold each collection's state and last result
	// by StateKey.
	memory   map[string]*runner.State
	previous map[string]*runner.Result
	failed   bool
	files    []string
	changes  []Changes
}

// Changes is what changed in a unit's steps since the previous run of its
// collection.
type Changes struct {
	// Compared is false when there was no previous run to compare with.
	Compared bool
	// Lines say, per step, how its outcome and status changed:
	// `list projects: passed -> failed, status 200 -> 404`; none when
	// nothing did.
	Lines []string
}

// begin starts a session of the collections cols: what the last one
// noted goes.
func (w *Watch) begin(cols []*collections.Collection) {
	if w.memory == nil {
		w.memory, w.previous = map[string]*runner.State{}, map[string]*runner.Result{}
	}
	w.failed = false
	w.files = w.files[:0]
	for _, c := range cols {
		w.files = append(w.files, filesOf(c)...)
	}
	w.changes = nil
}

// Files lists what the last session read: its collections, the files they
// include and the files of their multipart parts.
func (w *Watch) Files() []string { return slices.Clone(w.files) }

// Changes lists, for each unit of the last session in plan order, what
// changed since the previous run of its collection.
func (w *Watch) Changes() []Changes { return w.changes }

// Needs asks for every step (a rerun compares them all) and the state
// the next run starts from.
func (w *Watch) Needs() runner.Needs { return runner.Needs{Steps: true, Passed: true, State: true} }

// Start returns the watch's part of u: it compares u's result with the
// previous one and keeps its state.
func (w *Watch) Start(u *Unit) Run {
	return ResultFunc(func(res *runner.Result) {
		key := StateKey(u.Collection)
		prev := w.previous[key]
		w.previous[key] = lastSent(prev, res)
		ch := Changes{Compared: prev != nil}
		if prev != nil {
			ch.Lines = stepChanges(prev, res)
		}
		w.changes = append(w.changes, ch)
		if Verdict(res) != runner.Passed {
			w.failed = true
		}
		if res.State != nil && started(res) {
			w.memory[key] = res.State
		}
	})
}

// End does nothing: a Watch has nothing to write.
func (w *Watch) End() error { return nil }

// stepChanges lists, per step, how its outcome and status changed between
// two results.
func stepChanges(prev, cur *runner.Result) []string {
	before := map[string]*runner.StepResult{}
	for _, s := range prev.Steps {
		before[s.Name] = s
	}
	var out []string
	for _, s := range cur.Steps {
		if reused(s) {
			continue // not sent again: nothing to compare
		}
		p, ok := before[s.Name]
		if !ok {
			out = append(out, fmt.Sprintf("%s: new step, %s", s.Name, s.Outcome))
			continue
		}
		var parts []string
		if p.Outcome != s.Outcome {
			parts = append(parts, fmt.Sprintf("%s -> %s", p.Outcome, s.Outcome))
		}
		if ps, cs := status(p), status(s); ps != cs {
			parts = append(parts, fmt.Sprintf("status %s -> %s", ps, cs))
		}
		if len(parts) > 0 {
			out = append(out, s.Name+": "+strings.Join(parts, ", "))
		}
	}
	return out
}

// reused reports whether s was skipped because a rerun kept its captures.
func reused(s *runner.StepResult) bool {
	return s.Outcome == runner.Skipped && s.SkipReason == runner.SkipReused
}

// lastSent is cur with each step that a rerun reused (not sent) replaced
// by its result in prev, so that the next rerun compares every step with
// the last time it was sent.
func lastSent(prev, cur *runner.Result) *runner.Result {
	if prev == nil {
		return cur
	}
	before := map[string]*runner.StepResult{}
	for _, s := range prev.Steps {
		before[s.Name] = s
	}
	out := &runner.Result{Name: cur.Name, File: cur.File, Steps: slices.Clone(cur.Steps)}
	for i, s := range out.Steps {
		if p := before[s.Name]; p != nil && reused(s) {
			out.Steps[i] = p
		}
	}
	return out
}

// status is a step's response status, or "none".
func status(s *runner.StepResult) string {
	if s.Response == nil {
		return "none"
	}
	return fmt.Sprint(s.Response.Status)
}

// watchDebounce is how long WaitForChange waits after a change for more
// changes (an editor often writes a file in several steps).
const watchDebounce = 150 * time.Millisecond

// WaitForChange watches files (by their folders, since editors replace
// files by renaming; a folder also watches the collections in it) and
// returns the first one that changes, once no further change has come for
// a moment; "" when ctx is done. ready is called with the number of files
// once they are watched.
func WaitForChange(ctx context.Context, files []string, ready func(int)) (string, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return "", fmt.Errorf("watch: %w", err)
	}
	defer w.Close()
	wanted := map[string]bool{}
	dirs := map[string]bool{}
	for _, f := range files {
		abs, err := filepath.Abs(f)
		if err != nil {
			continue
		}
		wanted[abs] = true
		dirs[filepath.Dir(abs)] = true
		dirs[abs] = true // a folder given as PATH: its own entries
	}
	added := 0
	for d := range dirs {
		if w.Add(d) == nil {
			added++
		}
	}
	if added == 0 {
		return "", errors.New("watch: nothing to watch (a bundled collection?)")
	}
	ready(len(wanted))
	return nextChange(ctx, w, wanted)
}

// nextChange waits for the first relevant event of w and the quiet after
// it.
func nextChange(ctx context.Context, w *fsnotify.Watcher, wanted map[string]bool) (string, error) {
	var (
		first string
		timer <-chan time.Time
	)
	for {
		select {
		case <-ctx.Done():
			return "", nil
		case ev, ok := <-w.Events:
			if !ok {
				return "", errors.New("watch: watcher closed")
			}
			if !relevant(ev, wanted) {
				continue
			}
			if first == "" {
				first = ev.Name
			}
			timer = time.After(watchDebounce)
		case err, ok := <-w.Errors:
			if ok {
				return "", fmt.Errorf("watch: %w", err)
			}
		case <-timer:
			return first, nil
		}
	}
}

// relevant reports whether ev changes a watched file, or a collection in a
// watched folder.
func relevant(ev fsnotify.Event, wanted map[string]bool) bool {
	if !ev.Has(fsnotify.Write) && !ev.Has(fsnotify.Create) && !ev.Has(fsnotify.Rename) && !ev.Has(fsnotify.Remove) {
		return false
	}
	name, err := filepath.Abs(ev.Name)
	if err != nil {
		return false
	}
	if wanted[name] {
		return true
	}
	ext := filepath.Ext(name)
	return wanted[filepath.Dir(name)] && (ext == ".yaml" || ext == ".yml")
}
