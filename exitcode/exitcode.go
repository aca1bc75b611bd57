package exitcode

// The exit codes.
const (
	// OK means every check of every collection passed (or, for validate,
	// every collection is valid).
	OK = 0
	// Failed means a request was sent and one of its checks or captures
	// failed.
	Failed = 1
	// Usage means the command line was wrong (unknown flag, missing PATH,
	// bad --var, unreadable --env-file or --cacert) or a collection failed
	// to load or validate. Nothing was sent.
	Usage = 2
	// Error means a step could not complete: connection refused, timeout,
	// TLS failure, a variable undefined at run time.
	Error = 3
	// Threshold means a load test ran and one of its thresholds failed
	// (callsheet load, callsheet load merge).
	Threshold = 4
	// Interrupted is the exit code of a run stopped by Ctrl-C (SIGINT):
	// 128 + 2, as shells report it. The reports of what ran are still
	// written.
	Interrupted = 130
)

// Worse returns the more severe of two exit codes: Error > Failed > OK,
// with every other code above all, because it means the input was wrong
// or the run was cut short.
func Worse(a, b int) int {
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// rank orders the exit codes by severity.
func rank(code int) int {
	switch code {
	case OK:
		return 0
	case Failed:
		return 1
	case Error:
		return 2
	default:
		return 3
	}
}
