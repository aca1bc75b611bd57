package session

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/callsheet/callsheet/arazzo"
	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/messaging"
	"github.com/callsheet/callsheet/runner"
)

// flowRun is one run of a workflow: the arazzo engine's Sender, which
// sends through the runner, its Messenger, which sends and receives
// through hub, and the receiver of its step results, which it turns into
// the runner's.
type flowRun struct {
	f   *flow
	x   *runner.Exec
	hub *messaging.Hub
	// sent are the requests sent and not yet reported by the engine.
	sent map[*arazzo.Request]sent
	// steps are the collection's steps by Arazzo step, those of other
	// workflows (dependencies, calls) added as they run.
	steps map[*arazzo.Step]*collections.Step
	// ran names the steps of the workflow that gave a result.
	ran map[string]bool
	// failed counts the results that failed or errored.
	failed int
	// waited is what the receive step running waits for, nil after its
	// result.
	waited *arazzo.Subscription
}

// sent is a request sent: its result so far, and the transport error.
type sent struct {
	sr  *runner.StepResult
	err error
}

// Send sends req through the runner, with the auth profile of its step.
func (a *flowRun) Send(ctx context.Context, req *arazzo.Request) (*arazzo.Response, error) {
	sr := &runner.StepResult{Step: a.stepFor(req.Step)}
	out := &exchange.Request{Method: req.Method, URL: req.URL, Body: req.Body, BodySize: int64(len(req.Body))}
	for _, f := range req.Header {
		out.Header = append(out.Header, exchange.Field{Name: f.Name, Value: f.Value})
	}
	resp, err := a.x.Send(ctx, sr, out)
	a.sent[req] = sent{sr, err}
	if err != nil {
		return nil, err
	}
	return &arazzo.Response{StatusCode: resp.Status, Header: resp.Header.HTTP(), Body: resp.Body}, nil
}

// stepFor is the collection's step of s, made for a step of another
// workflow the first time it runs.
func (a *flowRun) stepFor(s *arazzo.Step) *collections.Step {
	if s == nil {
		return &collections.Step{}
	}
	if cs, ok := a.steps[s]; ok {
		return cs
	}
	cs := &collections.Step{Pos: a.f.pos(s.Pos), Name: stepName(s), Auth: a.f.profiles[s]}
	a.steps[s] = cs
	return cs
}

// stepName names a step of another workflow "workflowId › stepId".
func stepName(s *arazzo.Step) string {
	if w := s.Workflow(); w != nil {
		return w.ID + " › " + s.ID
	}
	return s.ID
}

// step turns the engine's result of a step run into the runner's: the
// exchange sent, the success criteria as checks, the outcome. A failure
// that a retry or goto action handles is not the workflow's failure: its
// result is Skipped, saying what the action did. The step's outputs are
// kept as captures, secret when their value is a secret or their name
// says so.
func (a *flowRun) step(as *arazzo.StepResult) {
	var sr *runner.StepResult
	var sendErr error
	if as.Request != nil {
		s := a.sent[as.Request]
		delete(a.sent, as.Request)
		sr, sendErr = s.sr, s.err
	}
	if sr == nil {
		sr = &runner.StepResult{}
	}
	if as.Message != nil {
		sr.Message = messageOf(as.Message)
		waited(sr.Message, a.waited)
	}
	a.waited = nil
	st := a.stepOf(as)
	sr.Step, sr.Name, sr.Pos, sr.Duration = st, st.Name, st.Pos, as.Duration
	if as.Attempt > 1 {
		sr.Name += " [attempt " + strconv.Itoa(as.Attempt) + "]"
	}
	sr.Checks = a.checks(as.Criteria)
	a.setOutcome(sr, as, sendErr)
	a.outputs(sr, as)
	if as.Workflow == a.f.workflow.ID && a.f.workflow.Step(as.Step) != nil {
		a.ran[as.Step] = true
	}
	a.x.Finish(sr)
}

// outputs keeps the outputs of a step run as captures named
// stepId.output (workflowId.stepId.output for a step of another
// workflow), and shows them in sr as the captures of a collection's step
// are shown. An output is secret when its value is a secret the run
// knows or its name says so (secretName).
func (a *flowRun) outputs(sr *runner.StepResult, as *arazzo.StepResult) {
	var pos map[string]collections.Pos
	prefix := as.Workflow + "." + as.Step + "."
	if s := a.f.workflow.Step(as.Step); s != nil && as.Workflow == a.f.workflow.ID {
		prefix, pos = as.Step+".", map[string]collections.Pos{}
		for _, o := range s.Outputs {
			pos[o.Name] = a.f.pos(o.Pos)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(as.Outputs)) {
		v := typed(as.Outputs[name])
		secret := a.x.IsSecret(v) || secretName(name)
		a.x.Capture(prefix+name, v, secret)
		sr.Captures = append(sr.Captures, &runner.CaptureResult{Pos: pos[name], Name: name, Value: runner.Typed{Value: v}, Secret: secret})
	}
}

// stepOf is the collection's step of a result.
func (a *flowRun) stepOf(as *arazzo.StepResult) *collections.Step {
	if as.Workflow == a.f.workflow.ID {
		if s := a.f.workflow.Step(as.Step); s != nil {
			return a.stepFor(s)
		}
	}
	for s, cs := range a.steps {
		if s.ID == as.Step && s.Workflow() != nil && s.Workflow().ID == as.Workflow {
			return cs
		}
	}
	return &collections.Step{Pos: a.f.pos(as.Pos), Name: as.Workflow + " › " + as.Step}
}

// setOutcome sets the outcome of sr, the result of as, whose request got no
// response when sendErr is set.
func (a *flowRun) setOutcome(sr *runner.StepResult, as *arazzo.StepResult, sendErr error) {
	handled := as.Action != nil && (as.Action.Type == arazzo.ActionRetry || as.Action.Type == arazzo.ActionGoto)
	switch {
	case as.Passed:
		sr.Outcome = runner.Passed
		return
	case handled:
		sr.Outcome, sr.SkipReason = runner.Skipped, handledReason(as, sendErr)
		sr.Err = firstErr(sendErr, as.Err) // masked by Finish; the reason is plain
		return
	case sendErr != nil:
		sr.Outcome, sr.Err = runner.Errored, sendErr
	case as.Err != nil:
		sr.Outcome, sr.Err = runner.Errored, as.Err
	case as.Called != nil && as.Called.Err != nil:
		sr.Outcome, sr.Err = runner.Failed, fmt.Errorf("workflow %q failed: %w", as.Called.Workflow, as.Called.Err)
	default:
		sr.Outcome = runner.Failed
		if as.Called != nil {
			sr.Err = fmt.Errorf("workflow %q failed", as.Called.Workflow)
		}
	}
	a.failed++
}

// handledReason says what the failure action of a failed step did, and
// why the step failed, in words that hold no value of the run (a skip
// reason is not masked).
func handledReason(as *arazzo.StepResult, sendErr error) string {
	why := "success criteria failed"
	switch {
	case sendErr != nil:
		why = "no response"
	case as.Request == nil && as.Called == nil && errors.Is(as.Err, context.DeadlineExceeded):
		why = "no message in time"
	case as.Err != nil:
		why = "error"
	case as.Called != nil:
		why = fmt.Sprintf("workflow %q failed", as.Called.Workflow)
	}
	act := as.Action
	if act.Type == arazzo.ActionRetry {
		return fmt.Sprintf("%s: retried by failure action %q", why, act.Name)
	}
	return fmt.Sprintf("%s: failure action %q goes to %s", why, act.Name, act.Target)
}

// firstErr is the first error that is not nil.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// notReached reports the steps of the workflow that gave no result as
// not run.
func (a *flowRun) notReached() {
	for _, s := range a.f.coll.Steps {
		if !a.ran[s.Name] {
			a.x.Finish(&runner.StepResult{Name: s.Name, Pos: s.Pos, Step: s, Outcome: runner.NotRun})
		}
	}
}

// outcome is the error of a workflow that failed without a step result
// saying so (inputs, a dependency, outputs that cannot be evaluated, a
// failure action's workflow): nil when it passed or a step failed.
func (a *flowRun) outcome(res *arazzo.WorkflowResult) error {
	switch {
	case res.Passed, a.failed > 0:
		return nil
	case res.Err != nil:
		return fmt.Errorf("workflow %q (%s): %w", res.Workflow, res.Pos, res.Err)
	case res.Failed != nil:
		return fmt.Errorf("workflow %q (%s) failed at step %q", res.Workflow, res.Pos, res.Failed.Step)
	}
	return fmt.Errorf("workflow %q (%s) failed", res.Workflow, res.Pos)
}

// checks are the results of success criteria as the runner's checks: the
// condition is the subject; a comparison keeps its operator and its
// actual and expected values.
func (a *flowRun) checks(crs []arazzo.CriterionResult) []*runner.CheckResult {
	var out []*runner.CheckResult
	for _, c := range crs {
		ch := &runner.CheckResult{Pos: a.f.pos(c.ConditionPos), Subject: c.Condition, Passed: c.Passed, Message: c.Message}
		if c.Type != arazzo.CriterionSimple {
			ch.Subject = c.Type + " " + c.Condition
		}
		if op, ok := criterionOps[c.Op]; ok {
			ch.Op, ch.Actual, ch.Expected = op, runner.Typed{Value: typed(c.Actual)}, runner.Typed{Value: typed(c.Expected)}
		}
		if ch.Op == "" && c.Trace != "" && c.Trace != c.Condition {
			ch.Details = append(ch.Details, "evaluated: "+c.Trace)
		}
		if c.Op == "selects" && !c.Passed && c.Message == "" {
			ch.Message = "selects nothing"
		}
		out = append(out, ch)
	}
	return out
}

// criterionOps are the runner's predicates of the comparisons of
// criteria.
var criterionOps = map[string]collections.Op{
	"==": collections.OpEq, "!=": collections.OpNe, ">": collections.OpGt, ">=": collections.OpGte,
	"<": collections.OpLt, "<=": collections.OpLte, "matches": collections.OpMatches,
}

// typed is a copy of v, a value of the arazzo package, with the types of
// the runner's values: integers are int64 (or *big.Int), decimals float64
// or eval.Decimal, as a response's JSON gives them.
func typed(v any) any {
	switch t := v.(type) {
	case int:
		return int64(t)
	case json.Number:
		if n, err := eval.ParseNumber(string(t)); err == nil {
			return n
		}
		return string(t)
	case []any:
		out := make([]any, len(t))
		for i, it := range t {
			out[i] = typed(it)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, it := range t {
			out[k] = typed(it)
		}
		return out
	}
	return v
}

// secretName reports whether an output's name says it holds a secret:
// a token, a secret, a password, an API key or an authorization code
// (access_token, client_secret, code).
func secretName(name string) bool {
	lower := strings.ToLower(name)
	switch lower {
	case "code", "authorization_code", "auth_code":
		return true
	}
	for _, w := range []string{"token", "secret", "password", "apikey", "api_key"} {
		if strings.HasSuffix(lower, w) {
			return true
		}
	}
	return false
}
