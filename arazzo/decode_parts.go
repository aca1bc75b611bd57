package arazzo

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/antchfx/xpath"
	"github.com/theory/jsonpath"
	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/arazzo/expr"
)

var parameterFields = []string{"name", "in", "value"}

// parameters decodes a list of Parameter and Reusable Objects. Parameters
// of actions (forAction) are workflow inputs and take no in.
func (l *loader) parameters(n *yaml.Node, what string, forAction bool) []*Parameter {
	var out []*Parameter
	seen := map[string]*Parameter{}
	for _, it := range l.list(n, what) {
		var p *Parameter
		if isReusable(it) {
			p = l.reusableParameter(it)
		} else {
			p = l.parameter(it, forAction)
		}
		if p == nil {
			continue
		}
		if forAction && p.In != "" {
			l.errorf(p.Pos, 1, "", "parameters of an action are inputs of its workflow and take no in")
		}
		key := p.In + " " + p.Name
		if first := seen[key]; first != nil {
			l.errorf(p.Pos, 1, "first defined at line "+strconv.Itoa(first.Pos.Line), "duplicate parameter %q%s in %s", p.Name, inText(p.In), what)
			continue
		}
		seen[key] = p
		out = append(out, p)
	}
	return out
}

// inText describes a parameter location for messages.
func inText(in string) string {
	if in == "" {
		return ""
	}
	return " in " + in
}

// isReusable reports whether n is a Reusable Object: one with reference.
func isReusable(n *yaml.Node) bool {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if resolve(n.Content[i]).Value == "reference" {
			return true
		}
	}
	return false
}

var parameterLocations = []string{InPath, InQuery, InHeader, InCookie, InQueryString}

func (l *loader) parameter(n *yaml.Node, forAction bool) *Parameter {
	fs, ok := l.object(n, "a parameter", parameterFields)
	if !ok {
		return nil
	}
	l.required(fs, n, "a parameter", "name", "value")
	p := &Parameter{Pos: l.pos(n)}
	if f := fs["name"]; f != nil {
		p.Name, _ = l.str(f.value, "parameter name")
	}
	if f := fs["in"]; f != nil {
		p.In = l.location(f.value)
	}
	if f := fs["value"]; f != nil {
		p.Value = l.value(f.value)
	}
	return p
}

func (l *loader) location(n *yaml.Node) string {
	in, ok := l.str(n, "in")
	if !ok {
		return ""
	}
	valid := parameterLocations[:4]
	if l.doc.Minor >= 1 {
		valid = parameterLocations
	}
	for _, v := range valid {
		if in == v {
			return in
		}
	}
	if in == InQueryString {
		l.since11(n, "in: querystring")
	} else {
		l.errorAt(n, didYouMean(in, valid, "valid locations: "+strings.Join(valid, ", ")), "unknown parameter location %q", in)
	}
	return in // the document is invalid; keeping the text avoids a second error
}

// reusable reads a Reusable Object's reference, which must name a
// component of type kind; its other fields but value are ignored, as the
// specification requires.
func (l *loader) reusable(n *yaml.Node, kind string) (name string, value *yaml.Node, ok bool) {
	fs, _ := l.object(n, "a reusable object", nil)
	ref := fs["reference"]
	text, ok := l.str(ref.value, "reference")
	if !ok {
		return "", nil, false
	}
	e, err := expr.Parse(text)
	if err != nil {
		l.exprErr(ref.value, 0, err)
		return "", nil, false
	}
	if e.Kind != expr.Components || e.ID != kind {
		l.errorAt(ref.value, "write $components."+kind+".<name>", "reference must name a component of components.%s, not %s", kind, text)
		return "", nil, false
	}
	if v := fs["value"]; v != nil {
		value = v.value
	}
	return e.Name, value, true
}

func (l *loader) reusableParameter(n *yaml.Node) *Parameter {
	name, value, ok := l.reusable(n, "parameters")
	if !ok {
		return nil
	}
	c := l.doc.Components.Parameters[name]
	if c == nil {
		l.missingComponent(n, "parameters", name, sortedKeys(l.doc.Components.Parameters))
		return nil
	}
	p := *c
	p.Pos, p.Reference = l.pos(n), "$components.parameters."+name
	if value != nil {
		p.Value = l.value(value)
	}
	return &p
}

func (l *loader) missingComponent(n *yaml.Node, kind, name string, names []string) {
	hint := "components." + kind + " is empty"
	if len(names) > 0 {
		hint = didYouMean(name, names, "components."+kind+": "+strings.Join(names, ", "))
	}
	l.errorAt(n, hint, "no component %q in components.%s", name, kind)
}

// actions decodes a list of action and Reusable Objects.
func (l *loader) actions(n *yaml.Node, what string, failure bool) []*Action {
	kind := "successActions"
	if failure {
		kind = "failureActions"
	}
	var out []*Action
	seen := map[string]*Action{}
	for _, it := range l.list(n, what) {
		var a *Action
		if isReusable(it) {
			a = l.reusableAction(it, kind, failure)
		} else {
			a = l.action(it, failure)
		}
		if a == nil {
			continue
		}
		if first := seen[a.Name]; first != nil {
			l.errorf(a.Pos, 1, "first defined at line "+strconv.Itoa(first.Pos.Line), "duplicate action %q in %s", a.Name, what)
			continue
		}
		seen[a.Name] = a
		out = append(out, a)
	}
	return out
}

func (l *loader) reusableAction(n *yaml.Node, kind string, failure bool) *Action {
	name, value, ok := l.reusable(n, kind)
	if !ok {
		return nil
	}
	if value != nil {
		l.errorAt(value, "", "value applies only to references to parameters")
	}
	set := l.doc.Components.SuccessActions
	if failure {
		set = l.doc.Components.FailureActions
	}
	c := set[name]
	if c == nil {
		l.missingComponent(n, kind, name, sortedKeys(set))
		return nil
	}
	a := *c
	a.Pos, a.Reference = l.pos(n), "$components."+kind+"."+name
	return &a
}

var successActionFields = []string{"name", "type", "workflowId", "stepId", "criteria", "parameters"}
var failureActionFields = []string{"name", "type", "workflowId", "stepId", "criteria", "parameters", "retryAfter", "retryLimit"}

func (l *loader) action(n *yaml.Node, failure bool) *Action {
	what, valid := "a success action", successActionFields
	if failure {
		what, valid = "a failure action", failureActionFields
	}
	fs, ok := l.object(n, what, valid)
	if !ok {
		return nil
	}
	l.required(fs, n, what, "name", "type")
	a := &Action{Pos: l.pos(n), Failure: failure, RetryLimit: 1}
	a.Name = l.optStr(fs, "name", "action")
	if f := fs["type"]; f != nil {
		a.Type = l.actionType(f.value, failure)
	}
	if f := fs["stepId"]; f != nil {
		a.StepID, a.StepIDPos = l.strictID(f.value, "stepId"), l.pos(f.value)
	}
	if f := fs["workflowId"]; f != nil {
		a.Workflow = l.workflowRef(f.value, "workflowId")
	}
	if f := fs["parameters"]; f != nil && l.since11(f.keyN, "parameters of an action") {
		a.Parameters = l.parameters(f.value, "action parameters", true)
		if fs["workflowId"] == nil {
			l.errorAt(f.keyN, "", "parameters of an action are inputs of its workflowId, which it lacks")
		}
	}
	if f := fs["criteria"]; f != nil {
		a.Criteria = l.criteria(f.value, "criteria")
	}
	l.retryFields(a, fs)
	l.actionTarget(a, fs, n)
	return a
}

func (l *loader) actionType(n *yaml.Node, failure bool) string {
	t, ok := l.str(n, "type")
	if !ok {
		return ""
	}
	valid := []string{ActionEnd, ActionGoto}
	if failure {
		valid = append(valid, ActionRetry)
	}
	for _, v := range valid {
		if t == v {
			return t
		}
	}
	if t == ActionRetry {
		l.errorAt(n, "only failure actions retry", "unknown success action type %q", t)
		return ""
	}
	l.errorAt(n, didYouMean(t, valid, "valid types: "+strings.Join(valid, ", ")), "unknown action type %q", t)
	return ""
}

func (l *loader) retryFields(a *Action, fs map[string]*field) {
	if f := fs["retryAfter"]; f != nil {
		if s, ok := l.number(f.value, "retryAfter", false); ok {
			a.RetryAfter = time.Duration(s * float64(time.Second))
		}
	}
	if f := fs["retryLimit"]; f != nil {
		if n, ok := l.number(f.value, "retryLimit", true); ok {
			a.RetryLimit = int(min(n, 1<<20))
		}
	}
	for _, k := range []string{"retryAfter", "retryLimit"} {
		if f := fs[k]; f != nil && a.Type != ActionRetry && a.Type != "" {
			l.errorAt(f.keyN, "", "%s applies only to retry actions", k)
		}
	}
}

// actionTarget checks the stepId and workflowId of an action against its
// type.
func (l *loader) actionTarget(a *Action, fs map[string]*field, n *yaml.Node) {
	step, wf := fs["stepId"], fs["workflowId"]
	switch {
	case step != nil && wf != nil:
		l.errorAt(wf.keyN, "", "an action takes stepId or workflowId, not both")
	case a.Type == ActionGoto && step == nil && wf == nil:
		l.errorAt(n, "", "a goto action needs a stepId or a workflowId")
	case a.Type == ActionEnd && (step != nil || wf != nil):
		k := step
		if k == nil {
			k = wf
		}
		l.errorAt(k.keyN, "", "%s applies only to goto and retry actions", k.key)
	}
}

var criterionFields = []string{"context", "condition", "type"}

func (l *loader) criteria(n *yaml.Node, what string) []*Criterion {
	var out []*Criterion
	for _, it := range l.list(n, what) {
		if c := l.criterion(it); c != nil {
			out = append(out, c)
		}
	}
	return out
}

func (l *loader) criterion(n *yaml.Node) *Criterion {
	fs, ok := l.object(n, "a criterion", criterionFields)
	if !ok {
		return nil
	}
	if !l.required(fs, n, "a criterion", "condition") {
		return nil
	}
	c := &Criterion{Pos: l.pos(n), Type: CriterionSimple}
	if f := fs["type"]; f != nil {
		c.Type, c.Version = l.exprType(f.value, "criterion type", true)
		if c.Type == "" {
			return nil
		}
	}
	if f := fs["context"]; f != nil {
		c.ContextPos = l.pos(f.value)
		c.Context = l.contextExpr(f.value, &c.refs)
	} else if c.Type != CriterionSimple {
		l.errorAt(n, "", "a %s criterion needs a context", c.Type)
	}
	cond := fs["condition"].value
	text, ok := l.str(cond, "condition")
	if !ok {
		return nil
	}
	c.Condition, c.ConditionPos = text, l.offsetPos(cond, 0)
	l.compileCondition(c, cond)
	return c
}

// contextExpr reads a context: a whole runtime expression.
func (l *loader) contextExpr(n *yaml.Node, refs *[]exprAt) *expr.Expr {
	s, ok := l.str(n, "context")
	if !ok {
		return nil
	}
	e, err := expr.Parse(s)
	if err != nil {
		l.exprErr(n, 0, err)
		return nil
	}
	*refs = append(*refs, exprAt{e, l.pos(n)})
	return e
}

// compileCondition parses a simple condition, or compiles the pattern of
// a regex, JSONPath or XPath one when it embeds no expression.
func (l *loader) compileCondition(c *Criterion, n *yaml.Node) {
	if c.Type == CriterionSimple {
		cond, err := expr.ParseCondition(c.Condition)
		if err != nil {
			l.exprErr(n, 0, err)
			return
		}
		c.simple = cond
		cond.Exprs(func(e *expr.Expr, off int) { c.refs = append(c.refs, exprAt{e, l.offsetPos(n, off)}) })
		return
	}
	tmpl, err := expr.ParseTemplate(c.Condition)
	if err != nil {
		l.exprErr(n, 0, err)
		return
	}
	for _, p := range tmpl.Parts {
		if p.Expr != nil {
			c.refs = append(c.refs, exprAt{p.Expr, l.offsetPos(n, p.Offset)})
		}
	}
	if tmpl.HasExprs() {
		c.tmpl = tmpl
		return
	}
	if err := c.compile(c.Condition); err != nil {
		l.errorAt(n, "", "%v", err)
	}
}

// compile compiles the pattern of a regex, JSONPath or XPath criterion.
func (c *Criterion) compile(pattern string) error {
	var err error
	switch c.Type {
	case CriterionRegex:
		if c.re, err = regexp.Compile(pattern); err != nil {
			return fmt.Errorf("invalid regex: %w", err)
		}
	case CriterionJSONPath:
		if c.path, err = jsonpath.Parse(pattern); err != nil {
			return fmt.Errorf("invalid JSONPath: %w", err)
		}
	case CriterionXPath:
		if _, err = xpath.Compile(pattern); err != nil {
			return fmt.Errorf("invalid XPath: %w", err)
		}
	}
	return nil
}

var requestBodyFields = []string{"contentType", "payload", "replacements"}

func (l *loader) requestBody(n *yaml.Node) *RequestBody {
	fs, ok := l.object(n, "requestBody", requestBodyFields)
	if !ok {
		return nil
	}
	b := &RequestBody{Pos: l.pos(n), ContentType: l.optStr(fs, "contentType", "requestBody")}
	if f := fs["payload"]; f != nil {
		b.Payload = l.value(f.value)
	}
	if f := fs["replacements"]; f != nil {
		for _, it := range l.list(f.value, "replacements") {
			if r := l.replacement(it, b.ContentType); r != nil {
				b.Replacements = append(b.Replacements, r)
			}
		}
	}
	return b
}

var replacementFields = []string{"target", "targetSelectorType", "value"}

func (l *loader) replacement(n *yaml.Node, contentType string) *Replacement {
	fs, ok := l.object(n, "a payload replacement", replacementFields)
	if !ok || !l.required(fs, n, "a payload replacement", "target", "value") {
		return nil
	}
	r := &Replacement{Pos: l.pos(n)}
	target := fs["target"].value
	r.Target, ok = l.str(target, "target")
	if !ok {
		return nil
	}
	if f := fs["targetSelectorType"]; f != nil {
		if !l.since11(f.keyN, "targetSelectorType") {
			return nil
		}
		if r.TargetType, r.TargetVersion = l.exprType(f.value, "targetSelectorType", false); r.TargetType == "" {
			return nil
		}
	}
	r.Value = l.value(fs["value"].value)
	typ := r.TargetType
	if typ == "" {
		typ = defaultTargetType(contentType)
	}
	if err := r.compile(typ); err != nil {
		l.errorAt(target, "", "%v", err)
	}
	return r
}

// defaultTargetType is how a replacement target is read when it does not
// say: XPath for XML payloads, else a JSON pointer.
func defaultTargetType(contentType string) string {
	if isXML(contentType) {
		return CriterionXPath
	}
	return SelectorJSONPointer
}

// compile checks and compiles the target as a selector of type typ.
func (r *Replacement) compile(typ string) error {
	var err error
	switch typ {
	case SelectorJSONPointer:
		if r.pointer, err = parsePointer(r.Target); err != nil {
			return fmt.Errorf("target: %w", err)
		}
	case CriterionJSONPath:
		if r.path, err = jsonpath.Parse(r.Target); err != nil {
			return fmt.Errorf("target: invalid JSONPath: %w", err)
		}
	case CriterionXPath:
		if _, err = xpath.Compile(r.Target); err != nil {
			return fmt.Errorf("target: invalid XPath: %w", err)
		}
	}
	return nil
}

// outputs decodes an outputs map: names to runtime expressions or
// selector objects.
func (l *loader) outputs(n *yaml.Node, what string) []*Output {
	var out []*Output
	for _, f := range l.mapping(n, what) {
		if !expr.IsIdentifier(f.key) {
			l.errorAt(f.keyN, "", "output name %q must match [a-zA-Z0-9.-_]+", f.key)
			continue
		}
		v := l.value(f.value)
		if v.Kind != Expression && v.Kind != Template && v.Kind != SelectorValue {
			// kept in the list so that expressions reading it raise no second error
			l.errorAt(f.value, "write a runtime expression such as $response.body#/id", "output %q must be a runtime expression, not %s", f.key, describe(f.value))
		}
		out = append(out, &Output{Pos: l.pos(f.keyN), Name: f.key, Value: v})
	}
	return out
}
