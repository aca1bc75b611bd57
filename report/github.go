package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/runner"
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
