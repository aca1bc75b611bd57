package cmd

import (
	"errors"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/exitcode"
	"github.com/callsheet/callsheet/session"
)

// Exit codes of the callsheet command, as package exitcode defines and
// describes them. They are part of its interface: scripts and CI jobs
// branch on them, so they do not change.
const (
	ExitOK          = exitcode.OK
	ExitFailed      = exitcode.Failed
	ExitUsage       = exitcode.Usage
	ExitError       = exitcode.Error
	ExitThreshold   = exitcode.Threshold
	ExitInterrupted = exitcode.Interrupted
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

// usage turns a session's *InputError into a usage error of command, with
// its hint; other errors stay as they are.
func usage(err error, command string) error {
	var ie *session.InputError
	if errors.As(err, &ie) {
		return &usageError{err: ie.Err, hint: ie.Hint, command: command}
	}
	return err
}

// codeError turns an exit code that was already reported into the error a
// command returns.
func codeError(code int) error {
	if code == ExitOK {
		return nil
	}
	return &reportedError{code: code}
}
