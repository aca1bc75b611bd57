package hist

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// exact returns the q quantile of sorted values as HdrHistogram defines
// it: the smallest value with at least q of the values at or below it.
func exact(sorted []time.Duration, q float64) time.Duration {
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(i, 0)]
}

func TestQuantilesWithinOnePercent(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var values []time.Duration
	h := New()
	for range 100_000 {
		// Log-uniform from 10 µs to 10 s: every magnitude the histogram has.
		d := time.Duration(math.Exp(math.Log(10e3)+r.Float64()*math.Log(1e6))) / time.Microsecond * time.Microsecond
		values = append(values, d)
		h.Record(d)
	}
	slices.Sort(values)
	for _, q := range []float64{0.01, 0.5, 0.9, 0.95, 0.99, 0.999, 1} {
		got, want := h.Quantile(q), exact(values, q)
		if rel := math.Abs(float64(got-want)) / float64(want); rel > 0.01 {
			t.Errorf("Quantile(%v) = %v, exact %v: relative error %.4f > 1%%", q, got, want, rel)
		}
	}
	if h.Count() != int64(len(values)) {
		t.Errorf("Count() = %d, want %d", h.Count(), len(values))
	}
}

func TestMicrosecondResolution(t *testing.T) {
	for _, d := range []time.Duration{time.Microsecond, 7 * time.Microsecond, 99 * time.Microsecond, 150 * time.Microsecond} {
		h := New()
		h.Record(d)
		if got := h.Quantile(0.5); got != d {
			t.Errorf("one value %v: Quantile(0.5) = %v, want it exactly", d, got)
		}
	}
}

func TestOutOfRangeIsClamped(t *testing.T) {
	h := New()
	h.Record(0)
	h.Record(2 * time.Hour)
	if h.Min() != time.Microsecond {
		t.Errorf("Min() = %v after recording 0, want 1µs", h.Min())
	}
	if h.Max() < 59*time.Minute || h.Max() > 61*time.Minute {
		t.Errorf("Max() = %v after recording 2h, want about 1h", h.Max())
	}
}

func TestMergeEqualsOneHistogram(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	whole, parts := New(), []*Histogram{New(), New(), New(), New()}
	for i := range 40_000 {
		d := time.Duration(r.ExpFloat64() * float64(5*time.Millisecond))
		whole.Record(d)
		parts[i%4].Record(d)
	}
	merged := New()
	for _, p := range parts {
		merged.Merge(p)
	}
	if !merged.Equal(whole) {
		t.Fatal("merging four parts does not give the histogram of the whole")
	}
	for _, q := range []float64{0.5, 0.99} {
		if merged.Quantile(q) != whole.Quantile(q) {
			t.Errorf("Quantile(%v): merged %v, whole %v", q, merged.Quantile(q), whole.Quantile(q))
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	h := New()
	for i := range 1000 {
		h.Record(time.Duration(i) * 37 * time.Microsecond)
	}
	b, err := json.Marshal(map[string]*Histogram{"h": h})
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]*Histogram
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !back["h"].Equal(h) {
		t.Error("a histogram read back from JSON differs")
	}
	if len(b) > 2000 {
		t.Errorf("encoded histogram takes %d bytes, want a compact form", len(b))
	}
}

func TestUnmarshalRefusesGarbage(t *testing.T) {
	for _, in := range []string{"", "AAAA", "not base64 at all!!", "HISTFAAAACR4nJNpmSzMwMDAxQABzFCaEUoz2X+AsQE9qQK8"} {
		var h Histogram
		if err := h.UnmarshalText([]byte(in)); err == nil {
			t.Errorf("UnmarshalText(%q) = nil, want an error", in)
		}
	}
}

func FuzzUnmarshal(f *testing.F) {
	h := New()
	h.Record(time.Millisecond)
	b, _ := h.MarshalText()
	f.Add(b)
	f.Add([]byte("HISTFAAAAA=="))
	f.Fuzz(func(t *testing.T, b []byte) {
		var h Histogram
		if h.UnmarshalText(b) == nil {
			_ = h.Quantile(0.99)
		}
	})
}

func TestCountAtLeast(t *testing.T) {
	h := New()
	for _, d := range []time.Duration{time.Millisecond, 20 * time.Millisecond, 199 * time.Millisecond, 200 * time.Millisecond, 201 * time.Millisecond, time.Second} {
		h.Record(d)
	}
	for _, tt := range []struct {
		at   time.Duration
		want int64
	}{{0, 6}, {20 * time.Millisecond, 5}, {200 * time.Millisecond, 3}, {2 * time.Second, 0}} {
		if got := h.CountAtLeast(tt.at); got != tt.want {
			t.Errorf("CountAtLeast(%v) = %d, want %d", tt.at, got, tt.want)
		}
	}
}

func TestCompactRoundTripAndMerge(t *testing.T) {
	a, b, both := New(), New(), New()
	for i := range 5000 {
		d := time.Duration(i*i%900_000) * time.Microsecond
		if i%3 == 0 {
			a.Record(d)
		} else {
			b.Record(d)
		}
		both.Record(d)
	}
	if !a.Compact().Histogram().Equal(a) {
		t.Error("a histogram and its compact form differ")
	}
	if !a.Compact().Merge(b.Compact()).Histogram().Equal(both) {
		t.Error("merging compact forms differs from recording into one histogram")
	}
	text, err := a.Compact().MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	var back Compact
	if err := back.UnmarshalText(text); err != nil || !back.Histogram().Equal(a) {
		t.Errorf("compact text round trip: %v", err)
	}
}

// TestCompactIsSmall holds a second of latencies at 2,000 requests a
// second to about 3 bytes a bucket, in a slice of its own length: a
// 30-minute series keeps 1,800 of them.
func TestCompactIsSmall(t *testing.T) {
	h := New()
	for i := range 2000 {
		h.Record(time.Duration(200+i*i%4800) * time.Microsecond) // 0.2 to 5 ms
	}
	var buckets int
	for _, n := range h.h.Export().Counts {
		if n != 0 {
			buckets++
		}
	}
	c := h.Compact()
	if len(c.buckets) > 3*buckets || cap(c.buckets) != len(c.buckets) {
		t.Errorf("%d buckets take %d bytes (capacity %d), want at most %d in a slice of its own length",
			buckets, len(c.buckets), cap(c.buckets), 3*buckets)
	}
	if !c.Histogram().Equal(h) {
		t.Error("the compact form does not hold the histogram")
	}
}
