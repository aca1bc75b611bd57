// Package convert moves requests between callsheet collections and the
// formats teams already have: it imports Postman collections (v2.0 and
// v2.1) and environments, Insomnia exports, Bruno collection folders,
// .http files, cURL and HTTPie command lines, HAR browser recordings and
// OpenAPI descriptions (read by package openapi) as collection YAML, and
// exports collections as Postman collections (v2.1) and Arazzo workflows
// (with an OpenAPI description of the operations they call), steps as
// runnable cURL commands and run exchanges as HAR 1.2.
//
// Importers write YAML text through gopkg.in/yaml.v3 nodes, so that what
// could not be translated stays in the output as a comment beside its step;
// the same things are listed in Import.Notes. Every imported collection
// loads with collections.Parse.
//
// Exporters never print a secret: secret variables and captures become
// shell variables ($ACCESS_TOKEN) that the user sets before running the
// command, or Arazzo inputs with format password and no default (text
// that holds a secret's value reads the input there instead).
//
// The Arazzo export writes what Arazzo can check with simple conditions
// (numbers, null, expressions) and regex ones (text, which must match
// exactly; Arazzo's == compares strings without case). It does not
// compare JSON types: "5" passes where 5 is expected, and a type check is
// a check that the value is present. Everything else that cannot be said
// is a note.
//
// # Where to start
//
// yamlnode.go holds what an import returns ([Import], [File], [Note]) and
// the YAML node helpers; builder.go assembles every imported collection;
// postman.go, insomnia.go, bruno.go (and brunostep.go), httpfile.go,
// curl.go, httpie.go (with shell.go, which splits command lines), har.go
// and openapi.go (with openapi_step.go and openapi_auth.go) are the
// importers, request.go what they share. Scripts (Postman's pm.*,
// Insomnia's, Bruno's and the JetBrains client's response handlers) are
// parsed as JavaScript and translated by pmscript.go (statements),
// pmeval.go (values), pmchai.go (chai chains) and pmguard.go (checks under
// a condition, as assert expressions). curlprint.go, pmexport.go (with
// pmexport_tests.go), harexport.go and arazzo.go (with arazzo_expr.go for
// variables and templates, arazzo_request.go for steps and requests,
// arazzo_checks.go, arazzo_outputs.go, arazzo_auth.go for authorize steps
// and auth profiles, and arazzo_openapi.go for the description) are the
// exporters; format.go is the canonical formatter behind [Format].
package convert
