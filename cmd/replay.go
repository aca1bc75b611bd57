package cmd

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/auth"
	"github.com/callsheet/callsheet/console"
	"github.com/callsheet/callsheet/exitcode"
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/session"
)

// replayOptions are the flags and arguments of `callsheet replay`.
type replayOptions struct {
	run     string
	steps   cli.StringSlice
	state   string
	timeout time.Duration
	tls     tlsOptions
	noColor bool
}

// newReplayCommand is `callsheet replay RUN [--step NAME]`.
func newReplayCommand(sys *system) *cli.Command {
	opts := &replayOptions{}
	return &cli.Command{
		Name:      "replay",
		Usage:     "send the requests and messages of a recorded run again, as they were sent, and show what changed",
		ArgsUsage: "RUN",
		Description: "RUN is a run folder, or the ID `callsheet runs` lists (in ./.callsheet/runs).\n" +
			"Requests are sent byte for byte as recorded (no templating). Secrets were\n" +
			"recorded as placeholders; their values come from the state file the run\n" +
			"would use (saved with --state --state-secrets), or --state=FILE. Each\n" +
			"response is compared with the recorded one: status, headers (except Date)\n" +
			"and a JSON diff of the bodies. A recorded message of an Arazzo AsyncAPI\n" +
			"step is sent again as it was, and a recorded receive waits again (up to\n" +
			"its step's timeout) for a message with the same correlation value, which is\n" +
			"compared with the recorded one. The replay is recorded as a run too.",
		OnUsageError: onUsageError("replay"),
		Flags: slices.Concat([]cli.Flag{
			&cli.StringSliceFlag{Name: "step", Usage: "replay only the exchanges of step `NAME` (repeatable)", Destination: &opts.steps, KeepSpace: true},
			&cli.StringFlag{Name: "state", Usage: "take secret values from the state `FILE` (default: .callsheet/state.json beside the collection)", Destination: &opts.state},
			&cli.DurationFlag{Name: "timeout", Usage: "give up on a request after `DURATION`", Value: 30 * time.Second, Destination: &opts.timeout},
		}, opts.tls.flags(true), []cli.Flag{
			&cli.BoolFlag{Name: "no-color", Usage: "never colour the output (also: NO_COLOR=1)", Destination: &opts.noColor},
		}),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return &usageError{err: errors.New("name one recorded run (see `callsheet runs`)"), command: "replay"}
			}
			opts.run = c.Args().First()
			return runReplay(c.Context, sys, opts)
		},
	}
}

// runReplay sends a recorded run's requests again and prints, per exchange,
// what changed in the response.
func runReplay(ctx context.Context, sys *system, opts *replayOptions) error {
	rec, err := session.OpenRecording(opts.run, opts.state)
	if err != nil {
		return usage(err, "replay")
	}
	unchecked := &session.UncheckedHosts{}
	defer warnUnchecked(sys.stderr, unchecked) // once the replay is over (--insecure)
	client, err := session.NewClient(opts.tls.client(unchecked))
	if err != nil {
		return usage(err, "replay")
	}
	defer client.CloseIdleConnections()
	st := newStyle(sys, sys.stdout, opts.noColor)
	idx := rec.Index
	fmt.Fprintf(sys.stdout, "replay %s: %s (%s)\n", safetext.Line(idx.ID), safetext.Line(idx.Collection), safetext.Line(idx.File))
	code := ExitOK
	ro := session.ReplayOptions{
		Steps:     opts.steps.Value(),
		Timeout:   opts.timeout,
		Tokens:    func() (auth.Cache, error) { return fileCache(sys) },
		LookupEnv: sys.lookupEnv,
	}
	dir, err := rec.Replay(ctx, client, ro, func(rp *session.Replayed) {
		if rp.Err != nil {
			code = exitcode.Worse(code, ExitError)
		}
		console.Replayed(sys.stdout, st, rp)
	})
	if err != nil {
		return usage(err, "replay")
	}
	fmt.Fprintf(sys.stdout, "%s %s\n", st.Dim("recorded:"), safetext.Line(dir))
	return codeError(code)
}
