// Package schema holds the JSON Schema of the collection format
// (collection.schema.json), which editors use through the
// `# yaml-language-server: $schema=…` comment. Its test keeps it in step
// with the loader: every bundled collection and every valid test file must
// validate, and structurally invalid test files must be rejected.
package schema

import _ "embed"

// JSON is the collection format's JSON Schema (draft 2020-12).
//
//go:embed collection.schema.json
var JSON []byte
