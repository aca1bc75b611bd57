package session

import (
	"github.com/callsheet/callsheet/exitcode"
	"github.com/callsheet/callsheet/runner"
)

// VerdictCode is the exit code of a verdict (see Verdict): exitcode.Error
// for Errored, exitcode.Failed for Failed, else exitcode.OK.
func VerdictCode(v runner.Outcome) int {
	switch v {
	case runner.Errored:
		return exitcode.Error
	case runner.Failed:
		return exitcode.Failed
	}
	return exitcode.OK
}

// ExitCode is the exit code of the session: its worst result's,
// exitcode.Interrupted when it was interrupted, at least exitcode.Error
// when its MaxTime expired.
func (s Summary) ExitCode() int {
	code := VerdictCode(s.Verdict)
	switch {
	case s.Interrupted:
		return exitcode.Interrupted
	case s.TimedOut:
		return exitcode.Worse(code, exitcode.Error)
	}
	return code
}
