package cmd

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
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/runner"
)

// watchDebounce is how long --watch waits after a change for more changes
// (an editor often writes a file in several steps) before it reruns.
const watchDebounce = 150 * time.Millisecond

// runOrWatch runs once, or under --watch reruns on every change until ctx
// is done. A rerun keeps the state of the previous one in memory.
func runOrWatch(ctx context.Context, sys *system, opts *runOptions) error {
	if !opts.loop.watch {
		return runRun(ctx, sys, opts)
	}
	st := newStyle(sys, sys.stdout, opts.noColor)
	if opts.vars.sandbox && opts.sandbox == nil {
		// One sandbox for every rerun, so the tokens a rerun keeps stay valid.
		srv, err := startSandbox(sys, st)
		if err != nil {
			return err
		}
		defer srv.Close()
		opts.sandbox = srv
	}
	err := runRun(ctx, sys, opts)
	for {
		if err != nil {
			printError(sys.stderr, err)
		}
		files := watchList(opts)
		changed, werr := waitForChange(ctx, files, func(n int) {
			files := "files"
			if n == 1 {
				files = "file"
			}
			fmt.Fprintf(sys.stdout, "%s waiting for changes to %d %s (Ctrl-C stops)\n", st.dim("watch:"), n, files)
		})
		if werr != nil {
			return werr
		}
		if changed == "" { // ctx done: Ctrl-C
			fmt.Fprintln(sys.stdout, st.dim("watch: stopped"))
			return err
		}
		fmt.Fprintf(sys.stdout, "\n%s %s changed, running again\n", st.dim("watch:"), safetext.Line(changed))
		err = runRun(ctx, sys, opts)
	}
}

// watchList is what --watch watches: the files of the last run, the paths
// given (a folder watches its collections) and the env file.
func watchList(opts *runOptions) []string {
	files := append([]string{}, opts.loop.watched...)
	for _, p := range opts.paths {
		if abs, err := filepath.Abs(p); err == nil {
			files = append(files, abs)
		}
	}
	if opts.vars.envFile != "" {
		files = append(files, opts.vars.envFile)
	}
	return files
}

// waitForChange watches files (by their folders, since editors replace
// files by renaming) and returns the first one that changes, once no
// further change has come for watchDebounce; "" when ctx is done. ready is
// called with the number of files once they are watched.
func waitForChange(ctx context.Context, files []string, ready func(int)) (string, error) {
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

// showChanges prints, under --watch, what changed in each step since the
// previous run of c: its outcome and its status.
func (o *loopOptions) showChanges(sys *system, st style, c *collections.Collection, res *runner.Result) {
	if !o.watch {
		return
	}
	key := stateKey(c)
	prev := o.previous[key]
	if o.previous == nil {
		o.previous = map[string]*runner.Result{}
	}
	o.previous[key] = lastSent(prev, res)
	if prev == nil {
		return
	}
	lines := stepChanges(prev, res)
	if len(lines) == 0 {
		fmt.Fprintf(sys.stdout, "%s no change since the previous run\n", st.dim("watch:"))
		return
	}
	fmt.Fprintf(sys.stdout, "%s since the previous run:\n", st.dim("watch:"))
	for _, l := range lines {
		fmt.Fprintf(sys.stdout, "  %s\n", safetext.Line(l))
	}
}

// stepChanges lists, per step, how its outcome and status changed between
// two results: `list projects: passed -> failed, status 200 -> 404`.
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

// lastSent is cur with each step that a rerun reused (not sent) replaced by
// its result in prev, so that the next rerun compares every step with the
// last time it was sent.
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
