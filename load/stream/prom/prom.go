// Package prom serves a running load test's figures for Prometheus to
// scrape, in the Prometheus text exposition format (version 0.0.4),
// written by net/http and a small encoder of its own: the Prometheus Go
// client would add its package initialisation to every command of the
// binary. The tests parse the output with the Prometheus parser
// (prometheus/common/expfmt).
package prom

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/callsheet/callsheet/load"
)

// contentType is the media type of the text exposition format served.
const contentType = "text/plain; version=0.0.4; charset=utf-8"

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
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", e.serveMetrics)
	e.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go e.srv.Serve(ln) //nolint:errcheck // ends with Close
	return e, nil
}

// Addr is the address the exporter listens on.
func (e *Exporter) Addr() string { return e.ln.Addr().String() }

// Observe makes p the figures served.
func (e *Exporter) Observe(p load.Progress) {
	if p.Point == nil {
		p.Point = &load.Point{}
	}
	e.mu.Lock()
	e.last = p
	e.mu.Unlock()
}

// Close stops serving. The address no longer answers when it returns,
// even if the server had not started accepting yet.
func (e *Exporter) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := e.srv.Shutdown(ctx)
	// Shutdown closes only the listeners Serve has taken up; its goroutine
	// may not have run yet.
	if lerr := e.ln.Close(); lerr != nil && !errors.Is(lerr, net.ErrClosed) && err == nil {
		err = lerr
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// serveMetrics writes the latest figures in the text format.
func (e *Exporter) serveMetrics(w http.ResponseWriter, _ *http.Request) {
	e.mu.Lock()
	p := e.last
	point := *p.Point
	e.mu.Unlock()
	p.Point = &point
	var b bytes.Buffer
	expose(&b, metrics, p)
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.Write(b.Bytes()) //nolint:errcheck // the scraper went away
}
