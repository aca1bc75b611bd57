package load

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestScheduleAt(t *testing.T) {
	const s = time.Second
	tests := []struct {
		name  string
		sc    Scenario
		i     int64
		want  time.Duration
		found bool
	}{
		{"constant: the first at 0", Scenario{Executor: ConstantArrivalRate, Rate: 100, Duration: s}, 0, 0, true},
		{"constant: every 10ms", Scenario{Executor: ConstantArrivalRate, Rate: 100, Duration: s}, 37, 370 * time.Millisecond, true},
		{"constant: past the end", Scenario{Executor: ConstantArrivalRate, Rate: 100, Duration: s}, 101, 0, false},
		// From 0 to 100/s over 10s: n(t) = 5 t², so 125 are due by 5s.
		{"ramp up", Scenario{Executor: RampingArrivalRate, Stages: []Stage{{10 * s, 100}}}, 125, 5 * s, true},
		// From 100/s to 0 over 10s: n(t) = 100t - 5t², 375 by 5s.
		{"ramp down", Scenario{Executor: RampingArrivalRate, StartRate: 100, Stages: []Stage{{10 * s, 0}}}, 375, 5 * s, true},
		// 500 in the first stage (100/s for 5s), then from 100/s to 10/s
		// over 10s: n(t) = 100t - 4.5t², 182 by 2s.
		{"second stage", Scenario{Executor: RampingArrivalRate, StartRate: 100, Stages: []Stage{{5 * s, 100}, {10 * s, 10}}}, 682, 7 * s, true},
		{"a pause at 0/s is skipped", Scenario{Executor: RampingArrivalRate, Stages: []Stage{{s, 0}, {s, 0}, {10 * s, 100}}}, 125, 7 * s, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := newSchedule(tt.sc).at(tt.i)
			if ok != tt.found || math.Abs(float64(got-tt.want)) > float64(time.Microsecond) {
				t.Errorf("at(%d) = %v, %v; want %v, %v", tt.i, got, ok, tt.want, tt.found)
			}
		})
	}
}

func TestScheduleLeft(t *testing.T) {
	sc := newSchedule(Scenario{Executor: ConstantArrivalRate, Rate: 100, Duration: time.Second})
	if n := sc.left(0, time.Second); n != 100 {
		t.Errorf("left(0, 1s) = %d, want 100", n)
	}
	if n := sc.left(40, 500*time.Millisecond); n != 10 {
		t.Errorf("left(40, 500ms) = %d, want 10", n)
	}
}

func TestRampTarget(t *testing.T) {
	stages := []Stage{{10 * time.Second, 50}, {10 * time.Second, 50}, {5 * time.Second, 0}}
	for _, tt := range []struct {
		at   time.Duration
		want int
	}{{0, 10}, {5 * time.Second, 30}, {10 * time.Second, 50}, {15 * time.Second, 50}, {22500 * time.Millisecond, 25}, {time.Minute, 0}} {
		if got := rampTarget(10, stages, tt.at); got != tt.want {
			t.Errorf("rampTarget(10, stages, %v) = %d, want %d", tt.at, got, tt.want)
		}
	}
}

func TestCompleteImpliesAndChecks(t *testing.T) {
	stages := []Stage{{time.Second, 5}}
	tests := []struct {
		in   Scenario
		want Executor
		err  string
	}{
		{Scenario{Duration: time.Second}, ConstantVUs, ""},
		{Scenario{Stages: stages}, RampingVUs, ""},
		{Scenario{Iterations: 3}, PerVUIterations, ""},
		{Scenario{Rate: 5, Duration: time.Second}, ConstantArrivalRate, ""},
		{Scenario{Stages: stages, MaxVUs: 5}, RampingArrivalRate, ""},
		{Scenario{Executor: "constant-vu", Duration: time.Second}, "", `unknown executor "constant-vu"`},
		{Scenario{VUs: 2}, "", "constant-vus needs a duration"},
		{Scenario{Executor: ConstantArrivalRate, Duration: time.Second}, "", "needs a rate"},
		{Scenario{Executor: RampingVUs, Duration: time.Second}, "", "needs stages"},
		{Scenario{Rate: 5, Duration: time.Second, VUs: 20, MaxVUs: 10}, "", "must not exceed max_vus"},
		{Scenario{Stages: []Stage{{time.Second, 2.5}}}, "", "must be whole"},
		{Scenario{Stages: []Stage{{0, 2}}}, "", "stage 1"},
	}
	for _, tt := range tests {
		got, err := tt.in.Complete()
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("Complete(%+v) error = %v, want %q", tt.in, err, tt.err)
		case tt.err == "" && (err != nil || got.Executor != tt.want):
			t.Errorf("Complete(%+v) = %s, %v; want %s", tt.in, got.Executor, err, tt.want)
		}
	}
}

func TestSegmentsAddUpToTheWhole(t *testing.T) {
	users, _ := Scenario{VUs: 10, Stages: []Stage{{time.Second, 7}, {time.Second, 0}}, StartVUs: 3}.Complete()
	rate, _ := Scenario{Rate: 1000, MaxVUs: 9, VUs: 5, Duration: time.Second}.Complete()
	for n := 1; n <= 4; n++ {
		var vus, start, t0, maxVUs int
		var r float64
		for k := 1; k <= n; k++ {
			g := Segment{K: k, N: n}
			u := users.Share(g)
			vus, start, t0 = vus+u.VUs, start+u.StartVUs, t0+int(u.Stages[0].Target)
			a := rate.Share(g)
			r += a.Rate
			maxVUs += a.MaxVUs
		}
		if vus != 10 || start != 3 || t0 != 7 || math.Abs(r-1000) > 1e-9 || maxVUs < 9 {
			t.Errorf("%d segments: vus %d, start_vus %d, stage target %d, rate %v, max_vus %d; want 10, 3, 7, 1000, >= 9",
				n, vus, start, t0, r, maxVUs)
		}
	}
	if users.Stages[0].Target != 7 {
		t.Error("Share changed the scenario it was called on")
	}
}

func TestParseSegmentAndStages(t *testing.T) {
	if g, err := ParseSegment("2/4"); err != nil || g != (Segment{2, 4}) {
		t.Errorf("ParseSegment(2/4) = %v, %v", g, err)
	}
	for _, bad := range []string{"0/4", "5/4", "1", "a/b", "1/0"} {
		if _, err := ParseSegment(bad); err == nil {
			t.Errorf("ParseSegment(%q) = nil error", bad)
		}
	}
	st, err := ParseStages("10s:50, 1m:50,5s:0")
	if err != nil || len(st) != 3 || st[1] != (Stage{time.Minute, 50}) {
		t.Errorf("ParseStages = %v, %v", st, err)
	}
	if _, err := ParseStages("10s"); err == nil {
		t.Error("ParseStages(10s) = nil error, want DURATION:TARGET")
	}
}
