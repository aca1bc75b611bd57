// Package otlp pushes a running load test's figures to an OpenTelemetry
// collector over OTLP/HTTP: an ExportMetricsServiceRequest in protobuf,
// POSTed every interval and once more on Close, with the headers and
// resource attributes of the OpenTelemetry SDKs' environment variables.
// The request is encoded by a small encoder of its own over
// encoding/binary, which has no initialisation at start-up, where the
// OpenTelemetry SDK and the protobuf module (even its protowire, through
// an internal package that reads the running executable) would add
// theirs to every command of the binary. The tests decode what is sent
// with the official OTLP types.
package otlp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/callsheet/callsheet/load"
	"github.com/callsheet/callsheet/mask"
)

// pushTimeout bounds each push.
const pushTimeout = 10 * time.Second

// Exporter exports the figures of the latest progress every interval.
type Exporter struct {
	url      string // without userinfo, which header carries
	header   http.Header
	resource []attribute
	// mask hides the secrets of the pushes in what the collector answers.
	mask   *mask.Masker
	client *http.Client
	start  time.Time
	stop   context.CancelFunc
	done   chan struct{}

	mu   sync.Mutex
	last load.Progress

	// pushes and failed count the pushes of the interval loop and those
	// that failed, lastErr the last failure; the loop writes them, Close
	// reads them once it has ended.
	pushes, failed int
	lastErr        error
}

// Start exports to endpoint, the collector's base URL such as
// http://127.0.0.1:4318 (/v1/metrics is added when it has no path), every
// interval, until Close or until ctx ends. It reads the variables of the
// OpenTelemetry SDKs with lookupEnv (nil reads none):
// OTEL_EXPORTER_OTLP_HEADERS and OTEL_EXPORTER_OTLP_METRICS_HEADERS
// (headers of every push, the latter winning per key), OTEL_SERVICE_NAME
// and OTEL_RESOURCE_ATTRIBUTES (the resource, service.name of the former
// winning). No error shows a header's value, or the userinfo or query of
// endpoint.
func Start(ctx context.Context, endpoint string, interval time.Duration, lookupEnv func(string) (string, bool)) (*Exporter, error) {
	u, err := parseEndpoint(endpoint)
	if err != nil {
		return nil, err
	}
	if interval <= 0 {
		return nil, fmt.Errorf("--otlp: the interval %v is not positive", interval)
	}
	if lookupEnv == nil {
		lookupEnv = func(string) (string, bool) { return "", false }
	}
	header, err := headersOf(lookupEnv)
	if err != nil {
		return nil, fmt.Errorf("--otlp: %w", err)
	}
	resource, err := resourceOf(lookupEnv)
	if err != nil {
		return nil, fmt.Errorf("--otlp: %w", err)
	}
	user := u.User
	moveUserinfo(u, header)
	masker := secretMasker(user, u.RawQuery, header)
	loop, stop := context.WithCancel(ctx)
	e := &Exporter{
		url:      u.String(),
		header:   header,
		resource: resource,
		mask:     masker,
		client:   &http.Client{Transport: &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true}},
		start:    time.Now(),
		stop:     stop,
		done:     make(chan struct{}),
		last:     load.Progress{Point: &load.Point{}},
	}
	go e.loop(loop, interval)
	return e, nil
}

// Observe makes p the figures exported next.
func (e *Exporter) Observe(p load.Progress) {
	if p.Point == nil {
		p.Point = &load.Point{}
	}
	e.mu.Lock()
	e.last = p
	e.mu.Unlock()
}

// Close stops the interval pushes and pushes the latest figures, within
// ctx and at most 10 seconds. Its error is that of this last push, which
// says how many of the interval pushes failed too; when it succeeds the
// collector has the totals (the counters are cumulative) and earlier
// failures are not reported.
func (e *Exporter) Close(ctx context.Context) error {
	e.stop()
	<-e.done
	defer e.client.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(ctx, pushTimeout)
	defer cancel()
	err := e.push(ctx)
	if err != nil && e.failed > 0 {
		return fmt.Errorf("%w (and %d of %d pushes before it failed, the last with: %v)", err, e.failed, e.pushes, e.lastErr)
	}
	return err
}

// loop pushes every interval until ctx ends.
func (e *Exporter) loop(ctx context.Context, interval time.Duration) {
	defer close(e.done)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			push, cancel := context.WithTimeout(ctx, pushTimeout)
			if err := e.push(push); err != nil {
				e.failed, e.lastErr = e.failed+1, err
			}
			e.pushes++
			cancel()
		}
	}
}

// push sends the latest figures to the collector. An answer other than
// 2xx, or one saying the collector rejected data points, is an error.
func (e *Exporter) push(ctx context.Context) error {
	e.mu.Lock()
	p := e.last
	point := *p.Point
	e.mu.Unlock()
	p.Point = &point
	body := encodeRequest(e.resource, instruments(p), e.start, time.Now())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header = e.header.Clone()
	req.Header.Set("Content-Type", "application/x-protobuf")
	resp, err := e.client.Do(req)
	if ue := (*url.Error)(nil); errors.As(err, &ue) {
		return fmt.Errorf("%s %s: %w", ue.Op, e.shown(), ue.Err) // net/http's error shows the query
	} else if err != nil {
		return err
	}
	defer resp.Body.Close()
	return e.checkAnswer(resp)
}

// shown is the collector's URL as errors show it: without its query,
// which may hold an API key.
func (e *Exporter) shown() string { return redactURL(e.url) }

// checkAnswer reads the collector's answer: an error when its status is
// not 2xx (with the message of the google.rpc.Status it holds) or when it
// says the collector rejected data points. The collector's messages are
// shown with the secrets of the push masked, should they echo them.
func (e *Exporter) checkAnswer(resp *http.Response) error {
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return fmt.Errorf("reading the answer of the collector at %s: %w", e.shown(), err)
	}
	protobuf := resp.Header.Get("Content-Type") == "application/x-protobuf"
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		msg := ""
		if protobuf {
			msg = statusMessage(body)
		}
		return fmt.Errorf("the collector at %s answered %s%s", e.shown(), resp.Status, e.mask.String(msg))
	}
	if n, msg := rejected(body); protobuf && n > 0 {
		return fmt.Errorf("the collector at %s rejected %d data points: %s", e.shown(), n, e.mask.String(msg))
	}
	return nil
}
