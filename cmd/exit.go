package cmd

import (
	"errors"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/runner"
	"github.com/callsheet/callsheet/session"
)

// Exit codes of the callsheet command. They are part of its interface:
// scripts and CI jobs branch on them, so they do not change.
const (
	// ExitOK means every check of every collection passed (or, for
	// validate, every collection is valid).
	ExitOK = 0
	// ExitFailed means a request was sent and one of its checks or
	// captures failed.
	ExitFailed = 1
	// ExitUsage means the command line was wrong (unknown flag, missing
	// PATH, bad --var, unreadable --env-file or --cacert) or a collection
	// failed to load or validate. Nothing was sent.
	ExitUsage = 2
	// ExitError means a step could not complete: connection refused,
	// timeout, TLS failure, a variable undefined at run time.
	ExitError = 3
	// ExitThreshold means a load test ran and one of its thresholds
	// failed (callsheet load, callsheet load merge).
	ExitThreshold = 4
	// ExitInterrupted is the exit code of a run stopped by Ctrl-C (SIGINT):
	// 128 + 2, as shells report it. The reports of what ran are still written.
	ExitInterrupted = 130
)

// usageError is a mistake on the command line. Main prints it with a pointer
// to the command's help.
type usageError struct {
	err     error
	hint    string // an optional suggestion, such as `did you mean "run"?`
	command string // the command whose --help to suggest; "" for the app
}

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// reportedError is an outcome already shown to the user (failed checks,
// rendered collection errors, a runtime error in the step report): Main
// prints nothing more and only maps it to its exit code.
type reportedError struct{ code int }

func (e *reportedError) Error() string {
	switch e.code {
	case ExitFailed:
		return "a check failed"
	case ExitThreshold:
		return "a threshold failed"
	case ExitUsage:
		return "a collection is not valid"
	default:
		return "a step could not complete"
	}
}

// exitCode maps the error a command returned to the process exit code. It is
// the only place that decides exit codes.
func exitCode(err error) int {
	var (
		reported *reportedError
		usage    *usageError
		list     collections.ErrorList
		one      *collections.Error
	)
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &reported):
		return reported.code
	case errors.As(err, &usage), errors.As(err, &list), errors.As(err, &one):
		return ExitUsage
	default:
		return ExitError
	}
}

// verdictCode is the exit code of a verdict (session.Verdict): 3 for
// Errored, 1 for Failed, else 0.
func verdictCode(v runner.Outcome) int {
	switch v {
	case runner.Errored:
		return ExitError
	case runner.Failed:
		return ExitFailed
	}
	return ExitOK
}

// resultCode is the exit code a collection's result deserves: 3 when a step
// errored or the run could not start, 1 when a check failed, else 0.
func resultCode(r *runner.Result) int { return verdictCode(session.Verdict(r)) }

// summaryCode is the exit code of a session: its worst result's, 130 when
// it was interrupted, at least 3 when its --max-time expired.
func summaryCode(sum session.Summary) int {
	code := verdictCode(sum.Verdict)
	switch {
	case sum.Interrupted:
		return ExitInterrupted
	case sum.TimedOut:
		return worse(code, ExitError)
	}
	return code
}

// usage turns a session's *InputError into a usage error of command, with
// its hint; other errors stay as they are.
func usage(err error, command string) error {
	var ie *session.InputError
	if errors.As(err, &ie) {
		return &usageError{err: ie.Err, hint: ie.Hint, command: command}
	}
	return err
}

// worse returns the more severe of two exit codes: 3 > 1 > 0, with 2 above
// all because it means the input was wrong.
func worse(a, b int) int {
	rank := func(c int) int {
		switch c {
		case ExitOK:
			return 0
		case ExitFailed:
			return 1
		case ExitError:
			return 2
		default:
			return 3
		}
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// codeError turns an exit code that was already reported into the error a
// command returns.
func codeError(code int) error {
	if code == ExitOK {
		return nil
	}
	return &reportedError{code: code}
}
