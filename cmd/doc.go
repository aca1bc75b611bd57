// Package cmd is callsheet's command-line front end: it parses flags,
// builds the options of a session (package session) and renders what
// happens. It is the only package that touches the terminal, colours and
// exit codes; everything it needs of the process arrives as arguments to
// Main.
//
// Where to start reading:
//
//   - app.go: Main, the urfave/cli app and its commands; exit.go maps
//     errors and a session's summary to the exit codes.
//   - run.go: `callsheet run`, from flags to a session and its consumers.
//     Its flags come in groups, each in its own file: vars.go (--var,
//     --env-file, --sandbox), ci.go (reports, --jobs, selection, data),
//     state.go and watch.go (--state, --step, --record, --watch: the
//     replay loop), check_flags.go, limit_flags.go, har.go and auth.go
//     (tokens).
//   - console.go: the terminal's consumer of a session's results: step
//     lines as they are final, output grouped per collection in path
//     order, the summary.
//   - render.go, check_render.go, progress.go: what the terminal shows
//     (step lines, failures, live progress); every text callsheet did not
//     write goes through internal/safetext first.
//   - One file per other command: validate.go, init.go, fmt.go, import.go,
//     export.go, replay.go, runs.go, watch.go, sandbox.go, version.go.
//
// Tests drive the CLI in-process through Main (main_test.go has the
// helpers), with goldens in testdata/ refreshed by `go test -update`.
package cmd
