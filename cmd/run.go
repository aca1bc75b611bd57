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
}

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
			"Variables, lowest precedence first: the collection's vars, --env-file, --var.\n" +
			"A --var value that is a JSON number, true, false or null gets that type; a\n" +
			"quoted JSON string is unquoted; anything else is a string.",
		OnUsageError: onUsageError("run"),
		Flags: append(opts.vars.flags("run against the built-in Procore sandbox (HTTPS on 127.0.0.1)"),
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "show each request and response line", Destination: &verbose},
			&cli.BoolFlag{Name: "very-verbose", Aliases: []string{"vv"}, Usage: "show the full exchange: headers and bodies (secrets masked)", Destination: &veryVerbose},
			&cli.DurationFlag{Name: "timeout", Usage: "give up on a request after `DURATION`", Value: 30 * time.Second, Destination: &opts.timeout},
			&cli.BoolFlag{Name: "insecure", Usage: "do not verify TLS certificates", Destination: &opts.insecure},
			&cli.StringFlag{Name: "cacert", Usage: "also trust the PEM certificates in `FILE`", Destination: &opts.caFile},
			&cli.BoolFlag{Name: "no-color", Usage: "never colour the output (also: NO_COLOR=1)", Destination: &opts.noColor},
			&cli.BoolFlag{Name: "auto-authorize", Usage: "take authorization codes without a person, for servers that approve at once (implied by --sandbox)", Destination: &opts.autoAuthorize},
			&cli.BoolFlag{Name: "continue", Usage: "run the remaining steps of a collection after a failure", Destination: &opts.cont},
		),
		Action: func(c *cli.Context) error {
			opts.paths = c.Args().Slice()
			switch {
			case veryVerbose:
				opts.verbose = 2
			case verbose:
				opts.verbose = 1
			}
			return runRun(c.Context, sys, opts)
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
	cols, err := loadAll(sys.stderr, newStyle(sys, sys.stderr, opts.noColor), opts.paths, opts.vars.defined(envVars, cliVars))
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
		srv, err := sandbox.Start("127.0.0.1:0", sandbox.Config{})
		if err != nil {
			return fmt.Errorf("start the sandbox: %w", err)
		}
		defer srv.Close()
		fmt.Fprintf(sys.stdout, "%s serving the Procore sandbox at %s\n", st.dim("sandbox:"), srv.URL)
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

	rep := newReporter(sys.stdout, st, opts.verbose)
	r := runner.New(client)
	code := ExitOK
	for i, c := range cols {
		if ctx.Err() != nil {
			break
		}
		if i > 0 {
			fmt.Fprintln(sys.stdout)
		}
		rep.collection(c)
		o := ropts
		o.OnStep = func(s *runner.StepResult) { rep.live(c, s) }
		res := r.Run(ctx, c, o)
		rep.finish(c, res)
		code = worse(code, resultCode(res))
	}
	rep.summary()
	if ctx.Err() != nil {
		code = worse(code, ExitError)
	}
	return codeError(code)
}
