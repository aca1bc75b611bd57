package arazzo

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/arazzo/expr"
)

var workflowFields = []string{"workflowId", "summary", "description", "inputs", "dependsOn", "steps",
	"successActions", "failureActions", "outputs", "parameters"}

func (l *loader) workflows(n *yaml.Node) {
	items := l.list(n, "workflows")
	if n.Kind == yaml.SequenceNode && len(items) == 0 {
		l.errorAt(n, "", "workflows needs at least one workflow")
	}
	seen := map[string]*Workflow{}
	for i, it := range items {
		w := l.workflow(it, i)
		if w == nil {
			continue
		}
		if first := seen[w.ID]; first != nil && w.ID != "" {
			l.errorf(w.Pos, len(w.ID), "first defined at line "+strconv.Itoa(first.Pos.Line), "duplicate workflowId %q", w.ID)
			continue
		}
		seen[w.ID] = w
		l.doc.Workflows = append(l.doc.Workflows, w)
	}
}

func (l *loader) workflow(n *yaml.Node, index int) *Workflow {
	fs, ok := l.object(n, "a workflow", workflowFields)
	if !ok {
		return nil
	}
	l.required(fs, n, "a workflow", "workflowId", "steps")
	w := &Workflow{Pos: l.pos(n), doc: l.doc}
	if f := fs["workflowId"]; f != nil {
		w.Pos = l.pos(f.value)
		w.ID = l.strictID(f.value, "workflowId")
	}
	w.Summary = l.optStr(fs, "summary", "workflow")
	w.Description = l.optStr(fs, "description", "workflow")
	if f := fs["inputs"]; f != nil {
		w.Inputs = l.inputs(f.value, fmt.Sprintf("/workflows/%d/inputs", index))
	}
	if f := fs["dependsOn"]; f != nil {
		for _, it := range l.list(f.value, "dependsOn") {
			if ref := l.workflowRef(it, "dependsOn"); ref != nil {
				w.DependsOn = append(w.DependsOn, ref)
			}
		}
	}
	if f := fs["parameters"]; f != nil {
		w.Parameters = l.parameters(f.value, "workflow parameters", false)
	}
	if f := fs["successActions"]; f != nil {
		w.SuccessActions = l.actions(f.value, "successActions", false)
	}
	if f := fs["failureActions"]; f != nil {
		w.FailureActions = l.actions(f.value, "failureActions", true)
	}
	if f := fs["steps"]; f != nil {
		l.steps(w, f.value)
	}
	if f := fs["outputs"]; f != nil {
		w.Outputs = l.outputs(f.value, "workflow outputs")
	}
	return w
}

// inputs decodes a workflow's inputs schema, found at pointer in the
// document.
func (l *loader) inputs(n *yaml.Node, pointer string) *Inputs {
	if n.Kind != yaml.MappingNode && n.ShortTag() != "!!bool" {
		l.errorAt(n, "", "inputs must be a JSON Schema object, not %s", describe(n))
		return nil
	}
	schema, ok := l.json(n)
	if !ok {
		return nil
	}
	in := &Inputs{Pos: l.pos(n), Schema: schema}
	if !l.inputProperties(in, n) {
		return in
	}
	compiled, err := compileSchema(l.file, l.doc.tree, pointer)
	if err != nil {
		l.errorAt(n, "", "inputs is not a valid JSON Schema: %v", err)
		return in
	}
	in.compiled = compiled
	return in
}

// inputProperties finds the property names an inputs schema declares,
// following a $ref to #/components/inputs/<name>. It reports false when
// that $ref names nothing.
func (l *loader) inputProperties(in *Inputs, n *yaml.Node) bool {
	schema, _ := in.Schema.(map[string]any)
	if ref, ok := schema["$ref"].(string); ok {
		name, found := strings.CutPrefix(ref, "#/components/inputs/")
		target, exists := l.doc.Components.Inputs[name]
		if found && !exists {
			names := sortedKeys(l.doc.Components.Inputs)
			l.errorAt(n, didYouMean(name, names, ""), "inputs $ref %q names no components.inputs entry", ref)
			return false
		}
		schema, _ = target.(map[string]any)
	}
	props, ok := schema["properties"].(map[string]any)
	if !ok {
		return true
	}
	in.Properties = sortedKeys(props)
	in.props = map[string]map[string]any{}
	for _, name := range in.Properties {
		p, _ := props[name].(map[string]any)
		in.props[name] = p
		if p["format"] == "password" {
			in.Secret = append(in.Secret, name)
		}
	}
	return true
}

// workflowRef reads a workflowId or $sourceDescriptions.<name>.<id>.
func (l *loader) workflowRef(n *yaml.Node, what string) *WorkflowRef {
	s, ok := l.str(n, what)
	if !ok {
		return nil
	}
	ref := &WorkflowRef{Pos: l.pos(n), Text: s}
	if !strings.HasPrefix(s, "$") {
		ref.ID = s
		return ref
	}
	e, err := expr.Parse(s)
	if err != nil {
		l.exprErr(n, 0, err)
		return nil
	}
	if e.Kind != expr.SourceDescriptions {
		l.errorAt(n, "write a workflowId or $sourceDescriptions.<name>.<workflowId>", "%s must name a workflow, not %s", what, e.Kind)
		return nil
	}
	ref.Source, ref.ID = e.ID, e.Name
	if !l.sourceOfType(n, e.ID, TypeArazzo, "workflows") {
		return nil
	}
	return ref
}

// sourceOfType checks that source description name exists and may hold
// what: for want TypeArazzo an Arazzo document, for TypeAsyncAPI an
// AsyncAPI one, for TypeOpenAPI any API description. An untyped source
// may be anything until it is resolved.
func (l *loader) sourceOfType(n *yaml.Node, name, want, what string) bool {
	sd := l.doc.Source(name)
	if sd == nil {
		names := l.sourceNames()
		l.errorAt(n, didYouMean(name, names, "sources: "+strings.Join(names, ", ")), "no source description named %q", name)
		return false
	}
	ok := sd.Type == "" || sd.Type == want || want == TypeOpenAPI && sd.Type == TypeAsyncAPI
	if !ok {
		l.errorAt(n, "", "source description %q is of type %s and holds no %s", name, sd.Type, what)
	}
	return ok
}

func (l *loader) sourceNames() []string {
	var out []string
	for _, s := range l.doc.SourceDescriptions {
		out = append(out, s.Name)
	}
	return out
}

func (l *loader) steps(w *Workflow, n *yaml.Node) {
	items := l.list(n, "steps")
	if n.Kind == yaml.SequenceNode && len(items) == 0 {
		l.errorAt(n, "", "steps needs at least one step")
	}
	seen := map[string]*Step{}
	for _, it := range items {
		s := l.step(it)
		if s == nil {
			continue
		}
		s.workflow = w
		if first := seen[s.ID]; first != nil && s.ID != "" {
			l.errorf(s.Pos, len(s.ID), "first defined at line "+strconv.Itoa(first.Pos.Line), "duplicate stepId %q in workflow %q", s.ID, w.ID)
			continue
		}
		seen[s.ID] = s
		w.Steps = append(w.Steps, s)
	}
}

var stepFields = []string{"description", "stepId", "operationId", "operationPath", "workflowId",
	"parameters", "requestBody", "successCriteria", "onSuccess", "onFailure", "outputs",
	"channelPath", "timeout", "correlationId", "action", "dependsOn"}

// stepFields11 are the step fields Arazzo 1.1 added.
var stepFields11 = []string{"channelPath", "timeout", "correlationId", "action", "dependsOn"}

func (l *loader) step(n *yaml.Node) *Step {
	fs, ok := l.object(n, "a step", stepFields)
	if !ok {
		return nil
	}
	for _, k := range stepFields11 {
		if f := fs[k]; f != nil && !l.since11(f.keyN, "step field "+k) && k != "channelPath" {
			delete(fs, k)
		}
	}
	l.required(fs, n, "a step", "stepId")
	s := &Step{Pos: l.pos(n)}
	if f := fs["stepId"]; f != nil {
		s.Pos = l.pos(f.value)
		s.ID = l.strictID(f.value, "stepId")
	}
	s.Description = l.optStr(fs, "description", "step")
	l.target(s, fs, n)
	l.stepParts(s, fs)
	l.asyncFields(s, fs)
	return s
}

// stepParts decodes the parameters, body, criteria, actions and outputs of
// a step.
func (l *loader) stepParts(s *Step, fs map[string]*field) {
	if f := fs["parameters"]; f != nil {
		s.Parameters = l.parameters(f.value, "step parameters", false)
	}
	if f := fs["requestBody"]; f != nil {
		if s.Target.Kind == CallWorkflow {
			l.errorAt(f.keyN, "pass values to a workflow as parameters", "a step that calls a workflow has no requestBody")
		}
		s.RequestBody = l.requestBody(f.value)
	}
	if f := fs["successCriteria"]; f != nil {
		s.SuccessCriteria = l.criteria(f.value, "successCriteria")
		if list := resolve(f.value); list.Kind == yaml.SequenceNode && len(list.Content) == 0 && l.doc.Minor >= 1 {
			l.errorAt(f.value, "remove it, or add a criterion", "successCriteria needs at least one criterion")
		}
	}
	if f := fs["onSuccess"]; f != nil {
		s.OnSuccess = l.actions(f.value, "onSuccess", false)
	}
	if f := fs["onFailure"]; f != nil {
		s.OnFailure = l.actions(f.value, "onFailure", true)
	}
	if f := fs["outputs"]; f != nil {
		s.Outputs = l.outputs(f.value, "step outputs")
	}
	if f := fs["timeout"]; f != nil {
		if ms, ok := l.number(f.value, "timeout", true); ok {
			s.Timeout = time.Duration(ms) * time.Millisecond
		}
	}
	if f := fs["dependsOn"]; f != nil {
		for _, it := range l.list(f.value, "dependsOn") {
			if ref := l.stepRef(it); ref != nil {
				s.DependsOn = append(s.DependsOn, ref)
			}
		}
	}
}

// asyncFields decodes action and correlationId, which only AsyncAPI steps
// take. A step naming an operation of a source whose type is not written
// may be one: resolving the source tells.
func (l *loader) asyncFields(s *Step, fs map[string]*field) {
	typ := l.typeOfSource(s.Target.Source)
	async := s.Target.Kind == Channel || s.Target.Kind == OperationByID && (typ == TypeAsyncAPI || typ == "")
	if f := fs["action"]; f != nil {
		a, ok := l.str(f.value, "action")
		switch {
		case !ok:
		case a != "send" && a != "receive":
			l.errorAt(f.value, didYouMean(a, []string{"send", "receive"}, "write send or receive"), "unknown step action %q", a)
		case !async:
			l.errorAt(f.keyN, "", "action applies only to steps of AsyncAPI operations")
		default:
			s.Action, s.ActionPos = a, l.pos(f.keyN)
		}
	}
	if f := fs["correlationId"]; f != nil {
		if s.Action != "receive" {
			l.errorAt(f.keyN, "", "correlationId applies only to AsyncAPI steps with action receive")
		}
		s.CorrelationID = l.value(f.value)
	}
}

// typeOfSource is the type of the named source description; for "" (the
// single API source) the type of that source.
func (l *loader) typeOfSource(name string) string {
	if name == "" {
		if api := l.apiSources(); len(api) == 1 {
			return api[0].Type
		}
		return ""
	}
	if sd := l.doc.Source(name); sd != nil {
		return sd.Type
	}
	return ""
}

// apiSources are the source descriptions that are not Arazzo documents.
func (l *loader) apiSources() []*SourceDescription {
	var out []*SourceDescription
	for _, sd := range l.doc.SourceDescriptions {
		if sd.Type != TypeArazzo {
			out = append(out, sd)
		}
	}
	return out
}

var targetFields = []string{"operationId", "operationPath", "channelPath", "workflowId"}

// target decodes the one field that says what the step calls.
func (l *loader) target(s *Step, fs map[string]*field, n *yaml.Node) {
	var present []*field
	for _, k := range targetFields {
		if f := fs[k]; f != nil {
			present = append(present, f)
		}
	}
	switch len(present) {
	case 0:
		l.errorAt(n, "", "a step needs one of operationId, operationPath or workflowId")
		return
	case 1:
	default:
		l.errorAt(present[1].keyN, "", "a step takes only one of operationId, operationPath, channelPath and workflowId; it has %s and %s", present[0].key, present[1].key)
		return
	}
	f := present[0]
	text, ok := l.str(f.value, f.key)
	if !ok {
		return
	}
	s.Target = Target{Pos: l.pos(f.value), Text: text}
	switch f.key {
	case "operationId":
		l.operationID(&s.Target, f.value)
	case "operationPath", "channelPath":
		l.operationPath(&s.Target, f.value, f.key)
	case "workflowId":
		s.Target.Kind = CallWorkflow
		s.Target.Workflow = l.workflowRef(f.value, "workflowId")
	}
}

// operationID decodes a plain or $sourceDescriptions.<name>.<id>
// operationId.
func (l *loader) operationID(t *Target, n *yaml.Node) {
	t.Kind = OperationByID
	if !strings.HasPrefix(t.Text, "$") {
		t.OperationID = t.Text
		api := l.apiSources()
		switch {
		case len(api) == 0 && len(l.doc.SourceDescriptions) > 0:
			l.errorAt(n, "", "operationId %q needs an openapi source description; this document has only arazzo ones", t.Text)
		case len(api) > 1:
			l.errorAt(n, fmt.Sprintf("write $sourceDescriptions.%s.%s", api[0].Name, t.Text),
				"operationId %q must name its source description: this document has %d of them", t.Text, len(api))
		}
		return
	}
	e, err := expr.Parse(t.Text)
	if err != nil {
		l.exprErr(n, 0, err)
		return
	}
	if e.Kind != expr.SourceDescriptions {
		l.errorAt(n, "write $sourceDescriptions.<name>.<operationId>", "operationId must name an operation, not %s", e.Kind)
		return
	}
	t.Source, t.OperationID = e.ID, e.Name
	l.sourceOfType(n, e.ID, TypeOpenAPI, "operations")
}

// operationPath decodes {$sourceDescriptions.<name>.url}#<pointer> (or the
// same without braces) of an operationPath or channelPath.
func (l *loader) operationPath(t *Target, n *yaml.Node, key string) {
	t.Kind = OperationByPath
	if key == "channelPath" {
		t.Kind = Channel
	}
	text := t.Text
	if strings.HasPrefix(text, "{") {
		end := strings.IndexByte(text, '}')
		if end < 0 {
			l.errorAt(n, "", "unclosed { in %s", key)
			return
		}
		text = text[1:end] + text[end+1:]
	}
	hint := "write '{$sourceDescriptions.<name>.url}#/paths/~1pets/get'"
	name, ptr, found := strings.Cut(strings.TrimPrefix(text, "$sourceDescriptions."), ".url#")
	if !strings.HasPrefix(text, "$sourceDescriptions.") || !found || !expr.IsStrictIdentifier(name) {
		l.errorAt(n, hint, "%s must be a source description's url followed by # and a JSON pointer", key)
		return
	}
	if _, err := parsePointer(ptr); err != nil {
		l.errorAt(n, "", "%s: %v", key, err)
		return
	}
	t.Source, t.Pointer = name, ptr
	want := TypeOpenAPI
	if key == "channelPath" {
		want = TypeAsyncAPI
	}
	what := "operations"
	if key == "channelPath" {
		what = "channels"
	}
	l.sourceOfType(n, name, want, what)
}

// stepRef reads an entry of a step's dependsOn.
func (l *loader) stepRef(n *yaml.Node) *StepRef {
	s, ok := l.str(n, "dependsOn entry")
	if !ok {
		return nil
	}
	ref := &StepRef{Pos: l.pos(n), Text: s}
	parts := strings.Split(s, ".")
	switch {
	case len(parts) == 1 && expr.IsStrictIdentifier(s):
		ref.Step = s
	case len(parts) == 4 && parts[0] == "$workflows" && parts[2] == "steps" && allStrict(parts[1], parts[3]):
		ref.Workflow, ref.Step = parts[1], parts[3]
	case len(parts) == 5 && parts[0] == "$sourceDescriptions" && parts[3] == "steps" && allStrict(parts[1], parts[2], parts[4]):
		ref.Source, ref.Workflow, ref.Step = parts[1], parts[2], parts[4]
		if !l.sourceOfType(n, ref.Source, TypeArazzo, "workflows") {
			return nil
		}
	default:
		l.errorAt(n, "write a stepId, $workflows.<workflowId>.steps.<stepId> or $sourceDescriptions.<name>.<workflowId>.steps.<stepId>",
			"dependsOn entry %q names no step", s)
		return nil
	}
	return ref
}

func allStrict(ss ...string) bool {
	return !slices.ContainsFunc(ss, func(s string) bool { return !expr.IsStrictIdentifier(s) })
}
