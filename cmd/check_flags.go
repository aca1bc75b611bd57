package cmd

import (
	"fmt"
	"strconv"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/runner"
)

// checkOptions are the flags of `callsheet run` about checks and template
// functions: --update-snapshots, --seed, --now and --strict.
type checkOptions struct {
	updateSnapshots bool
	strict          bool
	seed            string
	now             string
}

// flags declares the check flags.
func (o *checkOptions) flags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "update-snapshots", Usage: "rewrite every snapshot file with the response instead of comparing", Destination: &o.updateSnapshots},
		&cli.StringFlag{Name: "seed", Usage: "make uuid(), ulid(), random_int, random_string and pkce_verifier() reproducible from seed `N`", Destination: &o.seed},
		&cli.BoolFlag{Name: "strict", Usage: "fail every step that has no check (no expect:)", Destination: &o.strict},
		&cli.StringFlag{Name: "now", Usage: "freeze now(), unix() and ulid() at `TIME` (RFC 3339, or a date 2006-01-02)", Destination: &o.now},
	}
}

// apply validates the flags and sets them into ropts.
func (o *checkOptions) apply(ropts *runner.Options) error {
	ropts.UpdateSnapshots = o.updateSnapshots
	ropts.Strict = o.strict
	if o.seed != "" {
		n, err := strconv.ParseUint(o.seed, 10, 64)
		if err != nil {
			return &usageError{err: fmt.Errorf("--seed %q: must be a whole number from 0 to %d", o.seed, uint64(1<<64-1)), command: "run"}
		}
		ropts.Templates.Seed, ropts.Templates.Seeded = n, true
	}
	if o.now != "" {
		t, err := parseNow(o.now)
		if err != nil {
			return &usageError{err: fmt.Errorf("--now %q: write an RFC 3339 time such as 2024-05-17T10:30:00Z, or a date such as 2024-05-17", o.now), command: "run"}
		}
		ropts.Templates.Now = func() time.Time { return t }
	}
	return nil
}

// parseNow reads an RFC 3339 time or a date (midnight UTC).
func parseNow(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	return time.Parse("2006-01-02", s)
}
