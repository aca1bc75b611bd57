package console

import (
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/load"
)

func TestLoadProgress(t *testing.T) {
	progress := func(sec int) load.Progress {
		return load.Progress{Elapsed: time.Duration(sec) * time.Second, Requests: int64(100 * sec), CPU: -1,
			Point: &load.Point{Width: 1, Requests: 100, VUs: 5, P50: 1, P95: 2, P99: 3}}
	}
	for _, tt := range []struct {
		name  string
		tty   bool
		quiet bool
		want  func(string) bool
		what  string
	}{
		{"a terminal gets one line rewritten", true, false, func(s string) bool {
			return strings.Count(s, "\r\x1b[K") == 26 && !strings.Contains(s, "\n") && strings.Contains(s, "vus 5  100 req/s  p50 1.00ms  p95 2.00ms  p99 3.00ms  requests 2500")
		}, "25 rewrites of one line and a last clear, no newline"},
		{"a pipe gets a plain line every 10 seconds", false, false, func(s string) bool {
			return s == "   10s  vus 5  100 req/s  p50 1.00ms  p95 2.00ms  p99 3.00ms  requests 1000  errors 0\n"+
				"   20s  vus 5  100 req/s  p50 1.00ms  p95 2.00ms  p99 3.00ms  requests 2000  errors 0\n"
		}, "the lines at 10s and 20s"},
		{"quiet shows nothing", true, true, func(s string) bool { return s == "" }, "nothing"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stderr strings.Builder
			l := &LoadProgress{W: &stderr, TTY: tt.tty, Off: tt.quiet}
			for sec := 1; sec <= 25; sec++ {
				l.Show(progress(sec))
			}
			l.End()
			if !tt.want(stderr.String()) {
				t.Errorf("progress = %q, want %s", stderr.String(), tt.what)
			}
		})
	}
}
