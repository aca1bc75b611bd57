package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/runner"
)

// unit is one run of a collection: a file, possibly once per data row or
// iteration, with the variables of its layers.
type unit struct {
	coll *collections.Collection
	// name is the collection's name with the row or iteration it runs.
	name string
	// vars are the --env NAME, CALLSHEET_VAR_ and data-row variables.
	envVars, callsheetVars, row map[string]any
}

// plan selects and expands the loaded collections into units, in a stable
// order: --rerun-failed, --shard, --only/--skip, then one unit per
// iteration and data row, with the inputs ciDefined read.
func (o *ciOptions) plan(cols []*collections.Collection) ([]*unit, error) {
	var err error
	if o.rerunFailed != "" {
		if cols, err = rerunFailed(o.rerunFailed, cols); err != nil {
			return nil, err
		}
	}
	if o.shard != "" {
		k, n, err := parseShard(o.shard)
		if err != nil {
			return nil, err
		}
		var timings map[string]float64
		if o.shardTimings != "" {
			if timings, err = readTimings(o.shardTimings); err != nil {
				return nil, err
			}
		}
		cols = shard(cols, k, n, timings)
	}
	cols = selectSteps(cols, o.only.Value(), o.skip.Value())
	cols = selectTags(cols, o.tags.Value())

	rows, csVars := o.rows, o.csVars
	iterations := max(o.iterations, 1)
	var units []*unit
	for _, c := range cols {
		var envVars map[string]any
		if o.env != "" {
			if envVars, err = o.envFor(filepath.Dir(c.File)); err != nil {
				return nil, err
			}
		}
		for it := 1; it <= iterations; it++ {
			var tags []string
			if iterations > 1 {
				tags = append(tags, "iteration "+strconv.Itoa(it))
			}
			if rows == nil {
				units = append(units, &unit{coll: c, name: suffixed(c.Name, tags), envVars: envVars, callsheetVars: csVars})
				continue
			}
			for i, row := range rows {
				units = append(units, &unit{coll: c, name: suffixed(c.Name, append(slices.Clone(tags), "row "+strconv.Itoa(i+1))), envVars: envVars, callsheetVars: csVars, row: row})
			}
		}
	}
	return units, nil
}

// suffixed appends tags to a unit's name: "name [iteration 2, row 3]".
func suffixed(name string, tags []string) string {
	if len(tags) == 0 {
		return name
	}
	return name + " [" + strings.Join(tags, ", ") + "]"
}

// notRun is the result of a unit that never started: every step not run.
func notRun(u *unit) *runner.Result {
	res := &runner.Result{Name: u.name, File: u.coll.File}
	for _, s := range u.coll.Steps {
		res.Steps = append(res.Steps, &runner.StepResult{Name: s.Name, Pos: s.Pos, Step: s, Outcome: runner.NotRun})
	}
	return res
}

// runUnits runs units with up to jobs at once and returns their results in
// unit order. Each unit reports into its own buffer, printed in order as
// soon as the units before it are printed, so output stays grouped per
// collection. With --bail nothing more starts after a failure, and the
// collections already running are cancelled (their finally: steps still
// run); when ctx is done (Ctrl-C) nothing more starts either. Units that
// never started have every step NotRun.
func runUnits(ctx context.Context, sys *system, r *runner.Runner, units []*unit, base runner.Options, layers varLayers, rep *reporter, o *ciOptions) []*runner.Result {
	parent := ctx
	ctx, bail := context.WithCancel(ctx)
	defer bail()
	jobs := o.jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
		if base.Interactive {
			jobs = 1 // one prompt at a time
		}
	}
	workers := min(jobs, max(len(units), 1))
	// On a terminal, a live line per running collection (progress.go).
	prog := newProgress(sys, rep.w, rep.st, workers)
	// With one collection at a time and nothing held back by --quiet, each
	// prints as it runs rather than when it ends: it is always the first
	// not yet printed.
	stream := workers == 1 && !o.quiet
	results := make([]*runner.Result, len(units))
	outputs := make([]*bytes.Buffer, len(units))
	parts := make([]reportParts, len(units)) // each run's parts of the reports
	// Workers send each unit's index on finished when it is done; ready
	// holds those that finished before the units ahead of them.
	finished := make(chan int)
	ready := make([]bool, len(units))
	// passed stands for every result that keeps nothing (retain.go).
	passed := &runner.Result{}
	var (
		mu      sync.Mutex
		stopped bool
		wg      sync.WaitGroup
	)
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range units {
			next <- i
		}
	}()
	work := func(i int) {
		defer func() { finished <- i }()
		u := units[i]
		mu.Lock()
		skip := stopped || ctx.Err() != nil
		mu.Unlock()
		var buf bytes.Buffer
		outputs[i] = &buf
		out := io.Writer(&buf)
		if stream {
			out = rep.w
			if i > 0 {
				fmt.Fprintln(out)
			}
		}
		ur := newReporter(out, rep.st, rep.verbose)
		ur.curl = rep.curl // the -vv curl lines (curlline.go)
		ur.quiet = o.quiet
		fmt.Fprintf(out, "%s %s\n", rep.st.bold(safetext.Line(u.name)), rep.st.dim("("+safetext.Line(u.coll.File)+")"))
		if skip {
			results[i] = notRun(u)
		} else {
			opts := base
			opts.Vars = mergeVars(u.envVars, u.callsheetVars, layers.envFile, u.row, layers.sandbox, layers.cli)
			line := prog.start(u.name, u.coll)
			parts[i] = o.reports.parts(u.coll.File)
			opts.OnStep = func(s *runner.StepResult) {
				if ctx.Err() != nil && parent.Err() == nil {
					bailed(s)
				}
				prog.step(line, s)
			}
			// A step is printed and reported once final: masked with
			// the secrets later steps capture (runner.Options.OnFinal).
			opts.OnFinal = func(s *runner.StepResult) {
				ur.live(u.coll, s)
				parts[i].step(s)
			}
			results[i] = r.Run(ctx, u.coll, opts)
			prog.end(line)
			results[i].Name = u.name
			if o.bail && resultCode(results[i]) != ExitOK {
				mu.Lock()
				stopped = true
				mu.Unlock()
				bail() // stop the collections still running
			}
		}
		ur.finish(u.coll, results[i])
		mu.Lock()
		for k, n := range ur.counts {
			rep.counts[k] += n
		}
		mu.Unlock()
	}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				work(i)
			}
		}()
	}
	// Print in order as results come in.
	printed := 0
	for i := range units {
		for !ready[i] {
			ready[<-finished] = true
		}
		// In output order, each result goes to the reports, then keeps
		// only what the end of the run needs (retain.go).
		o.reports.add(results[i], parts[i])
		parts[i] = nil
		if results[i] = o.retain.compact(results[i]); results[i] == nil {
			results[i] = passed
		}
		out := outputs[i]
		outputs[i] = nil // printed or held back: not needed again
		if stream || (o.quiet && resultCode(results[i]) == ExitOK) {
			continue
		}
		prog.print(func() {
			if printed > 0 {
				fmt.Fprintln(rep.w)
			}
			io.Copy(rep.w, out)
		})
		printed++
	}
	wg.Wait()
	return results
}

// bailed marks a step that --bail cancelled as not run: it did not fail,
// another collection did.
func bailed(s *runner.StepResult) {
	if s.Outcome == runner.Errored && errors.Is(s.Err, context.Canceled) {
		s.Outcome, s.Err = runner.NotRun, nil
	}
}
