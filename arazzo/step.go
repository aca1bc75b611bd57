package arazzo

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// attempt runs a step once: it builds and sends the request (or calls the
// workflow), checks the success criteria and, when they pass, evaluates
// the outputs. fatal reports an error no failure action can remedy: a
// value that cannot be evaluated, an unsupported step, an unmet
// dependsOn.
func (r *run) attempt(st *workflowState, s *Step) (sr *StepResult, sc *stepContext, fatal bool) {
	st.runs[s]++
	sr = &StepResult{Workflow: st.w.ID, Step: s.ID, Pos: s.Pos, Attempt: st.runs[s]}
	sc = &stepContext{run: r, st: st}
	start := r.e.now()
	defer func() { sr.Duration = r.e.now().Sub(start) }()
	if err := r.checkDependsOn(st, s); err != nil {
		sr.Err = err
		return sr, sc, true
	}
	ctx := r.ctx
	if s.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.Timeout)
		defer cancel()
	}
	if fatal = r.call(ctx, st, s, sr, sc); fatal || sr.Err != nil {
		return sr, sc, fatal
	}
	sr.Passed = true
	for _, c := range s.SuccessCriteria {
		cr := c.evaluate(sc)
		sr.Criteria = append(sr.Criteria, cr)
		sr.Passed = sr.Passed && cr.Passed
	}
	if sr.Called != nil && !sr.Called.Passed {
		sr.Passed = false
	}
	if !sr.Passed {
		return sr, sc, false
	}
	if err := r.stepOutputs(st, s, sr, sc); err != nil {
		sr.Passed, sr.Err = false, err
		return sr, sc, true
	}
	return sr, sc, false
}

// call sends the step's request, or runs the workflow it calls, filling
// the result and context. It reports whether an error is fatal.
func (r *run) call(ctx context.Context, st *workflowState, s *Step, sr *StepResult, sc *stepContext) bool {
	switch {
	case s.Target.Kind == CallWorkflow:
		return r.callStep(st, s, sr, sc)
	case st.d.channels[s] != nil:
		return r.message(ctx, st, s, sr, sc)
	case st.d.ops[s] == nil:
		sr.Err = fmt.Errorf("step %q: %w: its operation was not resolved", s.ID, ErrUnsupported)
		return true
	}
	op := st.d.ops[s]
	req, err := buildRequest(sc, st, s, op)
	if err != nil {
		sr.Err = fmt.Errorf("step %q: %w", s.ID, err)
		return true
	}
	sr.Request, sc.req = req, req
	resp, err := r.e.Sender.Send(ctx, req)
	if err != nil {
		sr.Err = fmt.Errorf("step %q: %s %s: %w", s.ID, req.Method, req.URL, err)
		return false
	}
	sr.Response, sc.resp = resp, resp
	return false
}

// callStep runs the workflow a step calls, its parameters being the
// workflow's inputs.
func (r *run) callStep(st *workflowState, s *Step, sr *StepResult, sc *stepContext) bool {
	dd, dw := st.d.workflow(s.Target.Workflow)
	if dw == nil {
		sr.Err = fmt.Errorf("step %q: workflow %s cannot be found", s.ID, s.Target.Text)
		return true
	}
	given, err := parameterInputs(mergeParameters(st.w.Parameters, s.Parameters), sc)
	if err != nil {
		sr.Err = fmt.Errorf("step %q: %w", s.ID, err)
		return true
	}
	inputs, err := prepareInputs(dw, given, false)
	sr.Called = r.workflow(dd, dw, inputs, err, st.depth+1)
	sc.called = sr.Called
	return false
}

// parameterInputs evaluates parameters into workflow inputs by name.
func parameterInputs(params []*Parameter, sc *stepContext) (map[string]any, error) {
	out := map[string]any{}
	for _, p := range params {
		v, err := p.Value.eval(sc)
		if err != nil {
			return nil, fmt.Errorf("parameter %q (%s): %w", p.Name, p.Pos, err)
		}
		out[p.Name] = plain(v)
	}
	return out, nil
}

// stepOutputs evaluates the outputs of a step that passed and records
// them, with the step's completion.
func (r *run) stepOutputs(st *workflowState, s *Step, sr *StepResult, sc *stepContext) error {
	out := map[string]any{}
	for _, o := range s.Outputs {
		v, err := o.Value.eval(sc)
		if err != nil {
			return fmt.Errorf("step %q: output %q (%s): %w", s.ID, o.Name, o.Pos, err)
		}
		out[o.Name] = plain(v)
	}
	sr.Outputs = out
	st.stepOutputs[s.ID] = out
	st.completed[s.ID] = true
	r.completed[stepKey{st.d, st.w.ID, s.ID}] = true
	delete(st.retries, s)
	return nil
}

// retryDelay is the wait before a retry: the response's Retry-After
// (seconds or an HTTP date) when it has one, capped by MaxRetryDelay,
// else the action's retryAfter.
func (r *run) retryDelay(a *Action, resp *Response) time.Duration {
	if resp == nil {
		return a.RetryAfter
	}
	h := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if h == "" {
		return a.RetryAfter
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(h, 10, 64); err == nil && secs >= 0 {
		d = time.Duration(min(secs, int64(r.e.maxRetryDelay()/time.Second)+1)) * time.Second
	} else if t, err := http.ParseTime(h); err == nil {
		d = max(t.Sub(r.e.now()), 0)
	} else {
		return a.RetryAfter
	}
	return min(d, r.e.maxRetryDelay())
}
