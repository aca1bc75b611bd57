// Package collections defines callsheet's collection format: the typed
// structures a YAML collection file decodes into, the loader that builds them
// from yaml.Node trees while keeping the file:line:col of every value, the
// validation that reports every problem at once, and the {{ expression }}
// templates found inside scalar values.
//
// The package performs no HTTP and writes nothing to the terminal: it returns
// values and errors. Keys are snake_case everywhere. The format reference is
// docs/format.md at the root of the repository.
//
// # Where to start
//
//   - collection.go: [Collection], [Step] and its [Action] (a [Request],
//     an [Authorize], an [Include] or a [Fail]), [Expect], [Capture] and
//     the other plain data a file decodes into; every node keeps its [Pos]
//     (pos.go).
//   - keys.go: the [Mapping]s of the format, the one list of its keys that
//     the loader, `callsheet fmt`, the JSON Schema and docs/format.md
//     follow.
//   - load.go: [Load], [LoadFS] and [Parse], the limits every file is held
//     to, and the yaml.Node helpers of the loader; walk.go decodes the
//     top level, steps and bodies, expect.go the expect: block,
//     predicates.go the predicates and their expected values, capture.go
//     the captures, query.go the XPath and CSS queries compiled at load,
//     flow.go retry:, for_each: and the other control keys, auth.go the
//     auth: profiles, include.go include: steps and the profiles of
//     included files.
//   - names.go: the check that every name a template reads is defined;
//     filerefs.go, that every file named literally is inside the folder.
//   - errors.go and excerpt.go: [Error] and [ErrorList], and their
//     rendering with a source excerpt and caret.
//   - template.go and value.go: {{ }} templates and typed values, whose
//     expressions are compiled and evaluated by package eval (scope,
//     functions, exact numbers); exprcache.go compiles each distinct
//     expression once per load.
//   - bundled.go: the collections shipped in the binary (procore/).
package collections
