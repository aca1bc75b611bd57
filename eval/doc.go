// Package eval evaluates the {{ expressions }} of a collection
// (github.com/expr-lang/expr syntax): it compiles an expression into a
// [Program] with the template functions, and runs it against a [Scope] of
// variables, captures and run-dependent functions (the clock, the random
// source, the collection's folder). Numbers are exact: a number is an
// int64, a *big.Int, a float64 or a [Decimal] (number.go), and
// [CompareNumbers] compares any two exactly.
//
// Package collections holds the syntax: templates and values with their
// positions, each expression referring to its Program, as Go's
// text/template/parse holds the tree that text/template executes. eval
// knows nothing of files or positions.
//
// # Where to start
//
//   - program.go: [Compiler], [Program] and [Program.Run]; what a program
//     reads (Names, Env, Files).
//   - scope.go: [Scope]; functions.go: the template functions and
//     [Runtime].
//   - number.go: the exact numbers; value.go: [Stringify], how a value is
//     sent as text.
//   - trace.go: [Program.Substitute], the trace of an expression that did
//     not hold.
package eval
