package cmd

import (
	"errors"

	"github.com/callsheet/callsheet/report"
	"github.com/callsheet/callsheet/runner"
)

// reportStreams are the --report-* files of a run, written while it goes
// on: each step goes to its collection's parts as it ends, and each result
// is added as soon as it is printed, in the order of the output, then
// compacted (retain.go), so a long run's reports hold neither its results
// nor its steps in memory. A nil *reportStreams writes nothing.
type reportStreams struct {
	streams []report.Stream
	err     error // the first error of an Add
}

// openReports starts the reports o asks for; the HTML report shows info
// about the run. Their folders must exist: the run fails before it starts
// rather than after.
func openReports(o *ciOptions, info report.RunInfo) (*reportStreams, error) {
	s := &reportStreams{}
	for _, r := range []struct {
		file   string
		format report.Format
	}{
		{o.junit, report.FormatJUnit},
		{o.json, report.FormatJSON},
		{o.tap, report.FormatTAP},
		{o.html, report.FormatHTML},
	} {
		if r.file == "" {
			continue
		}
		var st report.Stream
		var err error
		if r.format == report.FormatHTML {
			st, err = report.CreateHTML(r.file, info)
		} else {
			st, err = report.Create(r.format, r.file)
		}
		if err != nil {
			s.discard()
			return nil, err
		}
		s.streams = append(s.streams, st)
	}
	return s, nil
}

// reportParts are one collection run's parts of every report: each step
// goes to them as it ends (step), so that the run need not keep it.
type reportParts []*report.Part

// parts starts the parts of one run of the collection in file. It may be
// called from the goroutine that runs the collection.
func (s *reportStreams) parts(file string) reportParts {
	if s == nil {
		return nil
	}
	ps := make(reportParts, len(s.streams))
	for i, st := range s.streams {
		ps[i] = st.Part(file)
	}
	return ps
}

// step writes sr's piece of every report. A write error is kept by the
// part and returned when it is added.
func (ps reportParts) step(sr *runner.StepResult) {
	for _, p := range ps {
		p.Step(sr)
	}
}

// add writes res's part of every report, from the steps ps were given
// (from res.Steps when ps is nil: a collection that did not run). The
// first error is kept for close: the run goes on and the other reports
// are still written.
func (s *reportStreams) add(res *runner.Result, ps reportParts) {
	if s == nil {
		return
	}
	for i, st := range s.streams {
		var p *report.Part
		if ps != nil {
			p = ps[i]
		}
		if err := st.Add(res, p); err != nil && s.err == nil {
			s.err = err
		}
	}
}

// close writes every report and returns the errors met.
func (s *reportStreams) close() error {
	if s == nil {
		return nil
	}
	errs := []error{s.err}
	for _, st := range s.streams {
		if err := st.Close(); err != s.err {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// discard removes the reports' temporary files without writing them, for
// a run that ends on an error before its reports are closed; it does
// nothing to those closed.
func (s *reportStreams) discard() {
	if s == nil {
		return
	}
	for _, st := range s.streams {
		st.Discard()
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
