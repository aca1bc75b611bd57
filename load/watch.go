package load

import (
	"fmt"
	"sync"
	"time"

	"github.com/callsheet/callsheet/load/hist"
)

// watch notices when the figures may measure the generator rather than
// the server: its CPUs busy, or iterations starting late.
type watch struct {
	// cpu reads the process's CPU time (cpuTime).
	cpu     func() (time.Duration, bool)
	procs   int
	lastCPU time.Duration
	lastAt  time.Time
	ok      bool
	// streak and longest count intervals in a row at or above cpuBound.
	streak, longest int
	peak            float64

	mu  sync.Mutex
	lag *hist.Histogram // how late arrival-rate iterations started
}

func (w *watch) begin(now time.Time) {
	w.lastCPU, w.ok = w.cpu()
	w.lastAt = now
	w.lag = hist.New()
}

// sample returns the share of the CPUs used since the last sample, -1 if
// unknown.
func (w *watch) sample(now time.Time) float64 {
	cpu, ok := w.cpu()
	if !ok || !w.ok {
		return -1
	}
	wall := now.Sub(w.lastAt)
	if wall <= 0 {
		return -1
	}
	share := float64(cpu-w.lastCPU) / float64(wall) / float64(w.procs)
	w.lastCPU, w.lastAt = cpu, now
	w.peak = max(w.peak, share)
	if share >= cpuBound {
		w.streak++
		w.longest = max(w.longest, w.streak)
	} else {
		w.streak = 0
	}
	return share
}

// late records how late an arrival-rate iteration started.
func (w *watch) late(d time.Duration) {
	w.mu.Lock()
	w.lag.Record(d)
	w.mu.Unlock()
}

// warnings says what the watch saw that casts doubt on the figures.
func (w *watch) warnings(c *collector) []string {
	out := []string{}
	if w.longest >= cpuBoundTicks {
		out = append(out, fmt.Sprintf("the generator was CPU-bound: it used %.0f%% or more of its %d CPUs for %d intervals in a row (peak %.0f%%), so latencies include callsheet's own queueing; use fewer users, a lower rate, or --segment over more processes",
			cpuBound*100, w.procs, w.longest, w.peak*100))
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.lag.Count() > 0 && w.lag.Quantile(0.99) > lateWarning {
		out = append(out, fmt.Sprintf("iterations started late: 99%% within %s of their scheduled time, at worst %s; the corrected latencies include it",
			w.lag.Quantile(0.99), w.lag.Max()))
	}
	return out
}
