package main

import "github.com/callsheet/callsheet/internal/arazzotest"

// benchCase is one workflow run by every runner against a fresh library
// server, with the step runs a correct runner makes.
type benchCase struct {
	// feature says what the workflow shows, for the table.
	feature string
	// file is the document, relative to this folder; workflow its id.
	file, workflow string
	inputs         map[string]any
	faults         arazzotest.Faults
	// maxSteps bounds the step runs (0: the runner's default).
	maxSteps int
	// want maps workflowId/stepId to the verdicts of its runs in order:
	// P passed, F failed; "" means the step must not run.
	want map[string]string
	// passed is the workflow's expected outcome.
	passed bool
}

const (
	requestsFlow    = "flows/requests.arazzo.yaml"
	criteriaFlow    = "flows/criteria.arazzo.yaml"
	xpathFlow       = "flows/xpath.arazzo.yaml"
	actionsFlow     = "flows/actions.arazzo.yaml"
	actions11Flow   = "flows/actions-1.1.arazzo.yaml"
	workflowsFlow   = "flows/workflows.arazzo.yaml"
	expressionsFlow = "flows/expressions.arazzo.yaml"
	inputsFlow      = "flows/inputs.arazzo.yaml"
	v11Flow         = "flows/v1.1.arazzo.yaml"
	v11XPathFlow    = "flows/v1.1-xpath.arazzo.yaml"
)

// one is a case of a workflow with one step of the same name that passes.
func one(feature, file, id string) benchCase {
	return benchCase{feature: feature, file: file, workflow: id, passed: true, want: map[string]string{id + "/" + id: "P"}}
}

// cases are the comparison: every feature of Arazzo 1.0.1, and the
// additions of 1.1, in workflows that check their own requests through
// the library's echo. Each feature has its own workflow, so that a runner
// that gets one wrong still runs the others.
var cases = []benchCase{
	one("path parameter, percent-encoded", requestsFlow, "path"),
	one("query parameters: array, text to encode, {$inputs} embedded", requestsFlow, "query"),
	one("header parameters from inputs", requestsFlow, "header"),
	one("cookie parameters", requestsFlow, "cookie"),
	one("JSON payload with expressions", requestsFlow, "json-body"),
	one("payload replacements (JSON pointer)", requestsFlow, "replacements"),
	one("form payload", requestsFlow, "form"),
	one("text payload with {$inputs} embedded", requestsFlow, "text-body"),
	one("operationPath", requestsFlow, "operation-path"),
	one("simple: $statusCode ==", criteriaFlow, "status"),
	one("simple: && || ! ( )", criteriaFlow, "logic"),
	one("simple: strings compare without case", criteriaFlow, "string-case"),
	one("simple: $response.body#/pointer", criteriaFlow, "pointer"),
	one("simple: a pointer that reaches nothing is null", criteriaFlow, "missing-null"),
	one("simple: [index] and .property", criteriaFlow, "property-index"),
	one("regex", criteriaFlow, "regex"),
	one("JSONPath", criteriaFlow, "jsonpath"),
	one("JSONPath filter (RFC 9535)", criteriaFlow, "jsonpath-filter"),
	one("JSONPath filter (Goessner draft)", criteriaFlow, "jsonpath-goessner"),
	{feature: "simple criterion that fails", file: criteriaFlow, workflow: "fail-simple", want: map[string]string{"fail-simple/status": "F"}},
	{feature: "regex criterion that fails", file: criteriaFlow, workflow: "fail-regex", want: map[string]string{"fail-regex/regex": "F"}},
	{feature: "JSONPath criterion that fails", file: criteriaFlow, workflow: "fail-jsonpath", want: map[string]string{"fail-jsonpath/jsonpath": "F"}},
	{feature: "number compared with text", file: criteriaFlow, workflow: "fail-types", want: map[string]string{"fail-types/compare": "F"}},
	one("XPath", xpathFlow, "xpath"),
	one("XPath 1.0 (version)", xpathFlow, "xpath-10"),
	{feature: "XPath criterion that fails", file: xpathFlow, workflow: "fail-xpath", want: map[string]string{"fail-xpath/xpath": "F"}},
	{feature: "retry until done (retryAfter, retryLimit)", file: actionsFlow, workflow: "poll-retry", passed: true,
		want: map[string]string{"poll-retry/job": "FFP"}},
	{feature: "goto the same step until done", file: actionsFlow, workflow: "poll-goto", passed: true,
		want: map[string]string{"poll-goto/job": "PPP", "poll-goto/after": "P"}},
	{feature: "retry with criteria, then the workflow's end", file: actionsFlow, workflow: "give-up", faults: arazzotest.Faults{FlakyFails: 5},
		want: map[string]string{"give-up/flaky": "FFF", "give-up/never": ""}},
	{feature: "Retry-After and a reusable failure action", file: actionsFlow, workflow: "retry-after", passed: true,
		faults: arazzotest.Faults{FlakyFails: 2, RetryAfter: "1"}, want: map[string]string{"retry-after/flaky": "FFP"}},
	{feature: "retry that runs another step first", file: actionsFlow, workflow: "refresh", passed: true, faults: arazzotest.Faults{Expired: true},
		want: map[string]string{"refresh/books": "FP", "refresh/refresh-token": "P"}},
	{feature: "goto another workflow", file: actionsFlow, workflow: "hand-over", passed: true,
		want: map[string]string{"hand-over/check": "P", "hand-over/skipped": "", "poll-retry/job": "FFP"}},
	{feature: "1.1 failure goto a workflow with parameters; its success end", file: actions11Flow, workflow: "recover", passed: true,
		want: map[string]string{"recover/broken": "F", "child/fine": "P", "child/after-end": ""}},
	{feature: "failure end", file: actionsFlow, workflow: "fail-end", want: map[string]string{"fail-end/missing": "F"}},
	{feature: "endless goto stopped (at 5 step runs)", file: actionsFlow, workflow: "loop", maxSteps: 5, want: map[string]string{}},
	{feature: "1.1 retry that runs a workflow with parameters first", file: actions11Flow, workflow: "retry-via-workflow", passed: true, faults: arazzotest.Faults{FlakyFails: 1},
		want: map[string]string{"retry-via-workflow/flaky": "FP", "child/fine": "P", "child/after-end": "P"}},
	{feature: "dependsOn, reusable parameter, $workflows outputs", file: workflowsFlow, workflow: "depends", passed: true,
		want: map[string]string{"sign-in/token": "P", "depends/books": "P"}},
	{feature: "step that runs a workflow, $outputs", file: workflowsFlow, workflow: "nested", passed: true,
		want: map[string]string{"nested/login": "P", "sign-in/token": "P", "nested/check": "P"}},
	{feature: "reusable success and failure actions", file: workflowsFlow, workflow: "reused-actions", passed: true, faults: arazzotest.Faults{FlakyFails: 1},
		want: map[string]string{"reused-actions/flaky": "FP", "reused-actions/never": ""}},
	{feature: "workflow failure actions", file: workflowsFlow, workflow: "workflow-actions", passed: true, faults: arazzotest.Faults{FlakyFails: 1},
		want: map[string]string{"workflow-actions/flaky": "FP"}},
	one("$method", expressionsFlow, "method"),
	one("$url", expressionsFlow, "url"),
	one("$request.query, .path, .header", expressionsFlow, "request-parts"),
	one("$request.body#/pointer", expressionsFlow, "request-body"),
	one("$statusCode, $response.header, $response.body#/pointer", expressionsFlow, "response-parts"),
	{feature: "$steps outputs, {$…} embedded, $inputs", file: expressionsFlow, workflow: "outputs", passed: true,
		want: map[string]string{"outputs/first": "P", "outputs/second": "P"}},
	one("$sourceDescriptions.<name>.url", expressionsFlow, "source-url"),
	{feature: "$workflows outputs of a dependency", file: expressionsFlow, workflow: "after", passed: true,
		want: map[string]string{"outputs/first": "P", "outputs/second": "P", "after/previous": "P"}},
	{feature: "input defaults", file: inputsFlow, workflow: "defaults", passed: true, want: map[string]string{"defaults/send": "P"}},
	{feature: "inputs given", file: inputsFlow, workflow: "given", passed: true, inputs: map[string]any{"who": "zoe"},
		want: map[string]string{"given/send": "P"}},
	{feature: "required input missing: nothing sent", file: inputsFlow, workflow: "required-missing",
		want: map[string]string{"required-missing/send": ""}},
	{feature: "input against its schema: nothing sent", file: inputsFlow, workflow: "invalid", inputs: map[string]any{"n": 0},
		want: map[string]string{"invalid/send": ""}},
	{feature: "1.1 Selector Objects (JSON pointer, JSONPath)", file: v11Flow, workflow: "selectors", passed: true,
		want: map[string]string{"selectors/session": "P", "selectors/books": "P", "selectors/check": "P"}},
	{feature: "1.1 Selector Object (XPath)", file: v11XPathFlow, workflow: "xpath-selector", passed: true,
		want: map[string]string{"xpath-selector/loan": "P", "xpath-selector/check": "P"}},
	{feature: "1.1 step dependsOn", file: v11Flow, workflow: "step-order", passed: true,
		want: map[string]string{"step-order/first": "P", "step-order/second": "P"}},
	{feature: "1.1 querystring parameter", file: v11Flow, workflow: "querystring", passed: true, want: map[string]string{"querystring/send": "P"}},
	{feature: "1.1 XPath on an HTML page", file: v11XPathFlow, workflow: "html-page", passed: true,
		want: map[string]string{"html-page/page": "P", "html-page/check": "P"}},
	{feature: "1.1 step timeout", file: v11Flow, workflow: "timeout", want: map[string]string{"timeout/slow": "F"}},
}
