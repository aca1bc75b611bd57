package arazzo

import (
	"regexp"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/theory/jsonpath"

	"github.com/callsheet/callsheet/arazzo/expr"
	"github.com/callsheet/callsheet/collections"
)

// Pos is a position in a document: file, 1-based line and column.
type Pos = collections.Pos

// Document is one parsed and validated Arazzo document. Every object keeps
// the position of its first key or value. Reusable Objects
// ($components.parameters.x and the component actions) are already
// replaced by copies of the components they name.
type Document struct {
	File string
	// Version is the arazzo field as written; Minor is 0 for 1.0.x and 1
	// for 1.1.x.
	Version string
	Minor   int
	// Self is the $self URI-reference (1.1), "" when absent.
	Self               string
	Info               Info
	SourceDescriptions []*SourceDescription
	Workflows          []*Workflow
	Components         Components

	// tree is the whole document as JSON values, which input schemas'
	// $refs point into.
	tree any
}

// Workflow returns the workflow with the given workflowId, or nil.
func (d *Document) Workflow(id string) *Workflow {
	for _, w := range d.Workflows {
		if w.ID == id {
			return w
		}
	}
	return nil
}

// Source returns the source description with the given name, or nil.
func (d *Document) Source(name string) *SourceDescription {
	for _, s := range d.SourceDescriptions {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Info is the Info Object.
type Info struct {
	Title, Summary, Description, Version string
}

// Source description types.
const (
	TypeOpenAPI  = "openapi"
	TypeArazzo   = "arazzo"
	TypeAsyncAPI = "asyncapi"
)

// SourceDescription is a Source Description Object: a named OpenAPI,
// AsyncAPI or Arazzo document the workflows use.
type SourceDescription struct {
	Pos  Pos
	Name string
	URL  string
	// URLPos is the position of the url value.
	URLPos Pos
	// Type is openapi, arazzo or asyncapi; "" when the document does not
	// say, in which case the content decides when it is resolved.
	Type string
}

// Workflow is a Workflow Object.
type Workflow struct {
	Pos                  Pos
	ID                   string
	Summary, Description string
	// Inputs is the JSON Schema of the workflow's inputs, nil when none.
	Inputs    *Inputs
	DependsOn []*WorkflowRef
	Steps     []*Step
	// SuccessActions and FailureActions apply to every step; a step's
	// action of the same name replaces one of these.
	SuccessActions []*Action
	FailureActions []*Action
	Outputs        []*Output
	// Parameters apply to every step; a step's parameter of the same name
	// and location replaces one of these.
	Parameters []*Parameter

	doc *Document
	// order is the order steps run in when none jumps: the document's
	// order, moved where step dependencies require it.
	order []*Step
}

// Document returns the document the workflow belongs to.
func (w *Workflow) Document() *Document { return w.doc }

// Step returns the step with the given stepId, or nil.
func (w *Workflow) Step(id string) *Step {
	for _, s := range w.Steps {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// Inputs is a workflow's inputs schema.
type Inputs struct {
	Pos Pos
	// Schema is the schema as JSON values.
	Schema any
	// Properties are the names the schema declares under properties,
	// following a $ref into components/inputs; nil when it declares none.
	Properties []string
	// Secret are the properties with format: password, whose values are
	// to be masked in every output.
	Secret []string

	compiled *jsonschema.Schema
	// props are the schemas of the properties, by name.
	props map[string]map[string]any
}

// WorkflowRef names a workflow: a workflowId of the same document, or
// $sourceDescriptions.<source>.<workflowId> for one in an Arazzo source
// description.
type WorkflowRef struct {
	Pos  Pos
	Text string
	// Source is the source description's name, "" for a local workflow.
	Source string
	ID     string
}

// StepRef is an entry of a step's dependsOn (1.1): a stepId of the same
// workflow, $workflows.<workflowId>.steps.<stepId>, or
// $sourceDescriptions.<source>.<workflowId>.steps.<stepId>.
type StepRef struct {
	Pos  Pos
	Text string
	// Source and Workflow are "" for a step of the same workflow.
	Source, Workflow string
	Step             string
}

// TargetKind says what a step calls.
type TargetKind uint8

// The kinds of step targets.
const (
	// OperationByID is an operationId, plain or
	// $sourceDescriptions.<source>.<operationId>.
	OperationByID TargetKind = iota + 1
	// OperationByPath is an operationPath: a source description's url and
	// a JSON pointer to the operation.
	OperationByPath
	// Channel is an AsyncAPI channelPath (1.1).
	Channel
	// CallWorkflow is a workflowId.
	CallWorkflow
)

// Target is what a step calls.
type Target struct {
	Kind TargetKind
	Pos  Pos
	// Text is the field's value as written.
	Text string
	// Source names the source description, "" when the document has a
	// single API source and the operationId is plain, or for a local
	// workflow.
	Source string
	// OperationID is set for OperationByID.
	OperationID string
	// Pointer is the JSON pointer of OperationByPath and Channel, such as
	// /paths/~1pets/get.
	Pointer string
	// Workflow is set for CallWorkflow.
	Workflow *WorkflowRef
}

// Step is a Step Object.
type Step struct {
	Pos         Pos
	ID          string
	Description string
	Target      Target
	// Parameters are the step's own, with Reusable Objects replaced; the
	// workflow's parameters apply too (see Workflow.Parameters).
	Parameters      []*Parameter
	RequestBody     *RequestBody
	SuccessCriteria []*Criterion
	OnSuccess       []*Action
	OnFailure       []*Action
	Outputs         []*Output
	// Timeout bounds the step (1.1); 0 means none.
	Timeout time.Duration
	// CorrelationID and Action are the AsyncAPI fields of 1.1; ActionPos
	// is where action is written.
	CorrelationID *Value
	Action        string
	ActionPos     Pos
	DependsOn     []*StepRef

	workflow *Workflow
}

// Workflow returns the workflow the step belongs to.
func (s *Step) Workflow() *Workflow { return s.workflow }

// Parameter locations.
const (
	InPath        = "path"
	InQuery       = "query"
	InQueryString = "querystring"
	InHeader      = "header"
	InCookie      = "cookie"
)

// Parameter is a Parameter Object.
type Parameter struct {
	Pos  Pos
	Name string
	// In is path, query, querystring (1.1), header or cookie; "" when the
	// parameter is a workflow input.
	In    string
	Value *Value
	// Reference is the $components.parameters.<name> expression the
	// parameter was taken from, "" for one written in place.
	Reference string
}

// Action types.
const (
	ActionEnd   = "end"
	ActionGoto  = "goto"
	ActionRetry = "retry"
)

// Action is a Success Action or Failure Action Object.
type Action struct {
	Pos  Pos
	Name string
	Type string
	// StepID or Workflow is the target of goto, or what retry runs first.
	StepID     string
	StepIDPos  Pos
	Workflow   *WorkflowRef
	Parameters []*Parameter
	// RetryAfter is the delay before a retry; RetryLimit the number of
	// retries (1 when not written).
	RetryAfter time.Duration
	RetryLimit int
	Criteria   []*Criterion
	// Reference is the $components expression the action was taken from.
	Reference string
	// Failure is true for failure actions.
	Failure bool
}

// Criterion types.
const (
	CriterionSimple   = "simple"
	CriterionRegex    = "regex"
	CriterionJSONPath = "jsonpath"
	CriterionXPath    = "xpath"
)

// Selector types besides jsonpath and xpath.
const SelectorJSONPointer = "jsonpointer"

// Criterion is a Criterion Object.
type Criterion struct {
	Pos Pos
	// Context is the runtime expression the condition applies to; nil for
	// simple conditions that give none.
	Context    *expr.Expr
	ContextPos Pos
	Condition  string
	// ConditionPos is where the condition's text starts.
	ConditionPos Pos
	// Type is simple, regex, jsonpath or xpath; Version the version of
	// jsonpath or xpath, as written or the default of the type.
	Type, Version string

	simple *expr.Condition
	// tmpl holds the {$…} expressions of a regex, JSONPath or XPath
	// condition; the pattern is compiled at run time when it has any.
	tmpl *expr.Template
	re   *regexp.Regexp
	path *jsonpath.Path
	refs []exprAt
}

// Selector is a Selector Object (1.1): a JSONPath, XPath or JSON pointer
// applied to the value of a runtime expression.
type Selector struct {
	Pos      Pos
	Context  *expr.Expr
	Selector string
	// Type is jsonpath, xpath or jsonpointer; Version its version.
	Type, Version string

	path    *jsonpath.Path
	pointer []string
}

// ValueKind says what a Value holds.
type ValueKind uint8

// The kinds of values.
const (
	// Literal is a constant: nil, bool, string or json.Number.
	Literal ValueKind = iota + 1
	// Expression is a whole runtime expression, which keeps the type of
	// what it reads.
	Expression
	// Template is a string with {$…} expressions embedded.
	Template
	// SelectorValue is a Selector Object (1.1).
	SelectorValue
	// List is an array of values.
	List
	// Object is a mapping of values, in document order.
	Object
)

// Value is a value written in the document: a parameter's value, a
// payload or a part of one, an output.
type Value struct {
	Pos      Pos
	Kind     ValueKind
	Literal  any
	Expr     *expr.Expr
	Template *expr.Template
	Selector *Selector
	Items    []*Value
	Keys     []string
	Fields   []*Value

	refs []exprAt
}

// Output is one entry of a step's or workflow's outputs.
type Output struct {
	Pos   Pos
	Name  string
	Value *Value
}

// RequestBody is a Request Body Object.
type RequestBody struct {
	Pos         Pos
	ContentType string
	// Payload is nil when the object has none.
	Payload      *Value
	Replacements []*Replacement
}

// Replacement is a Payload Replacement Object.
type Replacement struct {
	Pos    Pos
	Target string
	// TargetType is jsonpointer, jsonpath or xpath, "" to follow the
	// payload's content type; TargetVersion its version.
	TargetType, TargetVersion string
	Value                     *Value

	path    *jsonpath.Path
	pointer []string
}

// Components is the Components Object. Inputs are reached through JSON
// Schema $refs; the others through Reusable Objects, already resolved.
type Components struct {
	Inputs         map[string]any
	Parameters     map[string]*Parameter
	SuccessActions map[string]*Action
	FailureActions map[string]*Action
}

// exprAt is a runtime expression found in the document, with where.
type exprAt struct {
	e   *expr.Expr
	pos Pos
}
