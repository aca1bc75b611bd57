// Command mutate is a small mutation tester. It changes one thing at a time
// in chosen functions of chosen files, runs the package's tests against
// each change with `go test -overlay` (the source tree is never written),
// and reports how many changes some test notices ("killed") and which no
// test does ("survivors").
//
// Usage, from the module root:
//
//	go run ./tools/mutate [flags] [TARGETS]
//
// TARGETS (standard input when absent) lists one target a line, with #
// comments:
//
//	FILE  FUNCS  [RUN]
//
// FUNCS is "*" for the whole file, else a comma-separated list of
// functions and methods ("name" or "Type.name"); RUN is a go test -run
// pattern (no spaces) choosing the tests that cover the file. A mutant that
// survives RUN is run again against every test of the package, then of
// each package given with -also, before it is called a survivor.
//
// The changes: == and != swapped, < <= > >= moved across their boundary,
// && and || swapped, + - * / % and ++ -- swapped, a ! or unary - removed,
// if and for conditions negated, true and false swapped, integer
// constants changed (0->1, 1->0, n->n+1), string literals emptied (or ""
// made "mutated"), statements removed (calls, assignments, sends, defer,
// go, break, continue), function bodies returning at once, returned bools
// negated and returned errors replaced by nil.
//
// A mutant that changes no behaviour a test could observe (an equivalent
// mutant) is left out with a comment giving the reason, on its line or
// alone on the line before:
//
//	// mutate:ignore "< -> <=" at i == n both branches return the same
//
// The quoted changes are optional (without them, every mutant of the line
// is left out; with them, those whose change starts with one); the reason
// is required. An ignored mutant is not tested, and
// the report lists it with its reason. A comment that leaves out no
// mutant of the code mutated is an error.
//
// The score of a file is killed / (killed + survived), a timeout counting
// as killed; mutants that do not compile or are ignored are left out of
// it.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path"
	"regexp"
	"strings"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// config holds the command-line flags.
type config struct {
	workers   int
	timeout   time.Duration
	only      *regexp.Regexp
	list      bool
	verbose   bool
	threshold float64
	also      []string // packages whose tests a survivor also runs
	retest    string   // a report whose survivors are the only mutants run
}

// run is the command: 0 when the score reaches the threshold, 1 when it
// does not, 2 when the run could not be made.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, rest, err := parseFlags(args, stderr)
	if err != nil {
		return 2
	}
	targets, err := readTargetsArg(rest, stdin)
	if err == nil {
		targets, err = cfg.filter(targets)
	}
	var plan []job
	if err == nil {
		plan, err = makePlan(targets)
	}
	if err == nil && cfg.retest != "" {
		plan, err = survivorsOnly(cfg.retest, plan)
	}
	if err != nil {
		fmt.Fprintln(stderr, "mutate:", err)
		return 2
	}
	if cfg.list {
		for _, j := range plan {
			ig := ""
			if j.m.ignore != "" {
				ig = "\tignored: " + j.m.ignore
			}
			fmt.Fprintf(stdout, "%s:%d:%d\t%s\t%s%s\n", j.m.file, j.m.line, j.m.col, j.m.fn, j.m.desc, ig)
		}
		return 0
	}
	root, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(stderr, "mutate:", err)
		return 2
	}
	start := time.Now()
	results, err := (&tester{cfg: cfg, root: root, log: stderr}).runAll(ctx, plan)
	if err != nil {
		fmt.Fprintln(stderr, "mutate:", err)
		return 2
	}
	score := report(stdout, targets, results, cfg.verbose, time.Since(start))
	if score < cfg.threshold {
		fmt.Fprintf(stdout, "score %.1f%% is under the threshold of %.1f%%\n", score, cfg.threshold)
		return 1
	}
	return 0
}

func parseFlags(args []string, stderr io.Writer) (config, []string, error) {
	var cfg config
	var only string
	fs := flag.NewFlagSet("mutate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&cfg.workers, "workers", 1, "mutants tested at once")
	fs.DurationVar(&cfg.timeout, "timeout", 0, "time allowed to one mutant's test binary (go test -timeout); 0 is five times the unmutated go test plus 10s")
	fs.StringVar(&only, "only", "", "test only the targets whose file matches this `regexp`")
	fs.BoolVar(&cfg.list, "list", false, "list the mutants without running any test")
	fs.BoolVar(&cfg.verbose, "v", false, "list every mutant in the report, with the test that killed it")
	fs.Float64Var(&cfg.threshold, "threshold", 0, "exit 1 when the overall score (percent) is under this")
	fs.StringVar(&cfg.retest, "retest", "", "test only the survivors listed in `report`, the output of an earlier run")
	fs.Func("also", "run a survivor against every test of `package` too (./cmd); repeatable", func(pkg string) error {
		cfg.also = append(cfg.also, pkg)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return cfg, nil, err
	}
	var err error
	if cfg.only, err = regexp.Compile(only); err != nil {
		fmt.Fprintln(stderr, "mutate: -only:", err)
		return cfg, nil, err
	}
	if cfg.workers < 1 || fs.NArg() > 1 {
		fs.Usage()
		return cfg, nil, errors.New("usage")
	}
	return cfg, fs.Args(), nil
}

// A target is a file to mutate, the functions of it to mutate (all when
// empty) and the tests to run (all of the package when empty).
type target struct {
	file  string
	funcs []string
	run   string
}

// pkg is the package directory of the target, as go test takes it.
func (t target) pkg() string { return "./" + path.Dir(t.file) }

// readTargetsArg reads the targets file named in args, else stdin.
func readTargetsArg(args []string, stdin io.Reader) ([]target, error) {
	if len(args) == 0 {
		return readTargets("standard input", stdin)
	}
	f, err := os.Open(args[0])
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readTargets(args[0], f)
}

// readTargets parses lines of FILE FUNCS [RUN], skipping blank lines and
// # comments.
func readTargets(name string, r io.Reader) ([]target, error) {
	var out []target
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) < 2 || len(f) > 3 {
			return nil, fmt.Errorf("%s:%d: want FILE FUNCS [RUN], got %q", name, n, sc.Text())
		}
		t := target{file: path.Clean(f[0])}
		if f[1] != "*" {
			t.funcs = strings.Split(f[1], ",")
		}
		if len(f) == 3 {
			if _, err := regexp.Compile(f[2]); err != nil {
				return nil, fmt.Errorf("%s:%d: RUN: %w", name, n, err)
			}
			t.run = f[2]
		}
		out = append(out, t)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no targets", name)
	}
	return out, nil
}

// filter keeps the targets -only matches.
func (cfg config) filter(ts []target) ([]target, error) {
	var out []target
	for _, t := range ts {
		if cfg.only.MatchString(t.file) {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("-only %q matches no target", cfg.only)
	}
	return out, nil
}

// A job is one mutant to test, with its target and the file's source.
type job struct {
	t   target
	m   mutant
	src []byte
}

// makePlan lists the mutants of every target.
func makePlan(targets []target) ([]job, error) {
	var plan []job
	for _, t := range targets {
		src, err := os.ReadFile(t.file)
		if err != nil {
			return nil, err
		}
		ms, err := findMutants(t.file, src, t.funcs)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			plan = append(plan, job{t: t, m: m, src: src})
		}
	}
	return plan, nil
}

// survivorsOnly keeps the jobs whose mutant the report file lists as a
// survivor, by position and change.
func survivorsOnly(report string, plan []job) ([]job, error) {
	data, err := os.ReadFile(report)
	if err != nil {
		return nil, err
	}
	listed := map[string]bool{}
	for line := range strings.Lines(string(data)) {
		f := strings.Split(strings.TrimSpace(line), "\t")
		if len(f) == 4 && f[1] == survived.String() {
			listed[f[0]+"\t"+f[3]] = true
		}
	}
	var out []job
	for _, j := range plan {
		if listed[fmt.Sprintf("%s:%d:%d\t%s", j.m.file, j.m.line, j.m.col, j.m.desc)] {
			out = append(out, j)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s lists no survivor of these targets", report)
	}
	return out, nil
}
