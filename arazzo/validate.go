package arazzo

import (
	"fmt"
	"slices"
	"strings"

	"github.com/callsheet/callsheet/arazzo/expr"
)

// validate checks what refers to what across the document: workflows and
// steps that actions, dependsOn and expressions name, inputs and outputs
// that expressions read, and the order of steps.
func (l *loader) validate() {
	for _, w := range l.doc.Workflows {
		for _, ref := range w.DependsOn {
			l.checkWorkflowRef(ref)
		}
		for _, a := range slices.Concat(w.SuccessActions, w.FailureActions) {
			l.checkAction(w, a)
		}
		l.checkSteps(w)
		l.checkRefs(w, nil, workflowRefs(w))
		l.order(w)
	}
	l.checkDependencyCycles()
}

// checkWorkflowRef checks that a local workflow reference names one.
func (l *loader) checkWorkflowRef(ref *WorkflowRef) {
	if ref == nil || ref.Source != "" || l.doc.Workflow(ref.ID) != nil {
		return
	}
	l.errorf(ref.Pos, len(ref.Text), didYouMean(ref.ID, l.workflowIDs(), ""), "no workflow %q in this document", ref.ID)
}

func (l *loader) workflowIDs() []string { return workflowIDs(l.doc) }

func stepIDs(w *Workflow) []string {
	var out []string
	for _, s := range w.Steps {
		out = append(out, s.ID)
	}
	return out
}

// checkAction checks the step or workflow an action names, in the
// workflow it applies in.
func (l *loader) checkAction(w *Workflow, a *Action) {
	l.checkWorkflowRef(a.Workflow)
	if a.StepID == "" || w.Step(a.StepID) != nil {
		return
	}
	pos := a.StepIDPos
	if a.Reference != "" {
		pos = a.Pos
	}
	l.errorf(pos, len(a.StepID), didYouMean(a.StepID, stepIDs(w), ""),
		"action %q goes to step %q, which workflow %q lacks", a.Name, a.StepID, w.ID)
}

func (l *loader) checkSteps(w *Workflow) {
	for _, s := range w.Steps {
		if s.Target.Kind == CallWorkflow {
			l.checkWorkflowRef(s.Target.Workflow)
		}
		l.checkParameters(w, s)
		for _, a := range slices.Concat(s.OnSuccess, s.OnFailure) {
			l.checkAction(w, a)
		}
		for _, ref := range s.DependsOn {
			l.checkStepRef(w, s, ref)
		}
		l.checkRefs(w, s, stepRefs(s))
	}
}

// checkParameters checks that parameters of an operation say where they
// go, and that querystring and query parameters do not mix.
func (l *loader) checkParameters(w *Workflow, s *Step) {
	if s.Target.Kind == CallWorkflow || s.Target.Kind == 0 {
		return
	}
	params := mergeParameters(w.Parameters, s.Parameters)
	var query, queryString *Parameter
	for _, p := range params {
		switch p.In {
		case "":
			l.errorf(p.Pos, 1, "write in: path, query, header or cookie", "parameter %q of step %q needs in: the step calls an operation", p.Name, s.ID)
		case InQuery:
			query = p
		case InQueryString:
			queryString = p
		}
	}
	if query != nil && queryString != nil {
		l.errorf(queryString.Pos, 1, "", "step %q has both a querystring parameter and query parameter %q", s.ID, query.Name)
	}
}

// checkStepRef checks an entry of a step's dependsOn.
func (l *loader) checkStepRef(w *Workflow, s *Step, ref *StepRef) {
	if ref.Source != "" {
		return // checked when the source is resolved
	}
	target := w
	if ref.Workflow != "" {
		if target = l.doc.Workflow(ref.Workflow); target == nil {
			l.errorf(ref.Pos, len(ref.Text), didYouMean(ref.Workflow, l.workflowIDs(), ""), "dependsOn names workflow %q, which does not exist", ref.Workflow)
			return
		}
	}
	switch {
	case target.Step(ref.Step) == nil:
		l.errorf(ref.Pos, len(ref.Text), didYouMean(ref.Step, stepIDs(target), ""), "dependsOn names step %q, which workflow %q lacks", ref.Step, target.ID)
	case target == w && ref.Step == s.ID:
		l.errorf(ref.Pos, len(ref.Text), "", "step %q depends on itself", s.ID)
	}
}

// checkRefs checks the runtime expressions found in a workflow, or in one
// of its steps when s is not nil.
func (l *loader) checkRefs(w *Workflow, s *Step, refs []exprAt) {
	for _, r := range refs {
		l.checkVersion(r)
		switch r.e.Kind {
		case expr.Steps:
			l.checkStepOutput(w, r)
		case expr.Workflows:
			l.checkWorkflowField(r)
		case expr.Inputs:
			l.checkInput(w, r)
		case expr.SourceDescriptions:
			if l.doc.Source(r.e.ID) == nil {
				l.errorf(r.pos, 1, didYouMean(r.e.ID, l.sourceNames(), ""), "%s: no source description named %q", r.e, r.e.ID)
			}
		case expr.Components:
			l.checkComponent(r)
		}
	}
}

// checkVersion reports expressions that need Arazzo 1.1.
func (l *loader) checkVersion(r exprAt) {
	if l.doc.Minor >= 1 {
		return
	}
	what := ""
	switch {
	case r.e.Kind == expr.Message || r.e.Kind == expr.Self:
		what = r.e.Kind.String()
	case r.e.Source == expr.Payload:
		what = "payload"
	}
	if what != "" {
		l.errorf(r.pos, 1, "write arazzo: 1.1.0 to use it", "%s needs Arazzo 1.1; this document is %s", what, l.doc.Version)
	}
}

// declared reports whether name, or a prefix of it ending before a dot,
// is in names: $inputs.user.id may read member id of input user.
func declared(name string, names []string) bool {
	for {
		if slices.Contains(names, name) {
			return true
		}
		cut := strings.LastIndexByte(name, '.')
		if cut < 0 {
			return false
		}
		name = name[:cut]
	}
}

func outputNames(outs []*Output) []string {
	var names []string
	for _, o := range outs {
		names = append(names, o.Name)
	}
	return names
}

func (l *loader) checkStepOutput(w *Workflow, r exprAt) {
	step := w.Step(r.e.ID)
	if step == nil {
		l.errorf(r.pos, 1, didYouMean(r.e.ID, stepIDs(w), ""), "%s: workflow %q has no step %q", r.e, w.ID, r.e.ID)
		return
	}
	if names := outputNames(step.Outputs); !declared(r.e.Name, names) {
		l.errorf(r.pos, 1, didYouMean(r.e.Name, names, outputsHint(names)), "%s: step %q has no output %q", r.e, step.ID, r.e.Name)
	}
}

func outputsHint(names []string) string {
	if len(names) == 0 {
		return "it declares no outputs"
	}
	return "outputs: " + strings.Join(names, ", ")
}

func (l *loader) checkWorkflowField(r exprAt) {
	target := l.doc.Workflow(r.e.ID)
	if target == nil {
		l.errorf(r.pos, 1, didYouMean(r.e.ID, l.workflowIDs(), ""), "%s: no workflow %q in this document", r.e, r.e.ID)
		return
	}
	if r.e.Field == "outputs" {
		if names := outputNames(target.Outputs); !declared(r.e.Name, names) {
			l.errorf(r.pos, 1, didYouMean(r.e.Name, names, outputsHint(names)), "%s: workflow %q has no output %q", r.e, target.ID, r.e.Name)
		}
		return
	}
	l.checkInput(target, r)
}

// checkInput checks that the workflow declares the input an expression
// reads, when its schema lists properties.
func (l *loader) checkInput(w *Workflow, r exprAt) {
	if w.Inputs == nil {
		l.errorf(r.pos, 1, "declare it under the workflow's inputs", "%s: workflow %q declares no inputs", r.e, w.ID)
		return
	}
	if names := w.Inputs.Properties; names != nil && !declared(r.e.Name, names) {
		l.errorf(r.pos, 1, didYouMean(r.e.Name, names, "inputs: "+strings.Join(names, ", ")), "%s: workflow %q declares no input %q", r.e, w.ID, r.e.Name)
	}
}

func (l *loader) checkComponent(r exprAt) {
	var names []string
	switch r.e.ID {
	case "parameters":
		names = sortedKeys(l.doc.Components.Parameters)
	case "successActions":
		names = sortedKeys(l.doc.Components.SuccessActions)
	case "failureActions":
		names = sortedKeys(l.doc.Components.FailureActions)
	}
	if !slices.Contains(names, r.e.Name) {
		l.errorf(r.pos, 1, didYouMean(r.e.Name, names, ""), "%s: no component %q in components.%s", r.e, r.e.Name, r.e.ID)
	}
}

// checkDependencyCycles reports workflows that depend on themselves
// through dependsOn.
func (l *loader) checkDependencyCycles() {
	state := map[*Workflow]int{} // 1 visiting, 2 done
	var visit func(w *Workflow, path []string) bool
	visit = func(w *Workflow, path []string) bool {
		switch state[w] {
		case 1:
			cycle := append(path, w.ID)
			l.errorf(w.Pos, len(w.ID), "", "workflows depend on each other in a cycle: %s", strings.Join(cycle[slices.Index(cycle, w.ID):], " -> "))
			return false
		case 2:
			return true
		}
		state[w] = 1
		for _, ref := range w.DependsOn {
			if dep := l.doc.Workflow(ref.ID); ref.Source == "" && dep != nil && !visit(dep, append(path, w.ID)) {
				state[w] = 2
				return false
			}
		}
		state[w] = 2
		return true
	}
	for _, w := range l.doc.Workflows {
		visit(w, nil)
	}
}

// order sets the order steps run in without jumps: the document's order
// when no step has dependsOn (then a step that reads the outputs of a
// later step is an error), else the document's order moved as little as
// dependsOn and output references require.
func (l *loader) order(w *Workflow) {
	deps, explicit := stepDependencies(w)
	if !explicit {
		for i, s := range w.Steps {
			for _, d := range deps[s] {
				if slices.Index(w.Steps, d.step) >= i {
					l.errorf(d.pos, 1, fmt.Sprintf("move step %q after %q, or declare dependsOn", s.ID, d.step.ID),
						"step %q reads outputs of step %q, which runs later", s.ID, d.step.ID)
				}
			}
		}
		w.order = w.Steps
		return
	}
	w.order = l.topological(w, deps)
}

// dependency is a step that another needs first, and where it says so.
type dependency struct {
	step *Step
	pos  Pos
}

// stepDependencies lists, for each step, the steps of the same workflow
// it depends on, explicitly or by reading their outputs; explicit reports
// whether any step uses dependsOn.
func stepDependencies(w *Workflow) (map[*Step][]dependency, bool) {
	deps := map[*Step][]dependency{}
	explicit := false
	for _, s := range w.Steps {
		for _, ref := range s.DependsOn {
			explicit = true
			if d := w.Step(ref.Step); ref.Workflow == "" && ref.Source == "" && d != nil && d != s {
				deps[s] = append(deps[s], dependency{d, ref.Pos})
			}
		}
		for _, r := range stepRefs(s) {
			if d := w.Step(r.e.ID); r.e.Kind == expr.Steps && d != nil && d != s {
				deps[s] = append(deps[s], dependency{d, r.pos})
			}
		}
	}
	return deps, explicit
}

// topological orders steps so each follows those it depends on, taking
// the earliest ready step in document order each time.
func (l *loader) topological(w *Workflow, deps map[*Step][]dependency) []*Step {
	done := map[*Step]bool{}
	var order []*Step
	for len(order) < len(w.Steps) {
		next := -1
		for i, s := range w.Steps {
			if !done[s] && !slices.ContainsFunc(deps[s], func(d dependency) bool { return !done[d.step] }) {
				next = i
				break
			}
		}
		if next < 0 {
			var stuck []string
			for _, s := range w.Steps {
				if !done[s] {
					stuck = append(stuck, s.ID)
				}
			}
			l.errorf(w.Pos, len(w.ID), "", "steps of workflow %q depend on each other in a cycle: %s", w.ID, strings.Join(stuck, ", "))
			return w.Steps
		}
		done[w.Steps[next]] = true
		order = append(order, w.Steps[next])
	}
	return order
}
