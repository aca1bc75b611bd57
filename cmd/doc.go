// Package cmd is callsheet's command-line front end: it parses flags, loads
// collections, runs them and renders the results. It is the only package
// that touches the terminal, colours and exit codes; everything it needs of
// the process arrives as arguments to Main.
//
// Where to start reading:
//
//   - app.go: Main, the urfave/cli app and its commands; exit.go maps
//     errors to the exit codes.
//   - run.go: `callsheet run`, from flags to results. Its flags come in
//     groups, each in its own file: vars.go (--var, --env-file, --sandbox),
//     ci.go (the CI flags), state.go and watch.go (--state, --step,
//     --record, --watch: the replay loop), check_flags.go, limit_flags.go,
//     har.go and auth.go (tokens).
//   - units.go: how a run is planned into units (one per collection, data
//     row and iteration) and run in parallel with output kept in order.
//     The CI flags it uses live by concern: select.go (--only, --skip,
//     --tag, --rerun-failed), shard.go (--shard), data.go (--data), env.go
//     (--env and CALLSHEET_VAR_), report_streams.go (--report-*) and
//     retain.go (what each result keeps once printed).
//   - render.go, check_render.go, progress.go: what the terminal shows
//     (step lines, failures, live progress); every text callsheet did not
//     write goes through internal/safetext first. client.go is the HTTP
//     client, and the --insecure warning.
//   - One file per other command: validate.go, init.go, fmt.go, import.go,
//     export.go, replay.go, runs.go, watch.go, sandbox.go, version.go.
//
// Tests drive the CLI in-process through Main (main_test.go has the
// helpers), with goldens in testdata/ refreshed by `go test -update`.
package cmd
