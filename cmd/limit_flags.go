package cmd

import (
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/internal/bytesize"
	"github.com/callsheet/callsheet/runner"
)

// limitOptions are the flags of `callsheet run` that bound a run:
// --max-body, --max-time and --max-redirects.
type limitOptions struct {
	maxBody      string
	maxTime      time.Duration
	maxRedirects int
}

// flags declares the limit flags.
func (o *limitOptions) flags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "max-body", Usage: "fail a step whose response body, decompressed, exceeds `SIZE` (such as 50MiB, 512KiB, 1000000)", Value: "50MiB", Destination: &o.maxBody},
		&cli.DurationFlag{Name: "max-time", Usage: "stop the whole run after `DURATION`", DefaultText: "no limit", Destination: &o.maxTime},
		&cli.IntFlag{Name: "max-redirects", Usage: "follow at most `N` redirects per request (0: none)", Value: runner.DefaultMaxRedirects, Destination: &o.maxRedirects},
	}
}

// apply validates the flags and sets them into ropts.
func (o *limitOptions) apply(ropts *runner.Options) error {
	n, err := bytesize.Parse(o.maxBody)
	if err != nil {
		return &usageError{err: fmt.Errorf("--max-body %q: %w", o.maxBody, err), command: "run"}
	}
	if o.maxTime < 0 {
		return &usageError{err: fmt.Errorf("--max-time %s: must not be negative", o.maxTime), command: "run"}
	}
	if o.maxRedirects < 0 {
		return &usageError{err: fmt.Errorf("--max-redirects %d: must not be negative", o.maxRedirects), command: "run"}
	}
	ropts.MaxBody = n
	ropts.MaxRedirects = o.maxRedirects
	if o.maxRedirects == 0 {
		ropts.MaxRedirects = -1 // the runner reads 0 as its default
	}
	return nil
}
