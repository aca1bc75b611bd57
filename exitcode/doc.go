// Package exitcode holds the exit codes of the callsheet command and their
// order of severity. They are part of the command's interface: scripts
// and CI jobs branch on them, so they do not change. The packages that
// judge an outcome (session for runs, load for load tests) map it to one
// of these; the command line returns it.
package exitcode
