// Package runner runs a loaded collection: it renders each step's templates
// against an explicit scope, sends the requests in order with one HTTP client
// (one cookie jar per run), evaluates the checks into CheckResult values,
// stores captures for later steps and returns everything as a *Result.
//
// The package never writes to the terminal and never exits: the command line
// renders a Result. Every string a Result holds (URLs, headers, bodies,
// actual and expected values, error messages) is masked: the values of
// secret variables and captures, and the credentials of Authorization,
// Proxy-Authorization, Cookie and Set-Cookie headers, read "***".
//
// Values keep their JSON types from the response to the report: a JSON
// integer becomes an int64 parsed from its literal (never through float64),
// or a *big.Int beyond int64; a decimal becomes a float64 when its text is a
// float64's shortest form, else an exact collections.Decimal. Numbers
// compare exactly whatever their types, and 200 never equals "200".
//
// # Where to start
//
//   - run.go: [Runner.Run], the loop over the steps and the per-step
//     pipeline (if:, request, checks, captures); options.go holds [Options]
//     and [New], result.go the [Result] and [StepResult] values it returns.
//   - request.go and response.go build, send and read one request;
//     limits.go bounds its time and body size.
//   - check.go evaluates expect: into [CheckResult] values, with
//     predicates.go, assert.go (assert: and if:), schema.go and snapshot.go;
//     typed.go holds the [Typed] values and their exact comparison.
//   - capture.go (and markup.go for XPath and CSS) stores captures in the
//     scope for later steps.
//   - flow.go (retry:, until:, fail:, for_each:, repeat:) and include.go run
//     steps more than once or from another file.
//   - authprofile.go and authorize.go connect auth: and authorize: steps to
//     package auth.
//   - mask.go hides secrets in every string a Result holds.
//   - record.go, replaymask.go and diff.go record exchanges and replay them;
//     select.go picks the steps of a partial run; state.go is the scope a
//     run ended with.
package runner
