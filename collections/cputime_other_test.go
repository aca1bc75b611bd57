//go:build !unix

package collections

import (
	"testing"
	"time"
)

// cpuTime skips the test where getrusage is not available.
func cpuTime(t *testing.T) time.Duration {
	t.Helper()
	t.Skip("CPU time is measured with getrusage, on Unix only")
	return 0
}
