package prom

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/load"
)

func TestScrape(t *testing.T) {
	e, err := Serve("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	e.Observe(load.Progress{Elapsed: 3 * time.Second, Requests: 420, HTTPErrors: 7, Iterations: 140, Dropped: 2,
		Point: &load.Point{Width: 1, Requests: 150, VUs: 12, P50: 1.5, P95: 12, P99: 40}})
	client := &http.Client{Timeout: 30 * time.Second} // a hang guard
	resp, err := client.Get("http://" + e.Addr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, want := range []string{
		"callsheet_load_requests_total 420", "callsheet_load_http_errors_total 7", "callsheet_load_iterations_total 140",
		"callsheet_load_dropped_iterations_total 2", "callsheet_load_vus 12", "callsheet_load_request_rate 150",
		`callsheet_load_latency_seconds{quantile="0.5"} 0.0015`, `callsheet_load_latency_seconds{quantile="0.99"} 0.04`,
	} {
		if !strings.Contains(string(b), want+"\n") {
			t.Errorf("scrape lacks %q:\n%s", want, b)
		}
	}
	if strings.Contains(string(b), "go_goroutines") {
		t.Error("the scrape holds the Go runtime's metrics; the exporter has a registry of its own")
	}
}
