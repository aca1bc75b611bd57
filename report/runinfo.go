package report

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/callsheet/callsheet/internal/atomicfile"
	"github.com/callsheet/callsheet/internal/shellquote"
	"github.com/callsheet/callsheet/runner"
)

// WriteFile writes a report atomically, creating its folder.
func WriteFile(file string, write Writer, results []*runner.Result) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(file, 0o644, func(w io.Writer) error { return write(w, results) })
}

// WriteFiles writes results as each of targets that names a file, in
// order (WriteFile), and says on w what it wrote; info is what an HTML
// report says about the run.
func WriteFiles(targets []Target, info RunInfo, results []*runner.Result, w io.Writer) error {
	for _, t := range targets {
		if t.File == "" {
			continue
		}
		format := write(t.Format)
		if t.Format == FormatHTML {
			format = HTMLWith(info)
		}
		if err := WriteFile(t.File, format, results); err != nil {
			return fmt.Errorf("write %v report %s: %w", t.Format, t.File, err)
		}
		fmt.Fprintf(w, "wrote %v report %s\n", t.Format, t.File)
	}
	return nil
}

// MergeSummary is the line that counts what was merged.
func MergeSummary(reports int, results []*runner.Result) string {
	n := map[runner.Outcome]int{}
	for _, r := range results {
		if r.Err != nil {
			n[runner.Errored]++
		}
		for _, s := range r.Steps {
			n[s.Outcome]++
		}
	}
	return fmt.Sprintf("merged %d reports: %d collection runs; %d passed, %d failed, %d errors, %d not run, %d skipped",
		reports, len(results), n[runner.Passed], n[runner.Failed], n[runner.Errored], n[runner.NotRun], n[runner.Skipped])
}

// NewRunInfo is what an HTML report says about a run of the command line
// args, by callsheet version, that started at start.
func NewRunInfo(args []string, start time.Time, version string) RunInfo {
	return RunInfo{Start: start, Version: version, Command: CommandLine(args), Machine: machine()}
}

// machine names this machine: its host name, system, Go version and CPUs.
func machine() string {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown host"
	}
	return fmt.Sprintf("%s (%s/%s, %s, %d CPUs)", host, runtime.GOOS, runtime.GOARCH, runtime.Version(), runtime.NumCPU())
}

// CommandLine is args as a shell would read them back, the program by its
// base name and the value of every --var masked: a --var may carry a
// secret, and reports show the command line.
func CommandLine(args []string) string {
	if len(args) == 0 {
		return ""
	}
	out := []string{shellquote.Quote(filepath.Base(args[0]))}
	isVar := false // the argument is the value of --var
	for _, a := range args[1:] {
		switch {
		case isVar:
			a = maskVar(a)
			isVar = false
		case a == "--var" || a == "-var":
			isVar = true
		case strings.HasPrefix(a, "--var=") || strings.HasPrefix(a, "-var="):
			flag, v, _ := strings.Cut(a, "=")
			a = flag + "=" + maskVar(v)
		}
		out = append(out, shellquote.Quote(a))
	}
	return strings.Join(out, " ")
}

// maskVar masks the value of a --var NAME=VALUE, or all of it when it
// has no name.
func maskVar(s string) string {
	if name, _, ok := strings.Cut(s, "="); ok {
		return name + "=" + runner.Mask
	}
	return runner.Mask
}
