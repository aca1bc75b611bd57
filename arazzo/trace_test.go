package arazzo

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/callsheet/callsheet/arazzo/expr"
)

// tracer records what an engine reports as text for golden files, with
// the server's URL replaced by <server>.
type tracer struct {
	server string
	b      strings.Builder
}

func (tr *tracer) clean(s string) string {
	if tr.server == "" {
		return s
	}
	return strings.ReplaceAll(s, tr.server, "<server>")
}

func (tr *tracer) step(sr *StepResult) {
	mark := "FAIL"
	if sr.Passed {
		mark = "pass"
	}
	fmt.Fprintf(&tr.b, "%s %s/%s #%d (%s)\n", mark, sr.Workflow, sr.Step, sr.Attempt, posText(sr.Pos))
	if req := sr.Request; req != nil {
		fmt.Fprintf(&tr.b, "  > %s %s\n", req.Method, tr.clean(req.URL))
		for _, f := range req.Header {
			fmt.Fprintf(&tr.b, "  > %s: %s\n", f.Name, f.Value)
		}
		if req.Body != nil {
			fmt.Fprintf(&tr.b, "  > %s\n", strings.ReplaceAll(string(req.Body), "\n", "\n  > "))
		}
	}
	if sr.Response != nil {
		fmt.Fprintf(&tr.b, "  < %d %s\n", sr.Response.StatusCode, tr.clean(strings.TrimSpace(string(sr.Response.Body))))
	}
	if sr.Called != nil {
		fmt.Fprintf(&tr.b, "  called %s: passed=%v\n", sr.Called.Workflow, sr.Called.Passed)
	}
	for _, c := range sr.Criteria {
		tr.criterion(c)
	}
	if sr.Err != nil {
		fmt.Fprintf(&tr.b, "  error: %s\n", tr.clean(sr.Err.Error()))
	}
	if len(sr.Outputs) > 0 {
		fmt.Fprintf(&tr.b, "  outputs %s\n", tr.clean(jsonText(sr.Outputs)))
	}
	if a := sr.Action; a != nil {
		fmt.Fprintf(&tr.b, "  action %s %q", a.Type, a.Name)
		if a.Target != "" {
			fmt.Fprintf(&tr.b, " -> %s", a.Target)
		}
		if a.Delay > 0 {
			fmt.Fprintf(&tr.b, " after %v", a.Delay)
		}
		if a.Reference != "" {
			fmt.Fprintf(&tr.b, " (%s)", a.Reference)
		}
		tr.b.WriteString("\n")
	}
}

func (tr *tracer) criterion(c CriterionResult) {
	mark := "✘"
	if c.Passed {
		mark = "✔"
	}
	fmt.Fprintf(&tr.b, "  %s %s %s (%s)", mark, c.Type, c.Condition, posText(c.ConditionPos))
	if c.Trace != "" && c.Trace != c.Condition {
		fmt.Fprintf(&tr.b, " [%s]", tr.clean(c.Trace))
	}
	if c.Op != "" {
		fmt.Fprintf(&tr.b, " actual %s, %s %s", tr.clean(expr.Literal(c.Actual)), c.Op, expr.Literal(c.Expected))
	}
	if c.Message != "" {
		fmt.Fprintf(&tr.b, ": %s", tr.clean(c.Message))
	}
	tr.b.WriteString("\n")
}

func (tr *tracer) workflow(wr *WorkflowResult) {
	mark := "FAIL"
	if wr.Passed {
		mark = "PASS"
	}
	fmt.Fprintf(&tr.b, "%s workflow %s: %d step runs", mark, wr.Workflow, wr.Steps)
	if wr.Ended != nil {
		fmt.Fprintf(&tr.b, ", ended by %q", wr.Ended.Name)
	}
	if wr.Failed != nil {
		fmt.Fprintf(&tr.b, ", failed at %s #%d", wr.Failed.Step, wr.Failed.Attempt)
	}
	tr.b.WriteString("\n")
	if len(wr.Inputs) > 0 {
		fmt.Fprintf(&tr.b, "  inputs %s\n", jsonText(wr.Inputs))
	}
	if len(wr.Outputs) > 0 {
		fmt.Fprintf(&tr.b, "  outputs %s\n", tr.clean(jsonText(wr.Outputs)))
	}
	if wr.Err != nil {
		fmt.Fprintf(&tr.b, "  error: %s\n", tr.clean(wr.Err.Error()))
	}
}

func posText(p Pos) string {
	return fmt.Sprintf("%d:%d", p.Line, p.Col)
}

// jsonText renders a value as JSON with sorted keys.
func jsonText(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprintf("%v", v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}
