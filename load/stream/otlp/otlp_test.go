package otlp

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	colmetrics "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	"google.golang.org/protobuf/proto"

	"github.com/callsheet/callsheet/load"
)

// collector is a loopback OTLP/HTTP receiver that keeps the last value
// of each metric (and quantile) it was sent.
type collector struct {
	mu     sync.Mutex
	values map[string]float64
	paths  []string
}

func (c *collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var req colmetrics.ExportMetricsServiceRequest
	if err := proto.Unmarshal(b, &req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.paths = append(c.paths, r.URL.Path)
	for _, rm := range req.ResourceMetrics {
		for _, sm := range rm.ScopeMetrics {
			for _, m := range sm.Metrics {
				if s := m.GetSum(); s != nil {
					for _, dp := range s.DataPoints {
						c.values[m.Name] = float64(dp.GetAsInt())
					}
				}
				if g := m.GetGauge(); g != nil {
					for _, dp := range g.DataPoints {
						name := m.Name
						for _, a := range dp.Attributes {
							name += "{" + a.Key + "=" + a.Value.GetStringValue() + "}"
						}
						c.values[name] = dp.GetAsDouble() + float64(dp.GetAsInt())
					}
				}
			}
		}
	}
	w.Header().Set("Content-Type", "application/x-protobuf")
	out, _ := proto.Marshal(&colmetrics.ExportMetricsServiceResponse{})
	w.Write(out)
}

func TestExportOnClose(t *testing.T) {
	c := &collector{values: map[string]float64{}}
	srv := httptest.NewServer(c)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second) // a hang guard
	defer cancel()
	// An interval no test reaches: Close alone exports.
	e, err := Start(ctx, srv.URL, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	e.Observe(load.Progress{Requests: 420, HTTPErrors: 7, Iterations: 140, Dropped: 2, Point: &load.Point{Width: 1, VUs: 12, P50: 1.5, P99: 40}})
	if err := e.Close(ctx); err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	want := map[string]float64{
		"callsheet.load.requests": 420, "callsheet.load.http_errors": 7, "callsheet.load.iterations": 140,
		"callsheet.load.dropped_iterations": 2, "callsheet.load.vus": 12,
		"callsheet.load.latency{quantile=0.5}": 1.5, "callsheet.load.latency{quantile=0.99}": 40,
	}
	for name, v := range want {
		if got, ok := c.values[name]; !ok || got != v {
			t.Errorf("%s = %v (sent: %v), want %v", name, got, ok, v)
		}
	}
	if len(c.paths) == 0 || c.paths[0] != "/v1/metrics" {
		t.Errorf("paths = %q, want /v1/metrics", c.paths)
	}
}

func TestStartRefusesABadURL(t *testing.T) {
	for _, u := range []string{"127.0.0.1:4318", "ftp://x", "http://"} {
		if _, err := Start(context.Background(), u, time.Second); err == nil {
			t.Errorf("Start(%q) = nil error", u)
		}
	}
}
