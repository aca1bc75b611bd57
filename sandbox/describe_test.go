package sandbox

import (
	"strings"
	"testing"
	"time"
)

func TestDescribe(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		want    []string
		notWant []string
	}{
		{"plain", Config{AccessTokenTTL: time.Hour, CodeTTL: time.Minute, RateLimit: 3600, RateLimitWindow: time.Hour},
			[]string{"  lifetimes      access tokens 1h0m0s, codes 1m0s\n", "  rate limit     3600 requests per token per 1h0m0s\n"},
			[]string{"failures", "latency", "seed", "state"}},
		{"a fault lab", Config{FailRate: 0.25, FailStatus: 503, FailRetryAfter: 2 * time.Second, FailPaths: []string{"/rest/"},
			Latency: 10 * time.Millisecond, LatencyJitter: 5 * time.Millisecond, Seed: "s", StateDir: "/tmp/sb"},
			[]string{"  failures       25% of requests (/rest/) answer 503 with Retry-After 2s\n", "  latency        10ms, plus up to 5ms\n",
				"  seed           \"s\" (codes", "  state          /tmp/sb ("}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			tt.cfg.Describe(&b)
			for _, w := range tt.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("Describe() lacks %q:\n%s", w, b.String())
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(b.String(), w) {
					t.Errorf("Describe() holds %q:\n%s", w, b.String())
				}
			}
		})
	}
}
