// Package openapi reads OpenAPI descriptions (3.0 and 3.1, and Swagger
// 2.0; YAML or JSON; split over local files with $refs) and checks HTTP
// exchanges against them.
//
// [Load] and [LoadFile] read a description into a [Description]: its
// operations in document order, each with its servers, parameters,
// request body, responses and security, and the location of every element
// (file, line, column and JSON pointer). Loading checks that every $ref
// leads somewhere and that the description's structure is valid (with
// kin-openapi, which resolves the references and knows each version of
// the specification), and reports all the problems found at their
// positions. References are read from local files inside the
// description's folder only.
//
// [Description.Find] tells which operation a request matches, by method
// and path template under the servers' base paths (the host is not
// compared, so requests to a test server match); [Description.Operation]
// finds one by operationId.
//
// A [Checker] holds every schema of a description compiled with
// github.com/santhosh-tekuri/jsonschema/v6 (draft 2020-12 for OpenAPI 3.1,
// draft 4 with nullable for 3.0 and 2.0), so that checking an exchange is
// only a validation. [Checker.CheckResponse] checks the status, the
// documented headers, the Content-Type and the body; [Checker.CheckRequest]
// checks parameters and the body. Each [Violation] carries the JSON
// pointer of the offending value, the description's location that says
// otherwise (the failing schema keyword, through $refs into other files)
// and a message.
//
// Importers use the model: [Description.Example] and
// [Description.BodyExample] give a parameter's or a body's example, as
// written or made from the schema.
//
// # Where to start
//
// load.go ([Load], validation with kin-openapi), source.go (files as YAML
// nodes, JSON pointers, $refs, positions), build.go and build2.go (the
// model of OpenAPI 3 and of Swagger 2.0), match.go ([Description.Find]),
// check.go and params.go ([Checker]), schema.go (the schema compiler's
// view of the files) and sample.go (examples made from schemas).
package openapi
