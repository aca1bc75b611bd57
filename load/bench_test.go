package load

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/callsheet/callsheet/runner"
)

// BenchmarkLoadSingleEndpoint runs a one-step collection on 10 users
// against a loopback server that answers at once: the generator's cost
// per request (runner and load layers), reported as ns/op per request,
// and the process's CPU time per request (cpu-µs/req, the server's
// included).
func BenchmarkLoadSingleEndpoint(b *testing.B) {
	srv := server(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id": 1}`))
	}))
	c := parseTB(b, "steps:\n  - name: me\n    GET: \"{{ base }}/me\"\n    expect: { status: 200 }\n")
	sc, _ := Scenario{Executor: PerVUIterations, VUs: 10, Iterations: max(b.N/10, 1)}.Complete()
	client := srv.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = 10
	test := &Test{Collection: c, Scenario: sc, Runner: runner.New(client),
		Options: runner.Options{Vars: map[string]any{"base": srv.URL}}, Tick: time.Second}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := startCPU(b)
	s, err := test.Run(context.Background())
	if err != nil || s.Total.ChecksFailed > 0 {
		b.Fatalf("run: %v, %d checks failed", err, s.Total.ChecksFailed)
	}
	b.ReportMetric(s.RPS, "req/s")
	cpu.report(s.Total.Requests)
}

// cpuMeter reports the CPU time the process used per request, the
// loopback server's included.
type cpuMeter struct {
	b     *testing.B
	start time.Duration
}

func startCPU(b *testing.B) cpuMeter {
	start, ok := cpuTime()
	if !ok {
		b.Log("no CPU time on this system")
	}
	return cpuMeter{b, start}
}

func (m cpuMeter) report(requests int64) {
	end, ok := cpuTime()
	if ok && requests > 0 {
		m.b.ReportMetric(float64((end-m.start).Microseconds())/float64(requests), "cpu-µs/req")
	}
}

// BenchmarkLoadArrivalRate holds 2,000 iterations a second of a one-step
// collection for b.N milliseconds (at least a second) against a loopback
// server: the generator's cost of pacing, reported per request.
func BenchmarkLoadArrivalRate(b *testing.B) {
	srv := server(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	c := parseTB(b, "steps:\n  - name: me\n    GET: \"{{ base }}/me\"\n    expect: { status: 200 }\n")
	sc, _ := Scenario{Rate: 2000, MaxVUs: 100, Duration: max(time.Duration(b.N)*time.Millisecond, time.Second)}.Complete()
	client := srv.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = 100
	test := &Test{Collection: c, Scenario: sc, Runner: runner.New(client),
		Options: runner.Options{Vars: map[string]any{"base": srv.URL}}}
	b.ResetTimer()
	cpu := startCPU(b)
	s, err := test.Run(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(s.RPS, "req/s")
	b.ReportMetric(float64(s.Dropped), "dropped")
	cpu.report(s.Total.Requests)
}
