package arazzo

import (
	"context"
	"fmt"
	"slices"
)

// workflowKey names a workflow across documents.
type workflowKey struct {
	d  *Description
	id string
}

// stepKey names a step across documents.
type stepKey struct {
	d              *Description
	workflow, step string
}

// run is the state of one Engine.Run: what has run so far.
type run struct {
	e      *Engine
	ctx    context.Context
	inputs map[string]any
	// done holds the latest result of each workflow, which $workflows
	// expressions and dependsOn read.
	done map[workflowKey]*WorkflowResult
	// completed holds the steps that passed, which steps' dependsOn read.
	completed map[stepKey]bool
	stepRuns  int
}

// workflowState is the state of one run of a workflow.
type workflowState struct {
	d      *Description
	w      *Workflow
	depth  int
	inputs map[string]any
	// outputs are the workflow's outputs, filled when it ends.
	outputs     map[string]any
	stepOutputs map[string]map[string]any
	completed   map[string]bool
	runs        map[*Step]int
	retries     map[*Step]map[string]int
	res         *WorkflowResult
}

// topLevel runs a workflow that takes the Run's inputs: the one asked
// for, or one it depends on.
func (r *run) topLevel(d *Description, w *Workflow, depth int) *WorkflowResult {
	inputs, err := prepareInputs(w, r.inputs, true)
	return r.workflow(d, w, inputs, err, depth)
}

// workflow runs w with prepared inputs; inputErr is why they could not be
// prepared.
func (r *run) workflow(d *Description, w *Workflow, inputs map[string]any, inputErr error, depth int) *WorkflowResult {
	res := &WorkflowResult{Workflow: w.ID, Pos: w.Pos, Inputs: inputs}
	if w.Inputs != nil {
		res.SecretInputs = w.Inputs.Secret
	}
	r.done[workflowKey{d, w.ID}] = res // $workflows reads its inputs while it runs
	defer func() {
		if r.e.OnWorkflow != nil {
			r.e.OnWorkflow(res)
		}
	}()
	switch {
	case inputErr != nil:
		res.Err = inputErr
		return res
	case depth > MaxCallDepth:
		res.Err = fmt.Errorf("workflows call each other more than %d deep", MaxCallDepth)
		return res
	}
	if res.Err = r.dependencies(d, w, depth); res.Err != nil {
		return res
	}
	st := &workflowState{d: d, w: w, depth: depth, inputs: inputs, outputs: map[string]any{},
		stepOutputs: map[string]map[string]any{}, completed: map[string]bool{},
		runs: map[*Step]int{}, retries: map[*Step]map[string]int{}, res: res}
	r.steps(st)
	return res
}

// dependencies runs the workflows w depends on that have not passed yet.
func (r *run) dependencies(d *Description, w *Workflow, depth int) error {
	for _, ref := range w.DependsOn {
		dd, dw := d.workflow(ref)
		if dw == nil {
			return fmt.Errorf("dependency %s cannot be found", ref.Text)
		}
		if prev := r.done[workflowKey{dd, dw.ID}]; prev != nil && prev.Passed {
			continue
		}
		if res := r.topLevel(dd, dw, depth+1); !res.Passed {
			return fmt.Errorf("workflow %q depends on %q, which failed", w.ID, ref.Text)
		}
	}
	return nil
}

// workflow finds the workflow a reference names, in d or in one of its
// Arazzo source descriptions.
func (d *Description) workflow(ref *WorkflowRef) (*Description, *Workflow) {
	if ref.Source == "" {
		return d, d.Document.Workflow(ref.ID)
	}
	rs := d.sources[ref.Source]
	if rs == nil || rs.arazzo == nil {
		return nil, nil
	}
	return rs.arazzo, rs.arazzo.Document.Workflow(ref.ID)
}

// decision kinds: what happens after a step.
const (
	nextStep = iota
	jumpStep
	endWorkflow
	gotoWorkflow
	failWorkflow
	abortWorkflow
)

// decision is what happens after a step.
type decision struct {
	kind   int
	step   *Step
	action *Action
	// result is the step result the decision comes from.
	result *StepResult
	sc     *stepContext
	err    error
}

// steps runs the steps of a workflow until they run out, an action ends
// the workflow or jumps out of it, or a step fails.
func (r *run) steps(st *workflowState) {
	order := st.w.order
	if order == nil {
		order = st.w.Steps
	}
	for i := 0; i < len(order); {
		d := r.step(st, order[i])
		switch d.kind {
		case nextStep:
			i++
			continue
		case jumpStep:
			i = slices.Index(order, d.step)
			continue
		case endWorkflow:
			st.res.Passed = d.result.Passed
			st.res.Ended = d.result.Action
			if !d.result.Passed {
				st.res.Failed = d.result
			}
			r.outputs(st, true)
		case gotoWorkflow:
			r.gotoWorkflow(st, d)
		case failWorkflow:
			st.res.Failed = d.result
		case abortWorkflow:
			st.res.Err = d.err
		}
		return
	}
	st.res.Passed = true
	r.outputs(st, false)
}

// gotoWorkflow hands control to another workflow for good: the current one
// ends with that workflow's outcome.
func (r *run) gotoWorkflow(st *workflowState, d decision) {
	sub := r.callAction(st, d.action, d.sc)
	st.res.Passed = sub != nil && sub.Passed
	st.res.Ended = d.result.Action
	if !st.res.Passed {
		st.res.Failed = d.result
	}
	r.outputs(st, true)
}

// callAction runs the workflow an action names, with the action's
// parameters as inputs. It returns nil when the workflow cannot be found.
func (r *run) callAction(st *workflowState, a *Action, sc *stepContext) *WorkflowResult {
	dd, dw := st.d.workflow(a.Workflow)
	if dw == nil {
		return nil
	}
	given, err := parameterInputs(a.Parameters, sc)
	var inputs map[string]any
	if err == nil {
		inputs, err = prepareInputs(dw, given, false)
	}
	return r.workflow(dd, dw, inputs, err, st.depth+1)
}

// outputs evaluates the workflow's outputs. After an end action
// (partial) the outputs that name nothing are left out; otherwise such an
// output fails the workflow.
func (r *run) outputs(st *workflowState, partial bool) {
	sc := &stepContext{run: r, st: st}
	for _, o := range st.w.Outputs {
		v, err := o.Value.eval(sc)
		if err != nil {
			if partial {
				continue
			}
			st.res.Passed = false
			st.res.Err = fmt.Errorf("output %q (%s): %w", o.Name, o.Pos, err)
			return
		}
		st.outputs[o.Name] = plain(v)
	}
	st.res.Outputs = st.outputs
}

// step runs a step, again while a retry action applies, and returns what
// happens next.
func (r *run) step(st *workflowState, s *Step) decision {
	for {
		if r.stepRuns >= r.e.maxStepRuns() {
			return decision{kind: abortWorkflow, err: fmt.Errorf("more than %d step runs: a goto loop?", r.e.maxStepRuns())}
		}
		r.stepRuns++
		st.res.Steps++
		sr, sc, fatal := r.attempt(st, s)
		d := r.decide(st, s, sr, sc, fatal)
		if d.action == nil || d.action.Type != ActionRetry {
			r.report(sr)
			return d
		}
		if d = r.retry(st, s, d); d.kind != nextStep {
			return d
		}
	}
}

func (r *run) report(sr *StepResult) {
	if r.e.OnStep != nil {
		r.e.OnStep(sr)
	}
}

// decide chooses what follows a step run: the first applicable action of
// the step's, then the workflow's, success or failure actions. A retry
// action whose limit is spent no longer applies, so later actions may.
func (r *run) decide(st *workflowState, s *Step, sr *StepResult, sc *stepContext, fatal bool) decision {
	d := decision{result: sr, sc: sc}
	actions := mergeActions(st.w.SuccessActions, s.OnSuccess)
	if !sr.Passed {
		if fatal {
			d.kind = failWorkflow
			return d
		}
		actions = mergeActions(st.w.FailureActions, s.OnFailure)
	}
	for _, a := range actions {
		if a.Type == ActionRetry && st.retries[s][a.Name] >= a.RetryLimit {
			continue
		}
		if criteriaPass(a.Criteria, sc) {
			return r.apply(st, a, d)
		}
	}
	d.kind = nextStep
	if !sr.Passed {
		d.kind = failWorkflow
	}
	return d
}

// apply turns the chosen action into a decision.
func (r *run) apply(st *workflowState, a *Action, d decision) decision {
	d.action = a
	d.result.Action = &ActionResult{Name: a.Name, Type: a.Type, Pos: a.Pos, Target: a.StepID, Reference: a.Reference}
	if a.Workflow != nil {
		d.result.Action.Target = a.Workflow.Text
	}
	switch {
	case a.Type == ActionEnd:
		d.kind = endWorkflow
	case a.Type == ActionGoto && a.StepID != "":
		d.kind, d.step = jumpStep, st.w.Step(a.StepID)
	case a.Type == ActionGoto:
		d.kind = gotoWorkflow
	}
	return d
}

// retry waits, runs the step or workflow the retry action names, and
// reports whether the step may run again (nextStep) or what happens
// instead.
func (r *run) retry(st *workflowState, s *Step, d decision) decision {
	a := d.action
	if st.retries[s] == nil {
		st.retries[s] = map[string]int{}
	}
	st.retries[s][a.Name]++
	delay := r.retryDelay(a, d.result.Response)
	d.result.Action.Delay = delay
	r.report(d.result)
	if err := r.e.sleep(r.ctx, delay); err != nil {
		return decision{kind: abortWorkflow, err: fmt.Errorf("step %q: waiting to retry: %w", s.ID, err)}
	}
	switch {
	case a.StepID != "":
		target := st.w.Step(a.StepID)
		r.stepRuns++
		st.res.Steps++
		sr, _, _ := r.attempt(st, target)
		r.report(sr)
		if !sr.Passed {
			return decision{kind: failWorkflow, result: sr}
		}
	case a.Workflow != nil:
		if sub := r.callAction(st, a, d.sc); sub == nil || !sub.Passed {
			return decision{kind: failWorkflow, result: d.result}
		}
	}
	return decision{kind: nextStep}
}

// checkDependsOn reports a step whose dependsOn names a step that has not
// passed.
func (r *run) checkDependsOn(st *workflowState, s *Step) error {
	for _, ref := range s.DependsOn {
		var done bool
		switch {
		case ref.Source != "":
			if rs := st.d.sources[ref.Source]; rs != nil && rs.arazzo != nil {
				done = r.completed[stepKey{rs.arazzo, ref.Workflow, ref.Step}]
			}
		case ref.Workflow != "":
			done = r.completed[stepKey{st.d, ref.Workflow, ref.Step}]
		default:
			done = st.completed[ref.Step]
		}
		if !done {
			return fmt.Errorf("step %q depends on %s, which has not passed", s.ID, ref.Text)
		}
	}
	return nil
}
