// Package cmd is callsheet's command-line front end: it parses flags,
// builds the options of a session (package session) and hands it to the
// consumers that render what happens (packages console and report). It
// is the only package that reads flags, asks whether a stream is a
// terminal and maps outcomes to exit codes; everything it needs of the
// process arrives as arguments to Main.
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
//   - The terminal's view of a run (step lines, failures, live progress,
//     the summary) is package console; output.go only decides whether
//     stdout is held.
//   - One file per other command: validate.go, init.go, fmt.go, import.go,
//     export.go, replay.go, runs.go, watch.go, sandbox.go, version.go,
//     man.go (manpage.go builds the page from the command definitions,
//     written through internal/roff).
//
// Tests drive the CLI in-process through Main (main_test.go has the
// helpers), with goldens in testdata/ refreshed by `go test -update`.
package cmd
