package cmd

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/auth"
	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/console"
	"github.com/callsheet/callsheet/load"
	"github.com/callsheet/callsheet/load/stream"
	"github.com/callsheet/callsheet/runner"
	"github.com/callsheet/callsheet/sandbox"
	"github.com/callsheet/callsheet/session"
)

// loadOptions are the flags and argument of `callsheet load`.
type loadOptions struct {
	path    string
	vars    varOptions
	timeout time.Duration
	tls     tlsOptions
	tokens  tokenOptions
	// scenario holds the flags that override the collection's load:
	// mapping; set says which were given.
	scenario   load.Scenario
	stages     string
	thresholds cli.StringSlice
	abortAfter time.Duration
	segment    string
	out        loadOutputs
	set        func(name string) bool
}

// loadOutputs are where a load test's summary goes besides the terminal.
type loadOutputs struct {
	json, html string
	quiet      bool
	// prometheus is the address of a scrape endpoint; otlp the URL of an
	// OpenTelemetry collector.
	prometheus, otlp string
}

// newLoadCommand is `callsheet load PATH` and `callsheet load merge`.
func newLoadCommand(sys *system) *cli.Command {
	o := &loadOptions{}
	sc := &o.scenario
	flags := slices.Concat(o.vars.flags("run against the built-in Procore sandbox (HTTPS on 127.0.0.1)"), []cli.Flag{
		&cli.DurationFlag{Name: "timeout", Usage: "give up on a request after `DURATION`", Value: 30 * time.Second, Destination: &o.timeout},
	}, o.tls.flags(true), []cli.Flag{
		&cli.StringFlag{Name: "executor", Usage: "the `EXECUTOR`: constant-vus, ramping-vus, per-vu-iterations, constant-arrival-rate or ramping-arrival-rate (default: what the other flags imply)"},
		&cli.IntFlag{Name: "vus", Usage: "`N` users (pre-started users of an arrival-rate run)", Destination: &sc.VUs},
		&cli.IntFlag{Name: "max-vus", Usage: "at most `N` users in an arrival-rate run", Destination: &sc.MaxVUs},
		&cli.IntFlag{Name: "start-vus", Usage: "a ramping-vus run starts with `N` users", Destination: &sc.StartVUs},
		&cli.DurationFlag{Name: "duration", Usage: "run for `DURATION`", Destination: &sc.Duration},
		&cli.IntFlag{Name: "iterations", Usage: "`N` iterations per user (per-vu-iterations)", Destination: &sc.Iterations},
		&cli.Float64Flag{Name: "rate", Usage: "start `N` iterations a second (constant-arrival-rate)", Destination: &sc.Rate},
		&cli.Float64Flag{Name: "start-rate", Usage: "a ramping-arrival-rate run starts at `RATE` iterations a second", Destination: &sc.StartRate},
		&cli.StringFlag{Name: "stages", Usage: "ramp the users or the rate through `STAGES`, each DURATION:TARGET, such as 30s:50,1m:50,10s:0", Destination: &o.stages},
		&cli.DurationFlag{Name: "graceful-stop", Usage: "let iterations under way at the end run on for `DURATION` (default 30s)", Destination: &sc.GracefulStop},
		&cli.StringSliceFlag{Name: "threshold", Usage: "fail (exit 4) unless `THRESHOLD` ([STEP: ]METRIC OP VALUE) holds, such as 'p95 < 200ms' (repeatable)", Destination: &o.thresholds, KeepSpace: true},
		&cli.DurationFlag{Name: "abort-on-fail", Usage: "after `DURATION`, stop at the first threshold that fails", Destination: &o.abortAfter},
		&cli.StringFlag{Name: "segment", Usage: "run share `K/N` of the users or of the rate, for `callsheet load merge`", Destination: &o.segment},
		&cli.StringFlag{Name: "json", Usage: "write the JSON summary to `FILE` (mergeable)", Destination: &o.out.json},
		&cli.StringFlag{Name: "html", Usage: "write the HTML report to `FILE`", Destination: &o.out.html},
		&cli.StringFlag{Name: "prometheus", Usage: "serve the live figures for Prometheus at http://`ADDR`/metrics (host:port)", Destination: &o.out.prometheus},
		&cli.StringFlag{Name: "otlp", Usage: "push the live figures every second to the OpenTelemetry collector at `URL` (OTLP/HTTP)", Destination: &o.out.otlp},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no live progress", Destination: &o.out.quiet},
	}, o.tokens.flags())
	return &cli.Command{
		Name:      "load",
		Usage:     "run a collection as a load test",
		ArgsUsage: "PATH",
		Description: "Runs the collection PATH (a file or a bundled collection) as a load test: users\n" +
			"run its steps in order, each with its own captures and cookies, as its load:\n" +
			"mapping and the flags say. Exit 4 when a threshold fails. See docs/load.md.",
		OnUsageError: onUsageError("load"),
		Flags:        flags,
		Subcommands:  []*cli.Command{newLoadMergeCommand(sys)},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return &usageError{err: errors.New("want one PATH: a collection file or a bundled collection"), command: "load"}
			}
			o.path, o.set = c.Args().First(), c.IsSet
			sc.Executor = load.Executor(c.String("executor"))
			return runLoad(c.Context, sys, o)
		},
	}
}

// runLoad loads the collection, plans the test, runs it and reports.
func runLoad(ctx context.Context, sys *system, o *loadOptions) error {
	vars, err := o.vars.read("load")
	if err != nil {
		return err
	}
	if o.vars.sandbox {
		vars.Set(session.LayerSandbox, sandbox.Vars(""))
	}
	st := newStyle(sys, sys.stderr, false)
	cols, errs := session.Load([]string{o.path}, vars.Names())
	if err := renderLoadErrors(sys.stderr, st, errs); err != nil {
		return err
	}
	if len(cols) != 1 {
		return &usageError{err: fmt.Errorf("%s: want one collection, found %d", o.path, len(cols)), command: "load"}
	}
	test, err := o.plan(sys, cols[0])
	if err != nil {
		return err
	}
	tlsOpts := o.tls.client(&session.UncheckedHosts{})
	tlsOpts.IdlePerHost = test.Scenario.MostUsers()
	defer warnUnchecked(sys.stderr, tlsOpts.Unchecked)
	if o.vars.sandbox {
		srv, err := startSandbox(sys, newStyle(sys, sys.stdout, false))
		if err != nil {
			return err
		}
		defer srv.Close()
		vars.Set(session.LayerSandbox, sandbox.Vars(srv.URL))
		tlsOpts.PEM = append(tlsOpts.PEM, srv.CertPEM)
	}
	client, err := session.NewClient(tlsOpts)
	if err != nil {
		return usage(err, "load")
	}
	defer client.CloseIdleConnections()
	test.Runner = runner.New(client)
	if test.Options, err = o.runner(sys, vars); err != nil {
		return err
	}
	live := &console.LoadProgress{W: sys.stderr, TTY: sys.isTerminal(sys.stderr), Off: o.out.quiet}
	streams, err := stream.Start(ctx, stream.Targets{Prometheus: o.out.prometheus, OTLP: o.out.otlp, LookupEnv: sys.lookupEnv}, sys.stderr)
	if err != nil {
		return &usageError{err: err, command: "load"}
	}
	test.Progress = func(p load.Progress) {
		live.Show(p)
		streams.Observe(p)
	}
	sum, err := test.Run(ctx)
	live.End()
	if err := errors.Join(err, streams.Close()); err != nil {
		return err
	}
	return finishLoad(sys, sum, o.out)
}

// plan makes the test the collection's load: mapping and the flags
// describe.
func (o *loadOptions) plan(sys *system, c *collections.Collection) (*load.Test, error) {
	p, err := load.PlanOf(c)
	if err != nil {
		return nil, renderLoadErrors(sys.stderr, newStyle(sys, sys.stderr, false), []error{err})
	}
	if err := o.override(&p); err != nil {
		return nil, err
	}
	sc, err := p.Scenario.Complete()
	if err != nil {
		return nil, &usageError{err: fmt.Errorf("%s: %w", c.File, err), hint: "set the scenario in the collection's load: mapping or with --vus, --duration, --rate, --stages", command: "load"}
	}
	t := &load.Test{Collection: c, Scenario: sc, Thresholds: p.Thresholds, AbortAfter: p.AbortAfter}
	if o.segment != "" {
		if t.Segment, err = load.ParseSegment(o.segment); err != nil {
			return nil, &usageError{err: err, command: "load"}
		}
	}
	return t, nil
}

// override applies the flags that were given over the collection's plan.
func (o *loadOptions) override(p *load.Plan) error {
	ov := load.Overrides{Scenario: o.scenario, Set: o.set, Stages: o.stages, Thresholds: o.thresholds.Value(), AbortAfter: o.abortAfter}
	if err := ov.Apply(p); err != nil {
		return &usageError{err: err, command: "load"}
	}
	return nil
}

// runner returns the options of every iteration: the variables, the
// limits and one token cache shared by every user.
func (o *loadOptions) runner(sys *system, vars session.Vars) (runner.Options, error) {
	if o.timeout <= 0 {
		return runner.Options{}, &usageError{err: fmt.Errorf("--timeout %s: must be positive", o.timeout), command: "load"}
	}
	ro := runner.Options{
		Vars:        vars.Merge(),
		LookupEnv:   sys.lookupEnv,
		Limits:      runner.Limits{Timeout: o.timeout, BodyLimit: console.BodyLimit},
		AuthOptions: runner.AuthOptions{AutoAuthorize: o.vars.sandbox},
	}
	if o.vars.sandbox {
		ro.Secrets = []string{sandbox.VarClientSecret}
	}
	return ro, o.tokens.applyLoad(sys, &ro)
}

// applyLoad sets the token cache of a load test: one in memory, shared
// by every user, so that an auth profile logs in once and no iteration
// reads the disk; with --token-cache, the on-disk cache of runs and
// `callsheet auth login`.
func (o *tokenOptions) applyLoad(sys *system, ro *runner.Options) error {
	if o.noCache && o.forceCache {
		return &usageError{err: errors.New("--token-cache and --no-token-cache contradict each other"), command: "load"}
	}
	ro.AllowInsecureHTTP = o.allowInsecure
	if !o.forceCache {
		ro.TokenCache = auth.NewMemoryCache()
		return nil
	}
	cache, err := fileCache(sys)
	ro.TokenCache = cache
	return err
}

// finishLoad prints the summary, writes the files asked for and returns
// the outcome (load.Summary.ExitCode).
func finishLoad(sys *system, s *load.Summary, out loadOutputs) error {
	if err := s.WriteText(sys.stdout); err != nil {
		return err
	}
	if err := s.WriteFiles(out.json, out.html); err != nil {
		return err
	}
	return codeError(s.ExitCode())
}
