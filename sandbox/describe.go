package sandbox

import (
	"fmt"
	"io"
	"strings"
)

// Describe writes the settings of cfg, one a line: the lifetimes and the
// rate limit, and the faults, latency, seed and state folder when set.
func (cfg Config) Describe(w io.Writer) {
	fmt.Fprintf(w, "  lifetimes      access tokens %s, codes %s\n", cfg.AccessTokenTTL, cfg.CodeTTL)
	fmt.Fprintf(w, "  rate limit     %d requests per token per %s\n", cfg.RateLimit, cfg.RateLimitWindow)
	if cfg.FailRate > 0 {
		where := "every path"
		if len(cfg.FailPaths) > 0 {
			where = strings.Join(cfg.FailPaths, ", ")
		}
		retry := ""
		if cfg.FailRetryAfter > 0 {
			retry = fmt.Sprintf(" with Retry-After %s", cfg.FailRetryAfter)
		}
		fmt.Fprintf(w, "  failures       %g%% of requests (%s) answer %d%s\n", cfg.FailRate*100, where, cfg.FailStatus, retry)
	}
	if cfg.Latency > 0 || cfg.LatencyJitter > 0 {
		fmt.Fprintf(w, "  latency        %s, plus up to %s\n", cfg.Latency, cfg.LatencyJitter)
	}
	if cfg.Seed != "" {
		fmt.Fprintf(w, "  seed           %q (codes, tokens, failures and jitter repeat)\n", cfg.Seed)
	}
	if cfg.StateDir != "" {
		fmt.Fprintf(w, "  state          %s (certificate, codes and tokens kept across restarts)\n", cfg.StateDir)
	}
}
