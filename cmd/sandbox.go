package cmd

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/sandbox"
)

// sandboxOptions are the flags of `callsheet sandbox`.
type sandboxOptions struct {
	addr       string
	tokenTTL   time.Duration
	codeTTL    time.Duration
	rateLimit  int
	rateWindow time.Duration
	failRate   float64
	failStatus int
	retryAfter time.Duration
	failPaths  cli.StringSlice
	latency    time.Duration
	jitter     time.Duration
	seed       string
	stateDir   string
}

// flags declares the flags of `callsheet sandbox`.
func (o *sandboxOptions) flags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "addr", Usage: "listen on `HOST:PORT` (a loopback address; port 0 picks a free one)", Value: "127.0.0.1:8443", Destination: &o.addr},
		&cli.DurationFlag{Name: "token-ttl", Usage: "access tokens expire after `DURATION`", Value: 5400 * time.Second, Destination: &o.tokenTTL},
		&cli.DurationFlag{Name: "code-ttl", Usage: "authorization codes expire after `DURATION`", Value: 10 * time.Minute, Destination: &o.codeTTL},
		&cli.IntFlag{Name: "rate-limit", Usage: "allow each access token `N` API requests per --rate-window, then answer 429", Value: 3600, Destination: &o.rateLimit},
		&cli.DurationFlag{Name: "rate-window", Usage: "the rate-limit window, opened by a token's first API request, lasts `DURATION`", Value: time.Hour, Destination: &o.rateWindow},
		&cli.Float64Flag{Name: "fail-rate", Usage: "answer a random share `P` (0 to 1) of the requests with --fail-status", Destination: &o.failRate},
		&cli.IntFlag{Name: "fail-status", Usage: "the `STATUS` (4xx or 5xx) of the requests --fail-rate fails", Value: 503, Destination: &o.failStatus},
		&cli.DurationFlag{Name: "retry-after", Usage: "send Retry-After: `DURATION` (whole seconds) with the requests --fail-rate fails", DefaultText: "none", Destination: &o.retryAfter},
		&cli.StringSliceFlag{Name: "fail-path", Usage: "fail only requests whose path starts with `PREFIX`, such as /rest/ (repeatable; default: every path)", Destination: &o.failPaths},
		&cli.DurationFlag{Name: "latency", Usage: "hold every answer back `DURATION`", Destination: &o.latency},
		&cli.DurationFlag{Name: "jitter", Usage: "hold every answer back a further random delay of up to `DURATION`", Destination: &o.jitter},
		&cli.StringFlag{Name: "seed", Usage: "draw codes, tokens, failures and jitter from `TEXT`, so that the same requests get the same answers", Destination: &o.seed},
		&cli.StringFlag{Name: "state-dir", Usage: "keep the certificate, codes and tokens in `DIR`, so that they survive a restart", Destination: &o.stateDir},
	}
}

// newSandboxCommand is `callsheet sandbox`.
func newSandboxCommand(sys *system) *cli.Command {
	opts := &sandboxOptions{}
	return &cli.Command{
		Name:  "sandbox",
		Usage: "serve the Procore sandbox until interrupted (Ctrl-C)",
		Description: "Serves a local HTTPS imitation of the Procore login and REST API with a\n" +
			"fresh self-signed certificate, and prints the command that runs a collection\n" +
			"against it. `callsheet run --sandbox` starts its own sandbox instead.\n\n" +
			"The other flags make it a fault lab: shorter lifetimes, a smaller rate limit,\n" +
			"injected failures and latency, reproducible with --seed. A request can set\n" +
			"them for itself with the headers Sandbox-Latency, Sandbox-Fail,\n" +
			"Sandbox-Rate-Limit, Sandbox-Code-TTL and Sandbox-Token-TTL (see the README).",
		OnUsageError: onUsageError("sandbox"),
		Flags:        opts.flags(),
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return &usageError{err: fmt.Errorf("unexpected argument %q", c.Args().First()), command: "sandbox"}
			}
			cfg, err := opts.config(c.IsSet)
			if err != nil {
				return &usageError{err: err, command: "sandbox"}
			}
			return runSandbox(c.Context, sys, opts.addr, cfg)
		},
	}
}

// config checks the flags and returns the sandbox settings they make;
// isSet reports whether a flag was given.
func (o *sandboxOptions) config(isSet func(name string) bool) (sandbox.Config, error) {
	durations := []struct {
		flag     string
		d        time.Duration
		positive bool // else it may be 0
	}{
		{"token-ttl", o.tokenTTL, true}, {"code-ttl", o.codeTTL, true}, {"rate-window", o.rateWindow, true},
		{"retry-after", o.retryAfter, false}, {"latency", o.latency, false}, {"jitter", o.jitter, false},
	}
	for _, f := range durations {
		if f.positive && f.d <= 0 {
			return sandbox.Config{}, fmt.Errorf("--%s %s: must be positive", f.flag, f.d)
		}
		if f.d < 0 {
			return sandbox.Config{}, fmt.Errorf("--%s %s: must not be negative", f.flag, f.d)
		}
	}
	if err := o.checkFaults(isSet); err != nil {
		return sandbox.Config{}, err
	}
	if isSet("seed") && o.seed == "" {
		return sandbox.Config{}, errors.New("--seed: must not be empty")
	}
	if isSet("state-dir") && o.stateDir == "" {
		return sandbox.Config{}, errors.New("--state-dir: must not be empty")
	}
	cfg := sandbox.Config{
		AccessTokenTTL: o.tokenTTL, CodeTTL: o.codeTTL,
		RateLimit: o.rateLimit, RateLimitWindow: o.rateWindow,
		FailRate: o.failRate, FailStatus: o.failStatus, FailRetryAfter: o.retryAfter, FailPaths: o.failPaths.Value(),
		Latency: o.latency, LatencyJitter: o.jitter,
		Seed: o.seed, StateDir: o.stateDir,
	}
	return cfg, cfg.Validate()
}

// checkFaults checks --rate-limit and the --fail-* flags.
func (o *sandboxOptions) checkFaults(isSet func(name string) bool) error {
	switch {
	case o.rateLimit < 1:
		return fmt.Errorf("--rate-limit %d: must be at least 1", o.rateLimit)
	case !(o.failRate >= 0 && o.failRate <= 1):
		return fmt.Errorf("--fail-rate %v: want a share from 0 to 1, such as 0.1", o.failRate)
	case o.failStatus < 400 || o.failStatus > 599:
		return fmt.Errorf("--fail-status %d: want a 4xx or 5xx status", o.failStatus)
	}
	for _, p := range o.failPaths.Value() {
		if !strings.HasPrefix(p, "/") {
			return fmt.Errorf("--fail-path %q: want a URL path starting with /, such as /rest/", p)
		}
	}
	if o.failRate == 0 {
		for _, flag := range []string{"fail-status", "retry-after", "fail-path"} {
			if isSet(flag) {
				return fmt.Errorf("--%s needs --fail-rate: without it no request fails", flag)
			}
		}
	}
	return nil
}

// runSandbox serves the sandbox on addr until ctx is done, after printing
// how to use it.
func runSandbox(ctx context.Context, sys *system, addr string, cfg sandbox.Config) error {
	srv, err := sandbox.Start(addr, cfg)
	if errors.Is(err, sandbox.ErrNotLoopback) {
		return &usageError{err: fmt.Errorf("--addr %s: %w", addr, err), command: "sandbox"}
	}
	if err != nil {
		return fmt.Errorf("start the sandbox: %w", err)
	}
	certFile, remove, err := srv.TrustFile()
	if err != nil {
		srv.Close()
		return fmt.Errorf("write the sandbox certificate: %w", err)
	}
	defer remove()
	srv.Banner(sys.stdout, certFile, cfg, newStyle(sys, sys.stdout, false).Bold)

	<-ctx.Done()
	err = srv.Close()
	fmt.Fprintln(sys.stdout, "sandbox: stopped")
	if err != nil {
		return fmt.Errorf("stop the sandbox: %w", err)
	}
	return nil
}
