// Package otlp pushes a running load test's figures to an OpenTelemetry
// collector over OTLP/HTTP, through the OpenTelemetry Go SDK
// (go.opentelemetry.io/otel/sdk/metric and its otlpmetrichttp exporter),
// with a meter provider of its own: nothing is registered globally.
package otlp

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/callsheet/callsheet/load"
)

// Exporter exports the figures of the latest progress every interval.
type Exporter struct {
	provider *sdkmetric.MeterProvider

	mu   sync.Mutex
	last load.Progress
}

// Start exports to endpoint, the collector's base URL such as
// http://127.0.0.1:4318 (/v1/metrics is added when it has no path), every
// interval, until Close.
func Start(ctx context.Context, endpoint string, interval time.Duration) (*Exporter, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--otlp %q: want an http or https URL, such as http://127.0.0.1:4318", endpoint)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/v1/metrics"
	}
	exp, err := otlpmetrichttp.New(ctx, otlpmetrichttp.WithEndpointURL(u.String()))
	if err != nil {
		return nil, fmt.Errorf("--otlp: %w", err)
	}
	e := &Exporter{last: load.Progress{Point: &load.Point{}}}
	e.provider = sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewPeriodicReader(exp, sdkmetric.WithInterval(interval))))
	if err := e.register(e.provider.Meter("github.com/callsheet/callsheet/load")); err != nil {
		return nil, err
	}
	return e, nil
}

// Observe makes p the figures exported next.
func (e *Exporter) Observe(p load.Progress) {
	e.mu.Lock()
	e.last = p
	e.mu.Unlock()
}

// Close exports the latest figures and stops.
func (e *Exporter) Close(ctx context.Context) error {
	return e.provider.Shutdown(ctx)
}

// register makes the instruments, all read from the latest progress in
// one callback.
func (e *Exporter) register(m metric.Meter) error {
	requests, err1 := m.Int64ObservableCounter("callsheet.load.requests", metric.WithDescription("Requests sent."))
	httpErrors, err2 := m.Int64ObservableCounter("callsheet.load.http_errors", metric.WithDescription("Requests without a response or with a status of 400 or more."))
	iterations, err3 := m.Int64ObservableCounter("callsheet.load.iterations", metric.WithDescription("Iterations completed."))
	dropped, err4 := m.Int64ObservableCounter("callsheet.load.dropped_iterations", metric.WithDescription("Iterations due that could not start."))
	vus, err5 := m.Int64ObservableGauge("callsheet.load.vus", metric.WithDescription("Users running an iteration."))
	latency, err6 := m.Float64ObservableGauge("callsheet.load.latency", metric.WithUnit("ms"),
		metric.WithDescription("Latency of the last interval's requests, by quantile (corrected in arrival-rate runs)."))
	for _, err := range []error{err1, err2, err3, err4, err5, err6} {
		if err != nil {
			return fmt.Errorf("--otlp: %w", err)
		}
	}
	_, err := m.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		e.mu.Lock()
		p := e.last
		e.mu.Unlock()
		o.ObserveInt64(requests, p.Requests)
		o.ObserveInt64(httpErrors, p.HTTPErrors)
		o.ObserveInt64(iterations, p.Iterations)
		o.ObserveInt64(dropped, p.Dropped)
		o.ObserveInt64(vus, int64(p.Point.VUs))
		for q, v := range map[string]float64{"0.5": p.Point.P50, "0.95": p.Point.P95, "0.99": p.Point.P99} {
			o.ObserveFloat64(latency, v, metric.WithAttributes(attribute.String("quantile", q)))
		}
		return nil
	}, requests, httpErrors, iterations, dropped, vus, latency)
	return err
}
