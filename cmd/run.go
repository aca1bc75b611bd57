package cmd

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/auth"
	"github.com/callsheet/callsheet/runner"
	"github.com/callsheet/callsheet/sandbox"
)

// runOptions are the flags and arguments of `callsheet run`.
type runOptions struct {
	paths    []string
	vars     varOptions
	verbose  int // 0, 1 (-v) or 2 (-vv)
	timeout  time.Duration
	insecure bool
	caFile   string
	noColor  bool
	cont     bool
	// autoAuthorize takes authorization codes without a person (implied by
	// --sandbox).
	autoAuthorize bool
	// ci holds the report, parallel, selection and data flags (ci.go).
	ci ciOptions
	// checks holds --update-snapshots, --seed and --now (check_flags.go).
	checks checkOptions
	// har holds --har FILE (har.go).
	har harOptions
	// limits holds --max-body, --max-time and --max-redirects
	// (limit_flags.go).
	limits limitOptions
	// tokens holds --token-cache, --no-token-cache and
	// --allow-insecure-http (auth.go).
	tokens tokenOptions
	// loop holds --state, --step, --from, --with-deps, --record and
	// --watch (state.go, watch.go).
	loop loopOptions
	// sandbox, when set, is a sandbox started by the caller and shared by
	// several runs (--watch reruns keep their tokens valid); otherwise
	// --sandbox starts one for the run.
	sandbox *sandbox.Server
}

// newRunCommand is `callsheet run PATH...`.
func newRunCommand(sys *system) *cli.Command {
	opts := &runOptions{}
	var verbose, veryVerbose bool
	return &cli.Command{
		Name:      "run",
		Usage:     "run collections of HTTP requests and check the responses",
		ArgsUsage: "PATH...",
		Description: "Runs each collection named by PATH: a file, every *.yaml and *.yml file of a\n" +
			"folder (in name order), or a bundled collection such as procore/first-call.\n" +
			"Every collection is loaded and validated before any request is sent.\n\n" +
			"Variables, lowest precedence first: the collection's vars, --env NAME,\n" +
			"CALLSHEET_VAR_NAME environment variables, --env-file, the --data row, --var.\n" +
			"A --var value that is a JSON number, true, false or null gets that type; a\n" +
			"quoted JSON string is unquoted; anything else is a string.",
		OnUsageError: onUsageError("run"),
		Flags: append(append(opts.vars.flags("run against the built-in Procore sandbox (HTTPS on 127.0.0.1)"),
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "show each request and response line", Destination: &verbose},
			&cli.BoolFlag{Name: "very-verbose", Aliases: []string{"vv"}, Usage: "show the full exchange: headers and bodies (secrets masked)", Destination: &veryVerbose},
			&cli.DurationFlag{Name: "timeout", Usage: "give up on a request after `DURATION`", Value: 30 * time.Second, Destination: &opts.timeout},
			&cli.BoolFlag{Name: "insecure", Usage: "do not verify TLS certificates", Destination: &opts.insecure},
			&cli.StringFlag{Name: "cacert", Usage: "also trust the PEM certificates in `FILE`", Destination: &opts.caFile},
			&cli.BoolFlag{Name: "no-color", Usage: "never colour the output (also: NO_COLOR=1)", Destination: &opts.noColor},
			&cli.BoolFlag{Name: "auto-authorize", Usage: "take authorization codes without a person, for servers that approve at once (implied by --sandbox)", Destination: &opts.autoAuthorize},
			&cli.BoolFlag{Name: "continue", Usage: "run the remaining steps of a collection after a failure", Destination: &opts.cont},
		), append(append(append(opts.ci.flags(), opts.checks.flags()...), opts.limits.flags()...), append(append(opts.har.flags(), opts.tokens.flags()...), opts.loop.flags()...)...)...),
		Action: func(c *cli.Context) error {
			opts.paths = c.Args().Slice()
			switch {
			case veryVerbose:
				opts.verbose = 2
			case verbose:
				opts.verbose = 1
			}
			return runOrWatch(c.Context, sys, opts)
		},
	}
}

// Sandbox variables, set at the level of --var (an explicit --var wins).
const (
	varLoginURL     = "login_url"
	varBaseURL      = "base_url"
	varClientID     = "client_id"
	varClientSecret = "client_secret"
	varCompanyID    = "company_id"
)

// sandboxVars are the variables --sandbox sets for a sandbox serving at url.
func sandboxVars(url string) map[string]any {
	return map[string]any{
		varLoginURL:     url,
		varBaseURL:      url,
		varClientID:     sandbox.DemoClientID,
		varClientSecret: sandbox.DemoClientSecret,
		varCompanyID:    int64(sandbox.DemoCompanyID),
	}
}

// runRun loads and validates every collection, then runs them in order and
// reports as it goes. The error it returns carries the worst outcome.
func runRun(ctx context.Context, sys *system, opts *runOptions) error {
	start := time.Now()
	if len(opts.paths) == 0 {
		return &usageError{err: errors.New("missing PATH: name a collection file, a folder or a bundled collection"), command: "run"}
	}
	if opts.timeout <= 0 {
		return &usageError{err: fmt.Errorf("--timeout %s: must be positive", opts.timeout), command: "run"}
	}
	envVars, cliVars, err := opts.vars.read("run")
	if err != nil {
		return err
	}
	ciDefined, err := opts.ci.ciDefined(sys, opts.paths)
	if err != nil {
		return err
	}
	savedDefined, err := opts.loop.savedVarNames(opts.paths)
	if err != nil {
		return err
	}
	cols, err := loadAll(sys.stderr, newStyle(sys, sys.stderr, opts.noColor), opts.paths, append(append(opts.vars.defined(envVars, cliVars), ciDefined...), savedDefined...))
	if err != nil {
		return err
	}
	units, err := opts.ci.plan(cols)
	if err != nil {
		return err
	}
	sess, err := opts.loop.startSession(cols)
	if err != nil {
		return err
	}

	st := newStyle(sys, sys.stdout, opts.noColor)
	cc := clientConfig{caFile: opts.caFile, insecure: opts.insecure}
	var (
		sbVars  map[string]any
		secrets []string
	)
	if opts.vars.sandbox {
		srv := opts.sandbox
		if srv == nil {
			if srv, err = startSandbox(sys, st); err != nil {
				return err
			}
			defer srv.Close()
		}
		sbVars = sandboxVars(srv.URL)
		cc.extraPEM = append(cc.extraPEM, srv.CertPEM)
		secrets = append(secrets, varClientSecret)
	}
	client, err := newClient(cc)
	if err != nil {
		return err
	}
	defer client.CloseIdleConnections()

	interactive := sys.isTerminal(sys.stdin)
	ropts := runner.Options{
		Vars:          mergeVars(envVars, sbVars, cliVars),
		Secrets:       secrets,
		LookupEnv:     sys.lookupEnv,
		Timeout:       opts.timeout,
		Continue:      opts.cont,
		BodyLimit:     bodyLimit,
		AutoAuthorize: opts.vars.sandbox || opts.autoAuthorize,
		Interactive:   interactive,
		PromptIn:      sys.stdin,
		Prompt:        sys.stderr,
	}
	if interactive {
		ropts.OpenBrowser = auth.OpenBrowserCommand
	}
	if err := opts.checks.apply(&ropts); err != nil {
		return err
	}
	if err := opts.limits.apply(&ropts); err != nil {
		return err
	}
	if err := opts.tokens.apply(sys, opts.vars.sandbox, &ropts); err != nil {
		return err
	}
	ropts = sess.options(cols, ropts)
	ropts.KeepBodies = opts.keepBodies()
	ropts.Summaries = opts.summaries()
	opts.ci.retain = opts.retention() // retain.go
	// The --report-* files are written as the run goes (report_streams.go).
	if opts.ci.reports, err = openReports(&opts.ci, runInfo(sys, start)); err != nil {
		return err
	}
	defer opts.ci.reports.discard() // nothing once written
	ctx, cancelMaxTime := opts.limits.bound(ctx)
	defer cancelMaxTime()

	rep := newReporter(sys.stdout, st, opts.verbose)
	if opts.verbose > 1 {
		rep.curl = &curlLines{}
		ropts.Exchanges = true // the curl lines print them
	}
	r := runner.New(client)
	code := ExitOK
	results := runUnits(ctx, sys, r, units, ropts, varLayers{envFile: envVars, sandbox: sbVars, cli: cliVars}, rep, &opts.ci)
	for i, res := range results {
		code = worse(code, resultCode(res))
		opts.loop.showChanges(sys, st, units[i].coll, res)
		if err := sess.finish(sys, st, units[i].coll, res); err != nil {
			return err
		}
	}
	rep.summary(time.Since(start))
	if err := writeReports(sys, &opts.ci, results); err != nil {
		return err
	}
	if err := opts.har.write(results); err != nil {
		return err
	}
	if ctx.Err() != nil && !maxTimeExpired(ctx) {
		code = ExitInterrupted
	} else if ctx.Err() != nil {
		code = worse(code, ExitError)
	}
	return codeError(code)
}

// startSandbox starts the Procore sandbox on a free loopback port and says
// where it serves.
func startSandbox(sys *system, st style) (*sandbox.Server, error) {
	srv, err := sandbox.Start("127.0.0.1:0", sandbox.Config{})
	if err != nil {
		return nil, fmt.Errorf("start the sandbox: %w", err)
	}
	fmt.Fprintf(sys.stdout, "%s serving the Procore sandbox at %s\n", st.dim("sandbox:"), srv.URL)
	return srv, nil
}
