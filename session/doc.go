// Package session runs what one `callsheet run` asks for, beside the
// runner and without the command line: it plans the runs (files, folders
// and bundled collections, --rerun-failed, --shard, the selection, data
// rows and iterations), layers the variables given outside the
// collections, schedules the runs (--jobs, --bail, interrupts, --max-time)
// and hands every result to its consumers. It also keeps the state file,
// the recorded-run store with replay, and the memory of --watch.
//
// A Consumer takes the results: the console, each report, the HAR file,
// the recorder, the state saver and the watch are all consumers. Each
// gets every step of a unit once it is final (no later step can capture
// a secret it might show) and the units' results in plan order, however
// many run at once; a Needer says what of each result it reads, and a
// run keeps no more than its consumers need, so memory stays flat.
//
// The package never writes to the terminal: it returns values and errors,
// and an *InputError for a mistake in what it was given, naming the
// option as the command line spells it.
//
// # Where to start
//
//   - session.go: Options, and Session with its steps New (inputs),
//     Load (collections), Plan (units, plan.go) and Run (scheduler.go).
//   - consumer.go: the Consumer, Run, Live and Needer interfaces, and
//     Verdict; exit.go: the exit code of a verdict and of a session.
//   - select.go: the one selection model (--only, --skip, --tag, --step,
//     --from); shard.go: --shard and what an earlier report says;
//     inputs.go: --data rows and --env files; vars.go: the layers of
//     variables, in order of precedence; load.go: paths to collections.
//   - arazzo.go: Arazzo documents, one unit per workflow, run by the
//     arazzo engine with every request sent by runner.Exec
//     (arazzo_run.go); arazzo_auth.go: the x-callsheet-auth extension;
//     arazzo_remote.go: source descriptions at URLs, fetched before Run
//     sends anything, and the variables that say where sources are;
//     arazzo_message.go: the messages of AsyncAPI steps, sent and
//     received through a messaging.Hub per workflow run.
//   - state.go: --state; runs.go: --record and the run store; replay.go:
//     `callsheet replay`, and replay_message.go the messages it sends and
//     waits for again through a messaging.Hub; watch.go: --watch; client.go and roots.go: the
//     HTTP client and the certificates it trusts; login.go: `callsheet
//     auth login`, the profile's grant run to fill the token cache.
package session
