package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/runner"
	"github.com/callsheet/callsheet/session"
)

// GitHubAnnotations writes one `::error file=…,line=…,col=…,title=…::message`
// workflow command per problem of a failed or errored step, so that GitHub
// Actions shows it on the pull request's diff. Every value is escaped as
// the workflow-command syntax requires (%, CR and LF in the message; also
// ":" and "," in properties), so response text can never end the command
// early or start another.
func GitHubAnnotations(w io.Writer, results []*runner.Result) error {
	bw := bufio.NewWriter(w)
	for _, r := range results {
		if r.Err != nil {
			fmt.Fprintf(bw, "::error file=%s,title=%s::%s\n", ghProperty(r.File), ghProperty(r.Name), ghData(r.Err.Error()))
		}
		for _, s := range r.Steps {
			for _, p := range problems(s) {
				file := p.Pos.File
				if file == "" {
					file = r.File
				}
				props := "file=" + ghProperty(file)
				if p.Pos.Line > 0 {
					props += fmt.Sprintf(",line=%d", p.Pos.Line)
				}
				if p.Pos.Col > 0 {
					props += fmt.Sprintf(",col=%d", p.Pos.Col)
				}
				props += ",title=" + ghProperty(r.Name+" / "+s.Name)
				fmt.Fprintf(bw, "::error %s::%s\n", props, ghData(p.Title))
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write GitHub annotations: %w", err)
	}
	return nil
}

// The escapes of workflow-command messages and property values.
var (
	ghDataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// ghData escapes the message of a workflow command.
func ghData(s string) string { return ghDataEscaper.Replace(safetext.Report(s)) }

// ghProperty escapes a property value of a workflow command.
func ghProperty(s string) string { return ghPropertyEscaper.Replace(safetext.Report(s)) }

// Annotations writes the GitHub Actions annotations of a session's results
// at its end (GitHubAnnotations), keeping of each result meanwhile only
// what did not pass. It is a session.Consumer.
type Annotations struct {
	w       io.Writer
	results []*runner.Result
}

// NewAnnotations returns the annotations of a session, to be written to w.
func NewAnnotations(w io.Writer) *Annotations { return &Annotations{w: w} }

// Start returns the annotations' part of u: its result's problems.
func (a *Annotations) Start(*session.Unit) session.Run { return session.ResultFunc(a.add) }

// Needs is nothing: annotations are made from the steps that did not
// pass, which every result holds.
func (a *Annotations) Needs() runner.Needs { return runner.Needs{} }

// add keeps the error and the failed and errored steps of res.
func (a *Annotations) add(res *runner.Result) {
	var steps []*runner.StepResult
	for _, s := range res.Steps {
		if s.Outcome == runner.Failed || s.Outcome == runner.Errored {
			steps = append(steps, s)
		}
	}
	if res.Err != nil || len(steps) > 0 {
		a.results = append(a.results, &runner.Result{Name: res.Name, File: res.File, Err: res.Err, Steps: steps})
	}
}

// End writes the annotations.
func (a *Annotations) End() error { return GitHubAnnotations(a.w, a.results) }
