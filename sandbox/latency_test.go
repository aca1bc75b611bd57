package sandbox

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"
)

// sleepLog is a Config.Sleep that records the delays asked for and does
// not wait.
type sleepLog struct {
	mu     sync.Mutex
	delays []time.Duration
}

func (l *sleepLog) sleep(_ context.Context, d time.Duration) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.delays = append(l.delays, d)
	return nil
}

func (l *sleepLog) taken() []time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.delays)
}

func TestLatency(t *testing.T) {
	t.Parallel()
	delays := func(cfg Config, n int, header http.Header) []time.Duration {
		var log sleepLog
		cfg.Sleep = log.sleep
		srv := newTestServer(t, cfg)
		statuses(t, srv, n, "/oauth/authorize/x", header)
		return log.taken()
	}
	const fixed, jitter = 200 * time.Millisecond, 50 * time.Millisecond
	cfg := Config{Latency: fixed, LatencyJitter: jitter, Seed: "latency"}
	got := delays(cfg, 10, nil)
	if len(got) != 10 {
		t.Fatalf("delays %v, want 10", got)
	}
	for _, d := range got {
		if d < fixed || d > fixed+jitter {
			t.Errorf("delay %v, want from %v to %v", d, fixed, fixed+jitter)
		}
	}
	if slices.Min(got) == slices.Max(got) {
		t.Errorf("delays %v are all the same, want jitter", got)
	}
	if again := delays(cfg, 10, nil); !slices.Equal(got, again) {
		t.Errorf("same seed, other delays:\n%v\n%v", got, again)
	}
	if got := delays(Config{Latency: fixed}, 2, nil); !slices.Equal(got, []time.Duration{fixed, fixed}) {
		t.Errorf("fixed latency: delays %v, want %v twice", got, fixed)
	}
	if got := delays(Config{}, 2, nil); len(got) != 0 {
		t.Errorf("no latency configured: delays %v, want none", got)
	}
}

func TestLatencyHeader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		cfg    Config
		header string // Sandbox-Latency
		query  string // sandbox_latency, when header is empty
		want   []time.Duration
	}{
		{"header", Config{}, "1s", "", []time.Duration{time.Second}},
		{"whole seconds", Config{}, "2", "", []time.Duration{2 * time.Second}},
		{"query twin", Config{}, "", "150ms", []time.Duration{150 * time.Millisecond}},
		{"replaces the configured latency", Config{Latency: time.Minute, LatencyJitter: time.Minute}, "20ms", "", []time.Duration{20 * time.Millisecond}},
		{"0 turns it off", Config{Latency: time.Minute}, "0", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var log sleepLog
			tt.cfg.Sleep = log.sleep
			srv := newTestServer(t, tt.cfg)
			path, header := "/oauth/authorize/x", http.Header{}
			if tt.header != "" {
				header.Set(LatencyHeader, tt.header)
			} else {
				path += "?" + url.Values{"sandbox_latency": {tt.query}}.Encode()
			}
			if r := send(t, srv, nil, http.MethodGet, path, header, nil); r.status != 200 {
				t.Errorf("status %d, want 200", r.status)
			}
			if got := log.taken(); !slices.Equal(got, tt.want) {
				t.Errorf("delays %v, want %v", got, tt.want)
			}
		})
	}
	var log sleepLog
	srv := newTestServer(t, Config{Sleep: log.sleep, Seed: "j"})
	header := http.Header{LatencyHeader: {"100ms; jitter=1s"}}
	statuses(t, srv, 5, "/oauth/authorize/x", header)
	for _, d := range log.taken() {
		if d < 100*time.Millisecond || d > 1100*time.Millisecond {
			t.Errorf("delay %v with jitter=1s, want from 100ms to 1.1s", d)
		}
	}
}

// TestLatencyBeforeFault checks that an injected fault is held back too.
func TestLatencyBeforeFault(t *testing.T) {
	t.Parallel()
	var log sleepLog
	srv := newTestServer(t, Config{Sleep: log.sleep, Latency: time.Second, FailRate: 1})
	if r := send(t, srv, nil, http.MethodGet, "/rest/v1.0/me", nil, nil); r.status != 503 {
		t.Errorf("status %d, want 503", r.status)
	}
	if got := log.taken(); !slices.Equal(got, []time.Duration{time.Second}) {
		t.Errorf("delays %v, want [1s]", got)
	}
}

func TestSleep(t *testing.T) {
	t.Parallel()
	if err := sleep(t.Context(), time.Millisecond); err != nil {
		t.Errorf("sleep(1ms) = %v, want nil", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("sleep(1h) with a cancelled context = %v, want context.Canceled", err)
	}
}
