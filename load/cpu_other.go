//go:build !unix

package load

import "time"

// cpuTime is not measured here: no CPU-bound warning.
func cpuTime() (time.Duration, bool) { return 0, false }
