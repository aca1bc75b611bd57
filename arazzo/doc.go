// Package arazzo reads and runs OpenAPI Initiative Arazzo workflows
// (versions 1.0.x and 1.1.x): ordered steps that call operations of OpenAPI
// descriptions, send or receive messages of AsyncAPI ones, or call other
// workflows, with inputs checked by JSON Schema, parameters, request
// bodies, success criteria, success and failure actions, and outputs.
//
// The package is independent of callsheet's runner and performs no I/O of
// its own beyond reading local files: requests go out through the Sender
// it is given ([HTTPSender] is a plain one over an *http.Client, for tests
// and tools), and messages through the Messenger. Three calls take a
// document to results:
//
//	doc, err := arazzo.Load("flows.arazzo.yaml")          // collections.ErrorList
//	d, err := arazzo.Resolve(ctx, doc, arazzo.Sources{…})  // collections.ErrorList
//	res, err := (&arazzo.Engine{Sender: s}).Run(ctx, d, "workflowId", inputs)
//
// Load and Parse report every problem of a document at once, at its
// file:line:col, rendered like the errors of callsheet's own format.
// Resolve reads the source descriptions through the OpenAPI reader and
// fetcher it is given and checks what the steps name in them. The Engine
// decides which step runs next, builds each request as plain data
// (Request), hands it to the Sender, evaluates criteria, applies actions
// and reports each step run (StepResult) and workflow (WorkflowResult)
// through callbacks.
//
// # Readings of the specification
//
// Where the specification leaves room, the package reads it so:
//
//   - A step without successCriteria passes once its response arrives,
//     whatever the status. A step's outputs are evaluated only when it
//     passes; an output that cannot be evaluated fails the step.
//   - Failure actions apply to steps whose criteria fail and to transport
//     errors and timeouts; a request that cannot be built (an input that
//     is missing, a value a header cannot hold) fails the workflow at
//     once, since no action could remedy it.
//   - Actions: the step's come first, then the workflow's whose names the
//     step does not reuse; the first whose criteria all pass is taken. A
//     retry action counts its retries per step and stops applying once
//     retryLimit (1 when not written) is spent, so later failure actions
//     may apply; the count restarts when the step passes. Retry-After
//     (seconds or a date, at most Engine.MaxRetryDelay) wins over
//     retryAfter. A retry that names a step or workflow runs it after the
//     wait and before the next try; if it fails, the workflow fails.
//   - A failure handled by end fails the workflow, with the outputs that
//     can be evaluated. A failure handled by goto continues there: the
//     workflow passes if what follows does. goto to a workflow ends the
//     current one with that workflow's outcome. A success end passes.
//   - Workflow outputs are evaluated when the steps run out (one that
//     names nothing fails the workflow) or when an end or goto action
//     stops it (those that name nothing are left out).
//   - Workflows named in dependsOn run first, with the Run's inputs,
//     unless they already passed in this Run. Step dependsOn (1.1) and
//     references to other steps' outputs order the steps: a document
//     without step dependsOn must not read the outputs of a later step;
//     with it, steps are reordered as little as the dependencies require,
//     and a step whose dependency has not passed when it is reached fails.
//   - Inputs: the Run's inputs are filtered to the properties the schema
//     declares, converted to the declared type when text or a number was
//     given for the other (so --var and environment values fit), and
//     completed with the schema's defaults. Inputs with format: password
//     are listed in WorkflowResult.SecretInputs for masking.
//   - Strings: a value that starts with $ and a runtime expression's root
//     (or a likely misspelling of one) is that expression and keeps the
//     type of what it reads; a string with {$…} is a template and gives
//     text; other text, $100 included, is literal.
//   - Simple conditions: missing values (a header the response lacks, a
//     JSON pointer past the end) read as null; strings compare without
//     case; a numeric string compared with a number is a number; null
//     equals only null and orders with nothing; a condition that gives
//     something other than a boolean fails with an explanation.
//   - Regex conditions use Go's RE2 syntax and match anywhere in the
//     context's text. JSONPath of every version is evaluated as RFC 9535
//     (github.com/theory/jsonpath). XPath of every version is evaluated
//     by github.com/antchfx/xpath (XPath 1.0 with some 2.0 functions),
//     with the effective boolean value of the specification. Its context
//     is XML, or an HTML page (text that starts with <!DOCTYPE html or
//     <html), parsed as browsers parse HTML, such as the page where an
//     OAuth server shows an out-of-band authorization code.
//   - Bodies: JSON payloads keep the order written and are sent without
//     HTML escaping; structured payloads are encoded as JSON, or as a form
//     for application/x-www-form-urlencoded; other media types take text.
//     Parameters follow OpenAPI's default styles: query arrays repeat the
//     name, path and header arrays join with commas; null leaves a query,
//     header or cookie parameter out.
//   - Operations of OpenAPI descriptions read by [ReadOpenAPI] are
//     found by operationId, or by a pointer /paths/<path>/<method> (the
//     method in lower case; the pointer may be percent-encoded, as URI
//     fragments are). An operation's server is its first, with the
//     defaults of its variables; a relative one resolves against the
//     description's URL, and stays relative for a local file until
//     Sources.Servers names one.
//   - Source descriptions: relative urls resolve against $self, itself
//     resolved against the document's location (RFC 3986); Sources.URLs
//     and Sources.Servers override urls and server URLs by name in every
//     document. An untyped source's type is read from its first field.
//     Sources at http(s) URLs are read through Sources.Fetch, or left
//     unread (their steps unchecked) under Sources.Defer, for a caller
//     that reads them later, before it runs anything.
//   - AsyncAPI steps (1.1): source descriptions of type asyncapi are read
//     by package asyncapi (3.0 and 2.x). A step's operationId or
//     channelPath resolves to a channel and the first of its servers (or
//     the URL Sources.Servers gives); Resolve refuses servers whose
//     protocol is not in Sources.Protocols, steps without action, path
//     parameters the channel address lacks, query and cookie parameters,
//     header parameters and header correlationIds on WebSocket, and a
//     correlationId where no message of the channel declares one. Messages
//     go out and come in through Engine.Messenger (ErrUnsupported without
//     one). A send step builds its payload as a request body is built,
//     with header parameters as the message's headers, and passes once the
//     message is sent. A receive step waits up to its timeout
//     (Engine.ReceiveTimeout when it gives none) for a message whose value
//     at the correlationId location of the operation's messages equals the
//     step's correlationId, compared as text; none in time is a failure
//     that failure actions apply to. $message reads the message the step
//     sent or received: $message.payload (JSON when its content type is
//     JSON or unknown) and $message.header.<name>.
//
// # Where to start
//
//   - document.go: [Document], [Workflow], [Step] and the other objects
//     of the specification.
//   - load.go: [Load] and [Parse], the limits every file is held to and
//     the yaml.Node helpers; decode.go, decode_workflow.go,
//     decode_parts.go and value.go decode the objects; validate.go checks
//     what refers to what; schema.go compiles inputs schemas.
//   - resolve.go: [Resolve], [Sources], the [API] interface an OpenAPI
//     reader implements, and [Description]. openapi.go: [ReadOpenAPI],
//     the reader for Sources.OpenAPI that reads descriptions with package
//     openapi, and [OpenAPI], the API it gives, which keeps the
//     openapi.Description for contract checks.
//   - engine.go and result.go: [Engine], [Sender], [Request] and the
//     results; message.go: [Messenger], [Message] and the AsyncAPI steps,
//     resolve_async.go resolves them; run.go runs workflows and applies actions, step.go runs one
//     step, request.go and payload.go build requests, criteria.go
//     evaluates criteria and selectors, context.go is what expressions
//     read, inputs.go prepares inputs.
//   - The runtime expressions, templates and simple conditions are in
//     the sub-package expr.
package arazzo
