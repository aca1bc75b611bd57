// Package arazzo reads and runs OpenAPI Initiative Arazzo workflows
// (versions 1.0.x and 1.1.x): ordered steps that call operations of OpenAPI
// descriptions, or other workflows, with inputs checked by JSON Schema,
// parameters, request bodies, success criteria, success and failure
// actions, and outputs.
//
// The package is independent of callsheet's runner. It parses a document
// into typed structures that keep the file:line:col of every value and
// reports every problem at once as a collections.ErrorList, rendered like
// the errors of callsheet's own format. An Engine then interprets a
// workflow: it decides which step runs next, builds each step's request as
// plain data, hands it to a Sender, evaluates the step's criteria against
// the response, applies actions, and reports every step through a
// callback. The Sender and the descriptions of the APIs are interfaces the
// caller provides, so the engine performs no I/O of its own.
//
// # Where to start
//
//   - document.go: [Document], [Workflow], [Step] and the other objects
//     of the specification.
//   - load.go: [Load] and [Parse], the limits every file is held to and
//     the yaml.Node helpers; decode.go, decode_workflow.go,
//     decode_parts.go and value.go decode the objects; validate.go checks
//     what refers to what; schema.go compiles inputs schemas.
//   - The runtime expressions, templates and simple conditions are in
//     the sub-package expr.
package arazzo
