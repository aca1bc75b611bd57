package cmd

import (
	"sync"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/convert"
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/runner"
)

// curlLines writes, under -vv, the curl command of each request: the same
// line `callsheet export curl` prints, with the values captured so far
// filled in and secrets left as shell variables.
type curlLines struct {
	opts convert.CurlOptions
	mu   sync.Mutex
	exps map[*collections.Collection]*convert.CurlExporter
}

// newCurlLines prepares curl lines for runs with the options ro.
func newCurlLines(ro runner.Options) *curlLines {
	return &curlLines{
		opts: convert.CurlOptions{Vars: ro.Vars, Secrets: ro.Secrets, LookupEnv: ro.LookupEnv},
		exps: map[*collections.Collection]*convert.CurlExporter{},
	}
}

// line returns the `$ curl …` line of step s of collection c, indented
// like the exchange, or "" when nothing was sent; it then records the
// step's captures for the steps after it.
func (l *curlLines) line(c *collections.Collection, s *runner.StepResult, st style) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.exps[c]
	if e == nil {
		e = convert.NewCurlExporter(c, l.opts)
		l.exps[c] = e
	}
	out := ""
	if s.Request != nil && s.Step != nil && s.Step.Request != nil {
		if cmd, err := e.Command(s.Step); err == nil {
			out = "    " + st.dim("$ "+safetext.Line(cmd)) + "\n"
		}
	}
	for _, cp := range s.Captures {
		if !cp.Value.Missing {
			e.SetCapture(cp.Name, cp.Value.Value, cp.Secret)
		}
	}
	return out
}
