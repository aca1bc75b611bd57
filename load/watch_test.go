package load

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestWatchWarnsWhenTheGeneratorIsCPUBound(t *testing.T) {
	for _, tt := range []struct {
		name  string
		busy  []float64 // share of 2 CPUs used in each interval
		warns bool
	}{
		{"three busy intervals in a row", []float64{0.5, 0.95, 0.92, 1, 0.3}, true},
		{"busy intervals apart", []float64{0.95, 0.5, 0.95, 0.5, 0.95}, false},
		{"idle", []float64{0.1, 0.1, 0.1, 0.1}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var used time.Duration
			w := &watch{procs: 2, cpu: func() (time.Duration, bool) { return used, true }}
			now := time.Unix(0, 0)
			w.begin(now)
			for _, share := range tt.busy {
				now = now.Add(time.Second)
				used += time.Duration(share * 2 * float64(time.Second))
				if got := w.sample(now); got < share-1e-9 || got > share+1e-9 {
					t.Fatalf("sample = %v, want %v", got, share)
				}
			}
			warnings := strings.Join(w.warnings(newCollector(now, false)), "\n")
			if got := strings.Contains(warnings, "CPU-bound"); got != tt.warns {
				t.Errorf("warnings %q; want a CPU-bound warning: %v", warnings, tt.warns)
			}
		})
	}
}

func TestWatchWarnsWhenIterationsStartLate(t *testing.T) {
	w := &watch{procs: 1, cpu: func() (time.Duration, bool) { return 0, false }}
	w.begin(time.Unix(0, 0))
	for i := range 100 {
		d := time.Millisecond
		if i%10 == 0 {
			d = 50 * time.Millisecond
		}
		w.late(d)
	}
	if got := strings.Join(w.warnings(nil), "\n"); !strings.Contains(got, "iterations started late") {
		t.Errorf("warnings %q, want iterations started late", got)
	}
}

func TestCompactBoundsTheSeries(t *testing.T) {
	var points []*Point
	for i := range 2*maxPoints + 1 {
		p := &Point{T: float64(i + 1), Width: 1, Requests: 2, VUs: i}
		p.setLatency(newStats(false).Latency)
		points = compact(append(points, p))
	}
	if len(points) > maxPoints {
		t.Fatalf("%d points, want at most %d", len(points), maxPoints)
	}
	var requests int64
	for _, p := range points {
		requests += p.Requests
	}
	last := points[len(points)-1]
	if requests != 2*(2*maxPoints+1) || last.T != float64(2*maxPoints+1) || last.VUs != 2*maxPoints {
		t.Errorf("after compaction: %d requests, last point at %v with %d users; want every request kept and the last interval's end and users",
			requests, last.T, last.VUs)
	}
}

func TestAbortOnFail(t *testing.T) {
	srv := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	th, _ := ParseThreshold("p99 < 1us")
	s := run(t, srv, "steps:\n  - GET: \"{{ base }}/x\"\n", Scenario{VUs: 2, Duration: time.Hour}, func(test *Test) {
		test.Thresholds, test.AbortAfter = []Threshold{th}, 100*time.Millisecond
	})
	if !strings.Contains(s.Aborted, `threshold "p99 < 1us" failed at`) || s.Passed() {
		t.Errorf("Aborted = %q, passed %v; want the test stopped by its failing threshold", s.Aborted, s.Passed())
	}
}
