package load

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// event is one step result to feed a collector.
type event struct {
	step   string
	status int
	d, lag time.Duration
	pass   bool
}

// events makes n step results, two per iteration, of varied latency,
// status, lag and checks.
func events(n int) []event {
	r := rand.New(rand.NewPCG(5, 6))
	var out []event
	for i := range n {
		out = append(out, event{
			step: []string{"login", "me"}[i%2], status: []int{200, 200, 200, 503}[r.IntN(4)],
			d:   time.Duration(r.ExpFloat64() * float64(8*time.Millisecond)),
			lag: time.Duration(r.IntN(3)) * time.Millisecond, pass: r.IntN(7) != 0,
		})
	}
	return out
}

// fed is the summary of a collector fed evs, as segment g.
func fed(t *testing.T, g Segment, evs []event, ts []Threshold) *Summary {
	t.Helper()
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := newCollector(start, true)
	for i, e := range evs {
		c.step(result(e.step, e.status, e.d, e.pass), e.lag)
		if i%2 == 1 {
			c.iteration()
		}
	}
	c.tick(start.Add(time.Second))
	c.tick(start.Add(2 * time.Second))
	s := c.snapshot()
	s.Collection, s.File, s.Start, s.Seconds = "c", "c.yaml", start, 2
	s.Scenario, _ = Scenario{Rate: 100, Duration: 2 * time.Second}.Complete()
	s.Segments = []Segment{g}
	s.finish()
	s.Evaluate(ts)
	return s
}

// roundTrip writes s as JSON and reads it back, as load merge does.
func roundTrip(t *testing.T, s *Summary) *Summary {
	t.Helper()
	var buf bytes.Buffer
	if err := s.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := ReadSummary(&buf)
	if err != nil {
		t.Fatalf("ReadSummary: %v", err)
	}
	return back
}

func TestMergeIsExact(t *testing.T) {
	all := events(20_000)
	th, _ := ParseThreshold("me: p99 < 40ms")
	ts := []Threshold{th}
	// Segment k gets every fourth iteration (two events each), in order.
	var parts []*Summary
	for k := range 4 {
		var mine []event
		for i := 2 * k; i < len(all); i += 8 {
			mine = append(mine, all[i], all[i+1])
		}
		parts = append(parts, roundTrip(t, fed(t, Segment{K: k + 1, N: 4}, mine, ts)))
	}
	whole := fed(t, Segment{K: 1, N: 1}, all, ts)
	merged, err := Merge(parts, ts)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"login", "me"} {
		m, w := merged.Step(name), whole.Step(name)
		if !m.Stats.Latency.Equal(w.Stats.Latency) || !m.Corrected.Equal(w.Corrected) {
			t.Errorf("step %s: merged histograms differ from the whole's", name)
		}
		if m.Percentiles != w.Percentiles || *m.CorrectedPercentiles != *w.CorrectedPercentiles {
			t.Errorf("step %s: merged percentiles %+v, whole %+v", name, m.Percentiles, w.Percentiles)
		}
		if m.Requests != w.Requests || m.HTTPErrors != w.HTTPErrors || m.ChecksFailed != w.ChecksFailed {
			t.Errorf("step %s: merged counts %+v, whole %+v", name, *m.Stats, *w.Stats)
		}
	}
	if merged.Iterations != whole.Iterations || merged.Total.Percentiles != whole.Total.Percentiles {
		t.Errorf("merged total: %d iterations %+v; whole %d %+v", merged.Iterations, merged.Total.Percentiles, whole.Iterations, whole.Total.Percentiles)
	}
	if merged.Thresholds[0] != whole.Thresholds[0] {
		t.Errorf("threshold on the merge %+v, on the whole %+v", merged.Thresholds[0], whole.Thresholds[0])
	}
	var seriesRequests int64
	for _, p := range merged.Series {
		seriesRequests += p.Requests
	}
	if seriesRequests != merged.Total.Requests {
		t.Errorf("merged series counts %d requests, the total %d", seriesRequests, merged.Total.Requests)
	}
}

func TestMergeRefuses(t *testing.T) {
	a := fed(t, Segment{K: 1, N: 2}, events(2), nil)
	b := fed(t, Segment{K: 1, N: 2}, events(2), nil)
	c := fed(t, Segment{K: 2, N: 3}, events(2), nil)
	d := fed(t, Segment{K: 2, N: 2}, events(2), nil)
	d.File = "other.yaml"
	for _, tt := range []struct {
		parts []*Summary
		want  string
	}{
		{[]*Summary{a, b}, "segment 1/2 comes twice"},
		{[]*Summary{a, c}, "segments of 2 and of 3 parts"},
		{[]*Summary{a, d}, "summaries of two collections"},
		{nil, "no summary"},
	} {
		if _, err := Merge(tt.parts, nil); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Merge error = %v, want %q", err, tt.want)
		}
	}
	one, err := Merge([]*Summary{a}, nil)
	if err != nil || len(one.Warnings) == 0 || !strings.Contains(one.Warnings[len(one.Warnings)-1], "segments missing from the merge: 2/2") {
		t.Errorf("merging one of two segments: warnings %q, %v; want segment 2/2 named missing", one.Warnings, err)
	}
}

func TestReadSummaryRefuses(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`{"format": 2, "segments": [{"k":1,"n":1}]}`, "format 2"},
		{`{"format": 1}`, "no segment"},
		{`{"format": 1, "segments": [{"k":1,"n":1}], "steps": [{"name": "x"}]}`, "no latency histogram"},
		{`{"format": 1, "segments": [{"k":1,"n":1}], "steps": [{"name": "x", "latency": "AAAA"}]}`, "histogram"},
		{`{"format": 1, "segments": [{"k":1,"n":1}], "series": [{"t": 1, "width": 1, "latency": "x"}]}`, "histogram"},
		{`{"format": 1, "segments": [{"k":1,"n":1}], "series": [{"t": 1, "width": 0}]}`, "series point 1 has no width"},
		{`{"format": 1, "segments": [{"k":1,"n":1000000000}]}`, "want 1 <= K <= N"},
		{`{"format": 1, "segments": [{"k":1,"n":1}], "scenario": {"duration": "soon"}}`, "scenario"},
	} {
		if _, err := ReadSummary(strings.NewReader(tt.in)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ReadSummary(%s) = %v, want %q", tt.in, err, tt.want)
		}
	}
}

// The segment processes: TestSegmentProcessesMatchOneProcess runs the test
// binary again with these set, and each child runs one segment.
const (
	envSegment = "CALLSHEET_LOAD_TEST_SEGMENT"
	envURL     = "CALLSHEET_LOAD_TEST_URL"
	envOut     = "CALLSHEET_LOAD_TEST_OUT"
)

// slowEvery answers every fifth request in 600ms and the others in 10ms:
// however the requests are shared, the distribution is the same, with
// p50 near 10ms and p90 and p99 near 600ms.
func slowEvery() http.Handler {
	var n atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := 10 * time.Millisecond
		if n.Add(1)%5 == 0 {
			d = 600 * time.Millisecond
		}
		time.Sleep(d)
	})
}

var segmentScenario = Scenario{Executor: PerVUIterations, VUs: 8, Iterations: 10}

const segmentSrc = "name: seg\nsteps:\n  - name: get\n    GET: \"{{ base }}/x\"\n    expect: { status: 200 }\n"

// TestSegmentChild is one segment process; it does nothing in a normal run.
func TestSegmentChild(t *testing.T) {
	seg := os.Getenv(envSegment)
	if seg == "" {
		t.Skip("runs only as a child of TestSegmentProcessesMatchOneProcess")
	}
	g, err := ParseSegment(seg)
	if err != nil {
		t.Fatal(err)
	}
	s := runAt(t, os.Getenv(envURL), http.DefaultClient, segmentSrc, segmentScenario, func(test *Test) { test.Segment = g })
	f, err := os.Create(os.Getenv(envOut))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := s.WriteJSON(f); err != nil {
		t.Fatal(err)
	}
}

func TestSegmentProcessesMatchOneProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts four processes")
	}
	single := run(t, server(t, slowEvery()), segmentSrc, segmentScenario)
	srv := server(t, slowEvery())
	dir := t.TempDir()
	var cmds []*exec.Cmd
	for k := 1; k <= 4; k++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSegmentChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), envSegment+"="+fmt.Sprintf("%d/4", k), envURL+"="+srv.URL,
			envOut+"="+filepath.Join(dir, fmt.Sprintf("seg-%d.json", k)))
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	var parts []*Summary
	for k, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("segment %d/4: %v", k+1, err)
		}
		f, err := os.Open(filepath.Join(dir, fmt.Sprintf("seg-%d.json", k+1)))
		if err != nil {
			t.Fatal(err)
		}
		s, err := ReadSummary(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, s)
	}
	merged, err := Merge(parts, nil)
	if err != nil {
		t.Fatal(err)
	}
	if merged.Iterations != 80 || merged.Total.Requests != single.Total.Requests || merged.Total.ChecksPassed != single.Total.ChecksPassed {
		t.Errorf("merged: %d iterations, %d requests, %d checks passed; one process: %d, %d, %d",
			merged.Iterations, merged.Total.Requests, merged.Total.ChecksPassed, single.Iterations, single.Total.Requests, single.Total.ChecksPassed)
	}
	// The server answers a fifth of the requests in 600ms, the rest in
	// 10ms: both runs must see exactly that split, however busy the
	// machine (a 10ms answer would need 290ms more to be counted slow).
	slowMerged, slowSingle := merged.Total.Latency.CountAtLeast(300*time.Millisecond), single.Total.Latency.CountAtLeast(300*time.Millisecond)
	if slowMerged != 16 || slowSingle != 16 {
		t.Errorf("requests of 300ms or more: merged %d, one process %d; want 16 of 80 in each", slowMerged, slowSingle)
	}
	if m, s := merged.Total.Percentiles, single.Total.Percentiles; m.P50 >= 300 || s.P50 >= 300 || m.P90 < 600 || s.P90 < 600 {
		t.Errorf("merged p50 %vms p90 %vms, one process %vms %vms; want p50 under 300ms and p90 at least 600ms in both", m.P50, m.P90, s.P50, s.P90)
	}
	if strings.Contains(strings.Join(merged.Warnings, " "), "missing") {
		t.Errorf("warnings %q, want every segment merged", merged.Warnings)
	}
}

func FuzzReadSummary(f *testing.F) {
	var buf bytes.Buffer
	if err := fed(&testing.T{}, Segment{K: 1, N: 2}, events(20), nil).WriteJSON(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(`{"format": 1, "segments": [{"k":1,"n":3}], "seconds": 1e300, "series": [{"t": 1e300, "width": 1e-300}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ReadSummary(bytes.NewReader(b))
		if err != nil {
			return
		}
		if m, err := Merge([]*Summary{s}, nil); err == nil && len(m.Series) > maxPoints {
			t.Errorf("a merge of one summary has %d points", len(m.Series))
		}
	})
}

func TestMergeFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, s *Summary) string {
		path := filepath.Join(dir, name)
		var buf bytes.Buffer
		if err := s.WriteJSON(&buf); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	own := mustThreshold(t, "p99 < 1h")
	extra := mustThreshold(t, "iterations == 2")
	a := write("a.json", fed(t, Segment{K: 1, N: 2}, events(2), []Threshold{own}))
	b := write("b.json", fed(t, Segment{K: 2, N: 2}, events(2), []Threshold{own}))
	s, err := MergeFiles([]string{a, b}, []Threshold{extra})
	if err != nil {
		t.Fatal(err)
	}
	if s.Iterations != 2 || len(s.Segments) != 2 || len(s.Thresholds) != 2 || !s.Passed() {
		t.Errorf("merged: %d iterations, segments %v, thresholds %+v; want 2, both, the parts' and the extra one held", s.Iterations, s.Segments, s.Thresholds)
	}
	s, err = MergeFiles([]string{a, b}, []Threshold{mustThreshold(t, "iterations > 2")})
	if err != nil || s.Passed() {
		t.Errorf("an extra threshold that fails on the merge: passed %v, %v", s != nil && s.Passed(), err)
	}

	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"format": 2}`), 0o644); err != nil {
		t.Fatal(err)
	}
	badThreshold := fed(t, Segment{K: 1, N: 2}, events(2), nil)
	badThreshold.Thresholds = []ThresholdResult{{Threshold: "p99 <"}}
	odd := write("odd.json", badThreshold)
	for _, tt := range []struct {
		files []string
		want  string
	}{
		{[]string{a, filepath.Join(dir, "none.json")}, "none.json: no such file"},
		{[]string{bad}, bad + ": "},
		{[]string{odd, b}, odd + ": "},
		{[]string{a, a}, "segment 1/2 comes twice"},
		{nil, "no summary to merge"},
	} {
		if _, err := MergeFiles(tt.files, nil); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("MergeFiles(%q) = %v, want an error with %q", tt.files, err, tt.want)
		}
	}
}

// mustThreshold parses text.
func mustThreshold(t *testing.T, text string) Threshold {
	t.Helper()
	th, err := ParseThreshold(text)
	if err != nil {
		t.Fatal(err)
	}
	return th
}
