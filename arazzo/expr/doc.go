// Package expr parses and evaluates the runtime expressions of Arazzo
// workflows ($statusCode, $response.body#/id, $steps.login.outputs.token,
// …), the strings that embed them in braces (https://{$inputs.host}/pets),
// and the simple conditions of Criterion Objects ($statusCode == 200 &&
// $response.body.ok).
//
// The grammar is the ABNF of Arazzo 1.1.0, which also covers 1.0.x; the
// package accepts the 1.1-only roots ($message, $self, payload) and leaves
// version checks to its caller. Parsing reports a *SyntaxError with the
// byte offset of the problem. Evaluation reads values from a Context, a
// one-method interface the workflow engine implements.
//
// Two readings go beyond the ABNF, following the specification's own
// examples: a body or payload may be followed by a property path
// ($response.body.items[0].id), and a dotted input or output name that
// names nothing as a whole is a name followed by a property path
// ($inputs.user.id reads member id of input user).
//
// # Where to start
//
//   - expr.go and parse.go: [Expr] and [Parse].
//   - template.go: [Template], strings with {$…} expressions.
//   - eval.go: [Context], [Expr.Eval], JSON pointers and [Text].
//   - condition.go, condeval.go and compare.go: [Condition], its
//     evaluation to a [Result] with a trace, and the loose comparison
//     rules.
package expr
