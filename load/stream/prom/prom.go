// Package prom serves a running load test's figures for Prometheus to
// scrape, through the Prometheus Go client (prometheus/client_golang)
// with a registry of its own: no process or Go runtime metrics, nothing
// registered globally.
package prom

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/callsheet/callsheet/load"
)

// Exporter serves the figures of the latest progress at /metrics.
type Exporter struct {
	srv *http.Server
	ln  net.Listener

	mu   sync.Mutex
	last load.Progress
}

// Serve listens on addr (host:port; port 0 picks one) and serves /metrics
// until Close.
func Serve(addr string) (*Exporter, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--prometheus: %w", err)
	}
	e := &Exporter{ln: ln, last: load.Progress{Point: &load.Point{}}}
	reg := prometheus.NewRegistry()
	reg.MustRegister(e.collectors()...)
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	e.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go e.srv.Serve(ln) //nolint:errcheck // ends with Close
	return e, nil
}

// Addr is the address the exporter listens on.
func (e *Exporter) Addr() string { return e.ln.Addr().String() }

// Observe makes p the figures served.
func (e *Exporter) Observe(p load.Progress) {
	e.mu.Lock()
	e.last = p
	e.mu.Unlock()
}

// Close stops serving.
func (e *Exporter) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := e.srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// read returns a figure of the latest progress.
func (e *Exporter) read(f func(load.Progress) float64) func() float64 {
	return func() float64 {
		e.mu.Lock()
		defer e.mu.Unlock()
		return f(e.last)
	}
}

// collectors are the metrics, each read from the latest progress.
func (e *Exporter) collectors() []prometheus.Collector {
	counter := func(name, help string, f func(load.Progress) float64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "callsheet_load_" + name, Help: help}, e.read(f))
	}
	gauge := func(name, help string, labels prometheus.Labels, f func(load.Progress) float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "callsheet_load_" + name, Help: help, ConstLabels: labels}, e.read(f))
	}
	latency := func(q string, f func(*load.Point) float64) prometheus.Collector {
		return gauge("latency_seconds", "Latency of the last interval's requests, by quantile (corrected in arrival-rate runs).",
			prometheus.Labels{"quantile": q}, func(p load.Progress) float64 { return f(p.Point) / 1000 })
	}
	return []prometheus.Collector{
		counter("requests_total", "Requests sent.", func(p load.Progress) float64 { return float64(p.Requests) }),
		counter("http_errors_total", "Requests without a response or with a status of 400 or more.", func(p load.Progress) float64 { return float64(p.HTTPErrors) }),
		counter("iterations_total", "Iterations completed.", func(p load.Progress) float64 { return float64(p.Iterations) }),
		counter("dropped_iterations_total", "Iterations due that could not start.", func(p load.Progress) float64 { return float64(p.Dropped) }),
		gauge("vus", "Users running an iteration.", nil, func(p load.Progress) float64 { return float64(p.Point.VUs) }),
		gauge("request_rate", "Requests a second over the last interval.", nil, func(p load.Progress) float64 {
			if p.Point.Width == 0 {
				return 0
			}
			return p.Point.Rate()
		}),
		latency("0.5", func(p *load.Point) float64 { return p.P50 }),
		latency("0.95", func(p *load.Point) float64 { return p.P95 }),
		latency("0.99", func(p *load.Point) float64 { return p.P99 }),
	}
}
