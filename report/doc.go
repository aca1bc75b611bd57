// Package report renders the results of a run for machines: JUnit XML, a
// stable JSON document, TAP, a self-contained HTML page, GitHub Actions
// annotations and HAR. Every writer is a pure function of the results: it
// reads []*runner.Result and writes to an io.Writer, nothing else. Results
// are already masked by the runner, so reports never hold a secret.
//
// To write a report to disk, Create returns a Stream. Each step goes to
// its collection's Part as soon as it ends, and each collection's part to
// the Stream as soon as its run is printed, both written to disk at once
// (a Part keeps up to 256 KiB in memory), so memory grows neither with
// the number of collections nor with their steps; Close assembles the
// same bytes as the Writer atomically (a temporary file renamed into
// place), so a reader never sees half a report, even when the run was
// interrupted. Output is such a report as a session.Consumer: a session
// gives it each step and each unit's result as they come; Annotations and
// HAR are the consumers that write at the end.
//
// # Where to start
//
// problems.go turns a step into the reasons it did not pass, which every
// format prints; json.go, junit.go, tap.go, html.go and github.go are one
// format each (html.css and html.js are the page's style and script);
// stream.go writes a report to disk as results arrive (json_stream.go for
// JSON), part.go holds a collection's steps meanwhile. output.go, har.go
// and the end of github.go are the session consumers. merge.go reads JSON
// reports back into results, to merge the reports of a sharded run.
package report
