package stream

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callsheet/callsheet/load"
)

// progress is the figures the tests observe.
var progress = load.Progress{Requests: 420, Iterations: 140, Point: &load.Point{Width: 1, VUs: 12}}

// env is the environment of the OTLP exporter, with a header.
func env(k string) (string, bool) {
	if k == "OTEL_EXPORTER_OTLP_HEADERS" {
		return "X-Key=k3y", true
	}
	return "", false
}

// servingAt reads the address Start said Prometheus serves at.
var servingAt = regexp.MustCompile(`^prometheus: serving http://(\S+)/metrics\n$`)

// collector is a loopback OTLP/HTTP receiver counting the pushes it got
// with the header env sets.
func collector(t *testing.T) (*httptest.Server, *atomic.Int64) {
	var pushes atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if b, _ := io.ReadAll(r.Body); r.URL.Path == "/v1/metrics" && len(b) > 0 && r.Header.Get("X-Key") == "k3y" {
			pushes.Add(1)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &pushes
}

// scrape reads the Prometheus endpoint at addr.
func scrape(t *testing.T, addr string) string {
	t.Helper()
	client := &http.Client{Timeout: 30 * time.Second} // a hang guard
	resp, err := client.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func TestStreamsFeedBothExporters(t *testing.T) {
	otlpSrv, pushes := collector(t)
	var log strings.Builder
	// An interval no test reaches: Close alone pushes.
	s, err := Start(t.Context(), Targets{Prometheus: "127.0.0.1:0", OTLP: otlpSrv.URL, Interval: time.Hour, LookupEnv: env}, &log)
	if err != nil {
		t.Fatal(err)
	}
	m := servingAt.FindStringSubmatch(log.String())
	if m == nil {
		t.Fatalf("log = %q, want where Prometheus serves", log.String())
	}
	s.Observe(progress)
	if got := scrape(t, m[1]); !strings.Contains(got, "callsheet_load_requests_total 420\n") {
		t.Errorf("scrape lacks the observed requests:\n%s", got)
	}
	if n := pushes.Load(); n != 0 {
		t.Errorf("OTLP pushed %d times before Close, want 0", n)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if n := pushes.Load(); n != 1 {
		t.Errorf("OTLP pushed %d times after Close, want 1 (the final figures, with the header of the environment)", n)
	}
	if _, err := net.DialTimeout("tcp", m[1], 30*time.Second); err == nil {
		t.Errorf("Prometheus still serves at %s after Close", m[1])
	}
}

func TestStreamsWithoutTargets(t *testing.T) {
	var log strings.Builder
	s, err := Start(context.Background(), Targets{}, &log)
	if err != nil {
		t.Fatal(err)
	}
	s.Observe(progress)
	if err := s.Close(); err != nil || log.Len() > 0 {
		t.Errorf("Close() = %v, log %q; want nil and nothing", err, log.String())
	}
}

func TestStartRefuses(t *testing.T) {
	tests := []struct {
		name    string
		targets Targets
		want    string
	}{
		{"a bad Prometheus address", Targets{Prometheus: "127.0.0.1:http-alt-nope"}, "--prometheus: "},
		{"a bad OTLP URL", Targets{OTLP: "127.0.0.1:4318"}, "--otlp \"127.0.0.1:4318\": want an http or https URL"},
		{"a bad OTLP URL beside Prometheus", Targets{Prometheus: "127.0.0.1:0", OTLP: "ftp://x"}, "--otlp \"ftp://x\""},
		{"a bad OTLP header beside Prometheus", Targets{Prometheus: "127.0.0.1:0", OTLP: "http://127.0.0.1:4318",
			LookupEnv: func(string) (string, bool) { return "k3y", true }}, "--otlp: OTEL_EXPORTER_OTLP_HEADERS: entry 1 is not key=value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log strings.Builder
			s, err := Start(t.Context(), tt.targets, &log)
			if err == nil || !strings.Contains(err.Error(), tt.want) || s != nil {
				t.Fatalf("Start(%+v) = %v, %v; want nil and an error with %q", tt.targets, s, err, tt.want)
			}
			// What started is stopped: the Prometheus port no longer answers.
			if m := servingAt.FindStringSubmatch(log.String()); m != nil {
				if _, err := net.DialTimeout("tcp", m[1], 30*time.Second); err == nil {
					t.Errorf("Prometheus still serves at %s after Start failed", m[1])
				}
			}
		})
	}
}
