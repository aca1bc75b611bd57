// Command arazzo compares Arazzo runners on the same workflows: callsheet's
// engine (package arazzo, with a plain net/http sender) and Redocly's
// respect. Each case of cases.go runs in each runner against a fresh
// library server (package internal/arazzotest, the conformance tests'
// server) on a loopback port, and the verdicts of each step's runs are
// compared with those a correct runner gives. It prints a Markdown table.
//
//	go run ./bench/arazzo [-respect PATH] [-run REGEXP] [-v]
//
// bench/arazzo/run.sh installs respect first. Not part of CI.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/callsheet/callsheet/internal/arazzotest"
)

// runner runs one case against the server at url and returns the
// verdicts of each step's runs, by workflowId/stepId, and whether the
// workflow passed.
type runner struct {
	name string
	run  func(ctx context.Context, c benchCase, url string) (outcome, error)
}

// outcome is what a runner did with one case.
type outcome struct {
	steps  map[string]string
	passed bool
}

func main() {
	respectPath := flag.String("respect", defaultRespect(), "the redocly `PATH` (npm @redocly/cli)")
	only := flag.String("run", "", "run only the cases whose workflow matches `REGEXP`")
	verbose := flag.Bool("v", false, "print each runner's verdicts")
	flag.Parse()
	if err := os.Chdir(here()); err != nil {
		fail(err)
	}
	runners := []runner{{name: "callsheet", run: runEngine}}
	if _, err := os.Stat(*respectPath); err == nil {
		runners = append(runners, runner{name: "respect", run: respect(*respectPath)})
	} else {
		fmt.Fprintf(os.Stderr, "respect is not installed at %s: run bench/arazzo/run.sh\n", *respectPath)
	}
	re, err := regexp.Compile(*only)
	if err != nil {
		fail(err)
	}
	var rows []row
	for _, c := range cases {
		if re.MatchString(c.workflow) {
			rows = append(rows, compare(c, runners, *verbose)...)
		}
	}
	printTable(os.Stdout, runners, rows)
}

// row is one step of one case in the table.
type row struct {
	feature, step, want string
	got                 []string
}

// compare runs a case in every runner and grades each step.
func compare(c benchCase, runners []runner, verbose bool) []row {
	var steps []string
	for s := range c.want {
		steps = append(steps, s)
	}
	slices.Sort(steps)
	rows := make([]row, len(steps)+1)
	rows[0] = row{feature: c.feature, step: c.workflow + " (workflow)", want: verdict(c.passed)}
	for i, s := range steps {
		rows[i+1] = row{feature: c.feature, step: s, want: shown(c.want[s])}
	}
	for _, r := range runners {
		o, err := runCase(r, c)
		if verbose {
			fmt.Fprintf(os.Stderr, "%s %s: %v %v %v\n", r.name, c.workflow, o.steps, o.passed, err)
		}
		if err != nil {
			for i := range rows {
				rows[i].got = append(rows[i].got, "✘ "+firstLine(err.Error()))
			}
			continue
		}
		rows[0].got = append(rows[0].got, grade(verdict(o.passed), verdict(c.passed)))
		for i, s := range steps {
			rows[i+1].got = append(rows[i+1].got, grade(shown(o.steps[s]), shown(c.want[s])))
		}
	}
	return rows
}

// runCase serves a fresh library and runs the case, with a hang guard.
func runCase(r runner, c benchCase) (outcome, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return outcome{}, err
	}
	srv := &http.Server{Handler: arazzotest.NewLibrary(c.faults), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	return r.run(ctx, c, "http://"+ln.Addr().String())
}

func verdict(passed bool) string {
	if passed {
		return "passes"
	}
	return "fails"
}

// shown writes a step's verdicts for the table.
func shown(v string) string {
	if v == "" {
		return "not run"
	}
	return v
}

// grade is a cell: ✔ when the runner did what is right, else ✘ and what
// it did.
func grade(got, want string) string {
	if got == want {
		return "✔"
	}
	return "✘ " + got
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}

// printTable writes the rows as Markdown, then the count of correct
// steps per runner.
func printTable(w *os.File, runners []runner, rows []row) {
	head := "| feature | workflow/step | expected |"
	sep := "|---|---|---|"
	for _, r := range runners {
		head += " " + r.name + " |"
		sep += "---|"
	}
	fmt.Fprintln(w, head)
	fmt.Fprintln(w, sep)
	correct := make([]int, len(runners))
	for _, r := range rows {
		fmt.Fprintf(w, "| %s | %s | %s |", r.feature, r.step, r.want)
		for i, g := range r.got {
			fmt.Fprintf(w, " %s |", strings.ReplaceAll(g, "|", `\|`))
			if g == "✔" {
				correct[i]++
			}
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
	for i, r := range runners {
		fmt.Fprintf(w, "%s: %d of %d correct\n", r.name, correct[i], len(rows))
	}
	fmt.Fprintln(w)
	printSummary(w, runners, rows)
}

// printSummary writes one line per feature: how many of its rows (the
// workflow's verdict and each step's) each runner got right.
func printSummary(w *os.File, runners []runner, rows []row) {
	head, sep := "| feature | rows |", "|---|---|"
	for _, r := range runners {
		head += " " + r.name + " |"
		sep += "---|"
	}
	fmt.Fprintln(w, head)
	fmt.Fprintln(w, sep)
	for i := 0; i < len(rows); {
		j := i
		for j < len(rows) && rows[j].feature == rows[i].feature {
			j++
		}
		fmt.Fprintf(w, "| %s | %d |", rows[i].feature, j-i)
		for k := range runners {
			n := 0
			for _, r := range rows[i:j] {
				if r.got[k] == "✔" {
					n++
				}
			}
			fmt.Fprintf(w, " %s |", map[bool]string{true: "✔", false: fmt.Sprintf("✘ %d/%d", n, j-i)}[n == j-i])
		}
		fmt.Fprintln(w)
		i = j
	}
}

// here is the folder of this program's sources.
func here() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "."
	}
	return filepath.Dir(file)
}

func defaultRespect() string {
	if p := os.Getenv("RESPECT"); p != "" {
		return p
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".cache", "callsheet-respect", "node_modules", ".bin", "redocly")
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "arazzo:", err)
	os.Exit(1)
}
