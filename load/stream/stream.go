package stream

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/callsheet/callsheet/load"
	"github.com/callsheet/callsheet/load/stream/otlp"
	"github.com/callsheet/callsheet/load/stream/prom"
)

// Targets say where the figures go; an empty field sends none there.
type Targets struct {
	// Prometheus is the host:port of the scrape endpoint to serve
	// (port 0 picks one).
	Prometheus string
	// OTLP is the URL of the OpenTelemetry collector to push to.
	OTLP string
	// Interval is how often OTLP pushes; 0 means every second.
	Interval time.Duration
	// LookupEnv reads the OpenTelemetry SDKs' variables OTLP honours (see
	// otlp.Start), such as os.LookupEnv; nil reads none.
	LookupEnv func(string) (string, bool)
}

// Streams are the exporters of one load test.
type Streams struct {
	prom *prom.Exporter
	otlp *otlp.Exporter
}

// Start starts the exporters t names and says on log where Prometheus
// serves. On an error, what it started is stopped.
func Start(ctx context.Context, t Targets, log io.Writer) (*Streams, error) {
	s := &Streams{}
	var err error
	if t.Prometheus != "" {
		if s.prom, err = prom.Serve(t.Prometheus); err != nil {
			return nil, err
		}
		fmt.Fprintf(log, "prometheus: serving http://%s/metrics\n", s.prom.Addr())
	}
	if t.OTLP != "" {
		interval := t.Interval
		if interval <= 0 {
			interval = time.Second
		}
		if s.otlp, err = otlp.Start(ctx, t.OTLP, interval, t.LookupEnv); err != nil {
			return nil, errors.Join(err, s.Close())
		}
	}
	return s, nil
}

// Observe hands p to every exporter.
func (s *Streams) Observe(p load.Progress) {
	if s.prom != nil {
		s.prom.Observe(p)
	}
	if s.otlp != nil {
		s.otlp.Observe(p)
	}
}

// Close stops the exporters; OTLP pushes the final figures first, for at
// most 10 seconds.
func (s *Streams) Close() error {
	var errs []error
	if s.prom != nil {
		errs = append(errs, s.prom.Close())
	}
	if s.otlp != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.otlp.Close(ctx); err != nil {
			errs = append(errs, fmt.Errorf("--otlp: %w", err))
		}
	}
	return errors.Join(errs...)
}
