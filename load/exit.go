package load

import "github.com/callsheet/callsheet/exitcode"

// ExitCode is the exit code the summary deserves: exitcode.Interrupted
// when the test was interrupted, exitcode.Threshold when a threshold
// failed, else exitcode.Error or exitcode.Failed when requests errored or
// checks failed and no threshold of the whole test (on checks or failed,
// errors or http_errors) says how many may. The thresholds of one
// segment of a test do not count: `load merge` evaluates them on the
// whole.
func (s *Summary) ExitCode() int {
	segment := len(s.Segments) == 1 && !s.Segments[0].Whole()
	switch {
	case s.Aborted == "interrupted":
		return exitcode.Interrupted
	case !s.Passed() && !segment:
		return exitcode.Threshold
	}
	tolerated := map[string]bool{}
	for _, r := range s.Thresholds {
		tolerated[r.Metric] = tolerated[r.Metric] || r.Step == ""
	}
	t := s.Total
	switch {
	case t.Errors > 0 && !tolerated["errors"] && !tolerated["http_errors"]:
		return exitcode.Error
	case (t.ChecksFailed > 0 || t.Failed > 0) && !tolerated["checks"] && !tolerated["failed"]:
		return exitcode.Failed
	}
	return exitcode.OK
}
