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
// float64's shortest form, else an exact eval.Decimal. Numbers
// compare exactly whatever their types, and 200 never equals "200".
//
// # Where to start
//
// step.go is the pipeline of one step, to read top to bottom: render the
// request, send it, evaluate the checks, store the captures. Each stage is
// a small type of its own:
//
//   - renderer (render.go): the step's request as sent, an exchange.Request,
//     from the templates and the run's scope; also the parameters of an
//     authorization and the auth profiles.
//   - sender (send.go): the run's clients and limits; sends the request
//     with the token of its auth profile (tokens, authprofile.go) and reads
//     the response into a subject (response.go). limits.go bounds bodies,
//     redirects and the run's time.
//   - checker (check.go): the expect: block; predicates.go is the table of
//     predicates, assert.go, schema.go and snapshot.go the whole-body
//     checks, markup.go the XPath and CSS queries, typed.go the exact
//     comparison of values.
//   - contracts (contract.go): with openapi:, the response (and, as
//     warnings, the request) checked against its OpenAPI operation, the
//     descriptions compiled once per Runner and collection;
//     contract_paths.go is validate's listing of steps no operation
//     matches ([CheckContracts]).
//   - capturer (capture.go): the captures, stored in the scope.
//   - delivery (deliver.go): holds each result until no later step can
//     capture a secret it shows, then hands it on (Options.OnFinal);
//     recorder (record.go) keeps the exchanges for recordings.
//   - mask.go applies package mask to everything a result holds.
//
// run.go holds [Runner.Run] and the run: the steps in order, around the
// stages. flow.go is the control flow (if:, retry:, until:, fail:,
// repeat:, for_each:, finally:), include.go the include: steps,
// authorize.go the authorize steps. options.go holds [Options], grouped by
// concern, and [New]; result.go the [Result] and [StepResult] values a run
// returns. select.go picks the steps of a partial run, state.go is the
// scope a run ended with, preview.go renders requests without sending them
// (export curl), and replay.go and diff.go replay recorded exchanges;
// record.go records exchanges and messages, replay_message.go sends and
// waits for recorded messages again through a [Messenger].
// exec.go holds [Runner.Exec], the run of requests built outside the
// runner (the steps of an Arazzo workflow), through the same sender,
// masker, recorder and delivery.
package runner
