// Package report renders the results of a run for machines: JUnit XML, a
// stable JSON document, TAP, a self-contained HTML page and GitHub Actions
// annotations. Every writer is a pure function of the results: it reads
// []*runner.Result and writes to an io.Writer, nothing else. Results are
// already masked by the runner, so reports never hold a secret.
//
// WriteFile writes a report atomically (a temporary file renamed into
// place), so a reader never sees half a report, even when the run was
// interrupted.
package report
