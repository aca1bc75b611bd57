// Package load runs a collection as a load test: virtual users run its
// steps in order, again and again, each iteration a runner.Run with its
// own scope, captures and cookie jar, while the package records every
// request into fixed-memory HdrHistogram histograms (load/hist), per step
// and overall, with a time series of one point per interval. It evaluates
// thresholds on what it measured, and writes the summary as text, JSON
// (mergeable: it carries the histograms) and a self-contained HTML page.
// load/stream/prom and load/stream/otlp export the live figures.
//
// The package never writes to the terminal; cmd does (callsheet load,
// callsheet load merge). Summary.ExitCode says which exit code a
// summary deserves; load/stream feeds the live figures to the exporters.
//
// # Where to start
//
//   - scenario.go: [Scenario] and its executors; segment.go: --segment
//     K/N and the share of a scenario it runs; collection.go: a
//     collection's load: mapping as a [Plan].
//   - run.go: [Test.Run], the clock, progress and abort-on-fail;
//     executors.go: how users are driven (constant, ramping, per-user,
//     arrival rate, with schedule.go); user.go: one iteration.
//   - stats.go, collector.go and series.go: what is recorded and how;
//     watch.go: the CPU-bound and late-start warnings.
//   - summary.go: the [Summary]; threshold.go: [Threshold] and its
//     evaluation; merge.go: [Merge]; jsonform.go, text.go and html.go:
//     its forms; exit.go: its exit code.
package load
