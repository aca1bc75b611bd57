// Package console renders a session's results on a terminal (or a pipe):
// a heading per collection, a line per step once it is final, each
// failure as a source excerpt with carets and the typed actual and
// expected values, the -v and -vv views of the exchange and its curl
// line, live progress lines, and the summary line.
//
// Console is the session.Consumer that prints all of it; Style colours
// text; HeldWriter holds what is written to a pipe so that a run costs a
// few writes. Every text callsheet did not write goes through
// internal/safetext first, and every source line or URL shown is masked
// like the step it belongs to.
//
//   - console.go: Console, its Options, and the part of one unit.
//   - reporter.go: the step lines, failures, exchanges and summary.
//   - failure.go: how a failed check's values are cut and shown.
//   - known.go: the values a URL not sent is shown with.
//   - progress.go, curl.go, style.go, held.go.
//   - What other commands print: loaderrors.go (collections that do not
//     load), replay.go (`callsheet replay`), tables.go (`runs`, `auth
//     status`), bundled.go (`list`), import.go (what an import leaves to do), loadprogress.go
//     (the live line of `callsheet load`).
package console
