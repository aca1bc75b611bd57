package cmd

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/urfave/cli/v2"
	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/report"
	"github.com/callsheet/callsheet/runner"
)

// ExitInterrupted is the exit code of a run stopped by Ctrl-C (SIGINT):
// 128 + 2, as shells report it. The reports of what ran are still written.
const ExitInterrupted = 130

// varPrefix marks environment variables that set collection variables:
// CALLSHEET_VAR_token=abc sets token.
const varPrefix = "CALLSHEET_VAR_"

// ciOptions are the flags of `callsheet run` for CI: reports, parallel
// runs, selection, data-driven runs and environments.
type ciOptions struct {
	junit, json, tap, html string
	jobs                   int
	shard                  string
	shardTimings           string
	rerunFailed            string
	bail                   bool
	only, skip, tags       cli.StringSlice
	iterations             int
	data                   string
	env                    string
	quiet                  bool
	// retain says what each result keeps once printed (retain.go); set
	// by runRun, not a flag.
	retain retention
	// reports are the --report-* files, written as results come in
	// (report_streams.go); set by runRun, not a flag.
	reports *reportStreams
}

// flags declares the CI flags.
func (o *ciOptions) flags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "report-junit", Usage: "write a JUnit XML report to `FILE`", Destination: &o.junit},
		&cli.StringFlag{Name: "report-json", Usage: "write a JSON report to `FILE` (docs/report-json.md)", Destination: &o.json},
		&cli.StringFlag{Name: "report-tap", Usage: "write a TAP report to `FILE`", Destination: &o.tap},
		&cli.StringFlag{Name: "report-html", Usage: "write a self-contained HTML report to `FILE`", Destination: &o.html},
		&cli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Usage: "run up to `N` collections at once (default: the number of CPUs)", Destination: &o.jobs},
		&cli.StringFlag{Name: "shard", Usage: "run only share `K/N` of the collection files (1 <= K <= N)", Destination: &o.shard},
		&cli.StringFlag{Name: "shard-timings", Usage: "balance --shard by the durations in the JSON report `FILE`", Destination: &o.shardTimings},
		&cli.StringFlag{Name: "rerun-failed", Usage: "run only the collections that did not pass in the JSON report `FILE`", Destination: &o.rerunFailed},
		&cli.BoolFlag{Name: "bail", Usage: "start nothing more after the first failure", Destination: &o.bail},
		&cli.StringSliceFlag{Name: "only", Usage: "run only collections or steps whose name matches `GLOB` (repeatable)", Destination: &o.only},
		&cli.StringSliceFlag{Name: "skip", Usage: "skip collections or steps whose name matches `GLOB` (repeatable)", Destination: &o.skip},
		&cli.StringSliceFlag{Name: "tag", Usage: "run only collections and steps with tags: `TAG` (repeatable: any of them)", Destination: &o.tags},
		&cli.IntFlag{Name: "iterations", Usage: "run each collection `N` times", Destination: &o.iterations},
		&cli.StringFlag{Name: "data", Usage: "run each collection once per row of a CSV or JSON `FILE`, with the row's columns as variables", Destination: &o.data},
		&cli.StringFlag{Name: "env", Usage: "load variables from env/`NAME`.yaml (or env/NAME.env) beside each collection", Destination: &o.env},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print only failures and the summary", Destination: &o.quiet},
	}
}

// varLayers are the variables given outside the collections, each layer a
// map from name to value.
type varLayers struct {
	envFile, sandbox, cli map[string]any
}

// unit is one run of a collection: a file, possibly once per data row or
// iteration, with the variables of its layers.
type unit struct {
	coll *collections.Collection
	// name is the collection's name with the row or iteration it runs.
	name string
	// vars are the --env NAME, CALLSHEET_VAR_ and data-row variables.
	envVars, callsheetVars, row map[string]any
}

// ciDefined lists the variables the CI flags define for the loader: the
// columns of --data, the CALLSHEET_VAR_ variables and those of every
// env/NAME file beside the collections of paths.
func (o *ciOptions) ciDefined(sys *system, paths []string) ([]string, error) {
	names := slices.Collect(maps.Keys(callsheetVars(sys)))
	if o.data != "" {
		rows, err := readData(o.data)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			names = append(names, slices.Collect(maps.Keys(r))...)
		}
	}
	if o.env != "" {
		for _, p := range paths {
			dir := p
			if info, err := os.Stat(p); err != nil || !info.IsDir() {
				dir = filepath.Dir(p)
			}
			vars, file, err := readEnvNamed(dir, o.env)
			if err != nil {
				return nil, err
			}
			if file == "" {
				return nil, &usageError{err: fmt.Errorf("--env %s: no env/%s.yaml or env/%s.env in %s", o.env, o.env, o.env, dir), command: "run"}
			}
			names = append(names, slices.Collect(maps.Keys(vars))...)
		}
	}
	return names, nil
}

// callsheetVars reads the CALLSHEET_VAR_NAME environment variables, typed
// like --var. The process environment says which names exist; their values
// are read through sys.lookupEnv.
func callsheetVars(sys *system) map[string]any {
	vars := map[string]any{}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		name, ok := strings.CutPrefix(k, varPrefix)
		if !ok || !validName(name) {
			continue
		}
		if v, ok := sys.lookupEnv(k); ok {
			vars[name] = typedValue(v)
		}
	}
	return vars
}

// readEnvNamed reads env/NAME.yaml (a flat mapping; YAML types kept) or
// env/NAME.env (dotenv; strings) in dir. It returns the file it read, or
// an empty name and no variables when neither exists.
func readEnvNamed(dir, name string) (map[string]any, string, error) {
	if !validEnvName(name) {
		return nil, "", &usageError{err: fmt.Errorf("--env %q: want a name such as staging (letters, digits, -, _ and .)", name), command: "run"}
	}
	for _, ext := range []string{".yaml", ".yml", ".env"} {
		file := filepath.Join(dir, "env", name+ext)
		b, err := os.ReadFile(file)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, "", &usageError{err: fmt.Errorf("--env %s: %w", name, err), command: "run"}
		}
		if ext == ".env" {
			vars, err := readEnvFile(file, "run")
			return vars, file, err
		}
		var m map[string]any
		if err := yaml.Unmarshal(b, &m); err != nil {
			return nil, "", &usageError{err: fmt.Errorf("--env %s: %s: %w", name, file, err), command: "run"}
		}
		vars := make(map[string]any, len(m))
		for k, v := range m {
			if !validName(k) {
				return nil, "", &usageError{err: fmt.Errorf("--env %s: %s: %q is not a variable name", name, file, k), command: "run"}
			}
			vars[k] = normalizeYAML(v)
		}
		return vars, file, nil
	}
	return nil, "", nil
}

func validEnvName(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsAny(s, `/\`)
}

// normalizeYAML gives values decoded by yaml.v3 the types templates use:
// int64 for integers.
func normalizeYAML(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case []any:
		for i := range x {
			x[i] = normalizeYAML(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = normalizeYAML(x[k])
		}
	}
	return v
}

// readData reads the rows of a --data file: CSV with a header line (values
// typed like --var), or a JSON array of objects (JSON types kept).
func readData(file string) ([]map[string]any, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, &usageError{err: fmt.Errorf("--data: %w", err), command: "run"}
	}
	bad := func(err error) error {
		return &usageError{err: fmt.Errorf("--data %s: %w", file, err), command: "run"}
	}
	var rows []map[string]any
	switch strings.ToLower(filepath.Ext(file)) {
	case ".json":
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		var raw []map[string]any
		if err := dec.Decode(&raw); err != nil {
			return nil, bad(fmt.Errorf("want a JSON array of objects: %w", err))
		}
		for _, r := range raw {
			row := make(map[string]any, len(r))
			for k, v := range r {
				n, err := collections.NormalizeNumbers(v)
				if err != nil {
					return nil, bad(err)
				}
				row[k] = n
			}
			rows = append(rows, row)
		}
	case ".csv":
		recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			return nil, bad(err)
		}
		if len(recs) == 0 {
			return nil, bad(errors.New("no header line"))
		}
		for _, rec := range recs[1:] {
			row := make(map[string]any, len(rec))
			for i, v := range rec {
				row[recs[0][i]] = typedValue(v)
			}
			rows = append(rows, row)
		}
	default:
		return nil, bad(errors.New("want a .csv or .json file"))
	}
	for i, r := range rows {
		for k := range r {
			if !validName(k) {
				return nil, bad(fmt.Errorf("row %d: %q is not a variable name", i+1, k))
			}
		}
	}
	if len(rows) == 0 {
		return nil, bad(errors.New("no rows"))
	}
	return rows, nil
}

// plan selects and expands the loaded collections into units, in a stable
// order: --rerun-failed, --shard, --only/--skip, then one unit per
// iteration and data row.
func (o *ciOptions) plan(sys *system, cols []*collections.Collection) ([]*unit, error) {
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

	var rows []map[string]any
	if o.data != "" {
		if rows, err = readData(o.data); err != nil {
			return nil, err
		}
	}
	iterations := max(o.iterations, 1)
	csVars := callsheetVars(sys)
	var units []*unit
	for _, c := range cols {
		var envVars map[string]any
		if o.env != "" {
			vars, file, err := readEnvNamed(filepath.Dir(c.File), o.env)
			if err != nil {
				return nil, err
			}
			if file == "" {
				return nil, &usageError{err: fmt.Errorf("--env %s: no env/%s.yaml or env/%s.env beside %s", o.env, o.env, o.env, c.File), command: "run"}
			}
			envVars = vars
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

func suffixed(name string, tags []string) string {
	if len(tags) == 0 {
		return name
	}
	return name + " [" + strings.Join(tags, ", ") + "]"
}

// parseShard reads K/N.
func parseShard(s string) (k, n int, err error) {
	ks, ns, ok := strings.Cut(s, "/")
	k, errK := strconv.Atoi(ks)
	n, errN := strconv.Atoi(ns)
	if !ok || errK != nil || errN != nil || n < 1 || k < 1 || k > n {
		return 0, 0, &usageError{err: fmt.Errorf("--shard %q: want K/N with 1 <= K <= N, such as 2/4", s), command: "run"}
	}
	return k, n, nil
}

// shard returns the collections of share k of n. Files are dealt in a
// stable order: without timings round-robin by file path; with timings
// longest first, each to the share with the least total so far (a file
// without a timing counts as the mean). Every file lands in exactly one
// share, and the collections keep their order.
func shard(cols []*collections.Collection, k, n int, timings map[string]float64) []*collections.Collection {
	files := slices.Sorted(maps.Keys(func() map[string]bool {
		m := map[string]bool{}
		for _, c := range cols {
			m[c.File] = true
		}
		return m
	}()))
	owner := map[string]int{}
	if len(timings) == 0 {
		for i, f := range files {
			owner[f] = i%n + 1
		}
	} else {
		var sum float64
		for _, d := range timings {
			sum += d
		}
		mean := sum / float64(len(timings))
		cost := func(f string) float64 {
			if d, ok := timings[f]; ok {
				return d
			}
			return mean
		}
		byCost := slices.Clone(files)
		slices.SortStableFunc(byCost, func(a, b string) int {
			switch ca, cb := cost(a), cost(b); {
			case ca > cb:
				return -1
			case ca < cb:
				return 1
			}
			return strings.Compare(a, b)
		})
		load := make([]float64, n)
		for _, f := range byCost {
			least := 0
			for i := range load {
				if load[i] < load[least] {
					least = i
				}
			}
			load[least] += cost(f)
			owner[f] = least + 1
		}
	}
	var out []*collections.Collection
	for _, c := range cols {
		if owner[c.File] == k {
			out = append(out, c)
		}
	}
	return out
}

// readTimings reads each file's duration from a JSON report, summing the
// runs of a file (iterations, data rows).
func readTimings(file string) (map[string]float64, error) {
	rep, err := readReport(file, "--shard-timings")
	if err != nil {
		return nil, err
	}
	t := map[string]float64{}
	for _, c := range rep.Collections {
		t[c.File] += c.DurationMS
	}
	return t, nil
}

func readReport(file, flag string) (*report.JSONReport, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, &usageError{err: fmt.Errorf("%s: %w", flag, err), command: "run"}
	}
	defer f.Close()
	rep, err := report.ReadJSON(f)
	if err != nil {
		return nil, &usageError{err: fmt.Errorf("%s %s: %w", flag, file, err), command: "run"}
	}
	return rep, nil
}

// rerunFailed keeps the collections whose file did not pass in the JSON
// report: failed, errored or not run.
func rerunFailed(file string, cols []*collections.Collection) ([]*collections.Collection, error) {
	rep, err := readReport(file, "--rerun-failed")
	if err != nil {
		return nil, err
	}
	failed := map[string]bool{}
	for _, c := range rep.Collections {
		if c.Outcome != runner.Passed.String() && c.Outcome != "skipped" {
			failed[c.File] = true
		}
	}
	var out []*collections.Collection
	for _, c := range cols {
		if failed[c.File] {
			out = append(out, c)
		}
	}
	return out, nil
}

// selectSteps applies --only and --skip. A pattern (path.Match glob)
// naming a collection (its name or file base name) selects or drops it
// whole; otherwise it selects or drops the steps it names. Under --only, a
// collection with no matching name and no matching step is dropped.
func selectSteps(cols []*collections.Collection, only, skip []string) []*collections.Collection {
	if len(only) == 0 && len(skip) == 0 {
		return cols
	}
	match := func(patterns []string, names ...string) bool {
		for _, p := range patterns {
			for _, n := range names {
				if ok, _ := path.Match(p, n); ok || p == n {
					return true
				}
			}
		}
		return false
	}
	var out []*collections.Collection
	for _, c := range cols {
		base := filepath.Base(c.File)
		if match(skip, c.Name, base, strings.TrimSuffix(base, filepath.Ext(base))) {
			continue
		}
		whole := len(only) == 0 || match(only, c.Name, base, strings.TrimSuffix(base, filepath.Ext(base)))
		var steps []*collections.Step
		for _, s := range c.Steps {
			if (whole || match(only, s.Name)) && !match(skip, s.Name) {
				steps = append(steps, s)
			}
		}
		if len(steps) == 0 && len(c.Steps) > 0 {
			continue
		}
		if len(steps) != len(c.Steps) {
			cc := *c
			cc.Steps = steps
			c = &cc
		}
		out = append(out, c)
	}
	return out
}

// selectTags applies --tag: a collection tagged with one of tags runs
// whole; otherwise only its steps so tagged run, and a collection with none
// is dropped.
func selectTags(cols []*collections.Collection, tags []string) []*collections.Collection {
	if len(tags) == 0 {
		return cols
	}
	tagged := func(list []string) bool {
		return slices.ContainsFunc(tags, func(t string) bool { return slices.Contains(list, t) })
	}
	var out []*collections.Collection
	for _, c := range cols {
		if tagged(c.Tags) {
			out = append(out, c)
			continue
		}
		var steps []*collections.Step
		for _, s := range c.Steps {
			if tagged(s.Flow.Tags) {
				steps = append(steps, s)
			}
		}
		if len(steps) > 0 {
			cc := *c
			cc.Steps = steps
			out = append(out, &cc)
		}
	}
	return out
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
	done := make([]chan struct{}, len(units))
	for i := range done {
		done[i] = make(chan struct{})
	}
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
		defer close(done[i])
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
		fmt.Fprintf(out, "%s %s\n", rep.st.bold(u.name), rep.st.dim("("+u.coll.File+")"))
		if skip {
			results[i] = notRun(u)
		} else {
			opts := base
			opts.Vars = mergeVars(u.envVars, u.callsheetVars, layers.envFile, u.row, layers.sandbox, layers.cli)
			line := prog.start(u.name, u.coll)
			opts.OnStep = func(s *runner.StepResult) {
				if ctx.Err() != nil && parent.Err() == nil {
					bailed(s)
				}
				ur.live(u.coll, s)
				prog.step(line, s)
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
		<-done[i]
		// In output order, each result goes to the reports, then keeps
		// only what the end of the run needs (retain.go).
		o.reports.add(results[i])
		o.retain.compact(results[i])
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

// writeReports closes the reports written during the run (runUnits adds
// each result as it is printed), and writes GitHub Actions annotations
// under GITHUB_ACTIONS=true from the problems results kept. A report
// that cannot be written is an error of the run.
func writeReports(sys *system, o *ciOptions, results []*runner.Result) error {
	errs := []error{o.reports.close()}
	if v, _ := sys.lookupEnv("GITHUB_ACTIONS"); v == "true" {
		errs = append(errs, report.GitHubAnnotations(sys.stdout, results))
	}
	return errors.Join(errs...)
}
