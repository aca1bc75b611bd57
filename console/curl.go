package console

import (
	"github.com/callsheet/callsheet/convert"
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/runner"
)

// curlLines writes, under -vv, the curl command of each request: the
// request as sent (runner.StepResult.Exchange), printed as `callsheet
// export curl` prints it, with its secrets as shell variables.
type curlLines struct{}

// line returns the `$ curl …` line of step s, indented like the exchange,
// or "" when nothing was sent.
func (l *curlLines) line(s *runner.StepResult, st Style) string {
	// A step of an Arazzo workflow has no action: its request is built
	// outside the collection, and the exchange is all there is of it.
	if s.Exchange == nil || s.Step == nil || s.Step.Action != nil && s.Step.Request() == nil {
		return ""
	}
	p := &convert.CurlPrinter{Dir: convert.CollectionDir(s.Step.Pos.File)}
	return "    " + st.Dim("$ "+safetext.Line(p.Command(&s.Exchange.Request, s.Step))) + "\n"
}
