package sandbox

import (
	"context"
	"time"
)

// latencySpec is how long an answer is held back: fixed, plus a random
// share from 0 to jitter.
type latencySpec struct {
	fixed, jitter time.Duration
}

// delay holds a request back for its latency, from its Sandbox-Latency or
// else from the Config, through Config.Sleep. It returns an error when ctx
// ends first.
func (s *Sandbox) delay(ctx context.Context, k knobs) error {
	spec := latencySpec{s.cfg.Latency, s.cfg.LatencyJitter}
	if k.latency != nil {
		spec = *k.latency
	}
	d := spec.fixed
	if spec.jitter > 0 {
		s.mu.Lock()
		d += time.Duration(s.dice.Int64N(int64(spec.jitter) + 1))
		s.mu.Unlock()
	}
	if d <= 0 {
		return nil
	}
	return s.cfg.Sleep(ctx, d)
}
