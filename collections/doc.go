// Package collections defines callsheet's collection format: the typed
// structures a YAML collection file decodes into, the loader that builds them
// from yaml.Node trees while keeping the file:line:col of every value, the
// validation that reports every problem at once, and the {{ expression }}
// templates found inside scalar values.
//
// The package performs no HTTP and writes nothing to the terminal: it returns
// values and errors. Keys are snake_case everywhere. The format reference is
// docs/format.md at the root of the repository.
package collections
