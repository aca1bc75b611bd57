package arazzo

import (
	"net/http"
	"time"
)

// Request is an HTTP request as a step sends it: plain data, made once,
// which the Sender sends and reports print as they are.
type Request struct {
	Method string
	// URL is absolute, with the query string.
	URL string
	// Header lists the header fields in the order they are sent; a name
	// may repeat.
	Header []Field
	// Body is nil when the request has none.
	Body []byte
	// Step is the step that sends the request, for a Sender that treats
	// steps apart (an auth profile, a result per step).
	Step *Step
}

// Field is one header field.
type Field struct {
	Name, Value string
}

// Get returns the value of the first field named name (case-insensitive)
// and whether there is one.
func (r *Request) Get(name string) (string, bool) {
	for _, f := range r.Header {
		if http.CanonicalHeaderKey(f.Name) == http.CanonicalHeaderKey(name) {
			return f.Value, true
		}
	}
	return "", false
}

// Response is what the Sender received.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// StepResult is the outcome of one run of a step. A step that is retried
// gives one result per run.
type StepResult struct {
	// Workflow and Step are the ids; Pos is where the step is written.
	Workflow, Step string
	Pos            Pos
	// Attempt counts the runs of the step in this run of its workflow,
	// from 1.
	Attempt int
	// Request is what was sent, nil for a step that calls a workflow or
	// failed before sending; Response what came back, nil without one.
	Request  *Request
	Response *Response
	// Message is the message an AsyncAPI step sent or received, nil when
	// none was.
	Message *Message
	// Called is the result of the workflow a step calls.
	Called *WorkflowResult
	// Criteria are the results of the successCriteria, in order.
	Criteria []CriterionResult
	Passed   bool
	// Err says why the step could not be run to the end: a value that
	// could not be evaluated, a transport error, a timeout, no
	// message received in time.
	Err error
	// Outputs are the step's outputs, set when it passed.
	Outputs map[string]any
	// Action is the success or failure action taken, nil when none
	// applied (the next step runs, or the workflow fails).
	Action *ActionResult
	// Duration is how long the step took, sending included.
	Duration time.Duration
}

// CriterionResult is the outcome of one Criterion Object.
type CriterionResult struct {
	// Pos is where the criterion is; ConditionPos where its condition
	// starts.
	Pos, ConditionPos Pos
	Type              string
	Condition         string
	Passed            bool
	// Trace is a simple condition with its expressions replaced by their
	// values (404 == 200), or the pattern a regex, JSONPath or XPath
	// condition became once its {$…} expressions were replaced.
	Trace string
	// Op, Expected and Actual describe the check when it compares one
	// value: "==", "<", … for a simple comparison (Actual is the left
	// side, Expected the right), "matches" for a regex (Actual is the
	// context's text), "selects" for JSONPath and XPath (Actual is the
	// number of nodes, or the value the XPath expression computes).
	Op               string
	Expected, Actual any
	// Message explains a criterion that could not be evaluated; it then
	// fails.
	Message string
}

// ActionResult is the action a step took.
type ActionResult struct {
	Name, Type string
	Pos        Pos
	// Target is the stepId or workflowId the action goes to or runs.
	Target string
	// Delay is the wait before a retry.
	Delay time.Duration
	// Reference is the $components expression the action came from.
	Reference string
}

// WorkflowResult is the outcome of one run of a workflow.
type WorkflowResult struct {
	Workflow string
	Pos      Pos
	Inputs   map[string]any
	// SecretInputs name the inputs whose schema says format: password;
	// their values are to be masked wherever they are shown.
	SecretInputs []string
	// Outputs are the workflow's outputs: all of them when it passed,
	// those that could be evaluated when an end action stopped it.
	Outputs map[string]any
	Passed  bool
	// Steps is the number of step runs.
	Steps int
	// Failed is the step whose failure ended the workflow, nil when it
	// passed or failed otherwise.
	Failed *StepResult
	// Err says why the workflow failed when no step result does: inputs
	// that do not match the schema, a dependency that failed, outputs
	// that cannot be evaluated, too many step runs.
	Err error
	// Ended is the end action that stopped the workflow early, nil when
	// its steps ran out.
	Ended *ActionResult
}
