package cmd

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

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
	n, err := parseSize(o.maxBody)
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

// sizeUnits are the suffixes parseSize accepts, longest first.
var sizeUnits = []struct {
	suffix string
	mult   int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
	{"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000},
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30},
	{"B", 1},
}

// parseSize reads a positive byte count such as 1048576, 512KiB, 50MiB or
// 2MB (KiB, MiB, GiB are powers of 1024; KB, MB, GB of 1000; K, M, G
// are read as KiB, MiB, GiB).
func parseSize(s string) (int64, error) {
	num, mult := strings.TrimSpace(s), int64(1)
	for _, u := range sizeUnits {
		if rest, ok := strings.CutSuffix(num, u.suffix); ok {
			num, mult = strings.TrimSpace(rest), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("want a positive size such as 50MiB, 512KiB or 1000000")
	}
	if n > (1<<62)/mult {
		return 0, fmt.Errorf("size is too large")
	}
	return n * mult, nil
}
