package arazzo

// workflowRefs lists the runtime expressions of a workflow outside its
// steps: its parameters, actions and outputs.
func workflowRefs(w *Workflow) []exprAt {
	var out []exprAt
	out = parameterRefs(out, w.Parameters)
	out = actionRefs(out, w.SuccessActions)
	out = actionRefs(out, w.FailureActions)
	for _, o := range w.Outputs {
		out = valueRefs(out, o.Value)
	}
	return out
}

// stepRefs lists the runtime expressions of a step.
func stepRefs(s *Step) []exprAt {
	var out []exprAt
	out = parameterRefs(out, s.Parameters)
	if b := s.RequestBody; b != nil {
		out = valueRefs(out, b.Payload)
		for _, r := range b.Replacements {
			out = valueRefs(out, r.Value)
		}
	}
	out = criteriaRefs(out, s.SuccessCriteria)
	out = actionRefs(out, s.OnSuccess)
	out = actionRefs(out, s.OnFailure)
	for _, o := range s.Outputs {
		out = valueRefs(out, o.Value)
	}
	return valueRefs(out, s.CorrelationID)
}

func parameterRefs(out []exprAt, ps []*Parameter) []exprAt {
	for _, p := range ps {
		out = valueRefs(out, p.Value)
	}
	return out
}

func actionRefs(out []exprAt, as []*Action) []exprAt {
	for _, a := range as {
		out = parameterRefs(out, a.Parameters)
		out = criteriaRefs(out, a.Criteria)
	}
	return out
}

func criteriaRefs(out []exprAt, cs []*Criterion) []exprAt {
	for _, c := range cs {
		out = append(out, c.refs...)
	}
	return out
}

func valueRefs(out []exprAt, v *Value) []exprAt {
	if v == nil {
		return out
	}
	out = append(out, v.refs...)
	for _, it := range v.Items {
		out = valueRefs(out, it)
	}
	for _, f := range v.Fields {
		out = valueRefs(out, f)
	}
	return out
}

// mergeParameters returns the workflow's parameters with the step's
// replacing those of the same name and location, then the step's others.
func mergeParameters(workflow, step []*Parameter) []*Parameter {
	out := make([]*Parameter, 0, len(workflow)+len(step))
	for _, p := range workflow {
		if !containsParameter(step, p) {
			out = append(out, p)
		}
	}
	return append(out, step...)
}

func containsParameter(ps []*Parameter, p *Parameter) bool {
	for _, q := range ps {
		if q.Name == p.Name && q.In == p.In {
			return true
		}
	}
	return false
}

// mergeActions returns the step's actions, then the workflow's actions
// whose names the step does not reuse.
func mergeActions(workflow, step []*Action) []*Action {
	out := append([]*Action(nil), step...)
	for _, a := range workflow {
		replaced := false
		for _, b := range step {
			replaced = replaced || a.Name == b.Name
		}
		if !replaced {
			out = append(out, a)
		}
	}
	return out
}
