package cmd

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/console"
	"github.com/callsheet/callsheet/internal/shellquote"
	"github.com/callsheet/callsheet/report"
	"github.com/callsheet/callsheet/runner"
	"github.com/callsheet/callsheet/sandbox"
	"github.com/callsheet/callsheet/session"
)

// defaultTimeout is how long a request may take unless --timeout says.
const defaultTimeout = 30 * time.Second

// runOptions are the flags and arguments of `callsheet run`.
type runOptions struct {
	paths   []string
	vars    varOptions
	verbose int // 0, 1 (-v) or 2 (-vv)
	timeout time.Duration
	tls     tlsOptions
	noColor bool
	cont    bool
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
			"Every collection is loaded and validated before any request is sent.\n" +
			"An Arazzo document (*.arazzo.yaml) runs each of its workflows, with the\n" +
			"variables as inputs.\n\n" +
			"Variables, lowest precedence first: the collection's vars, --env NAME,\n" +
			"CALLSHEET_VAR_NAME environment variables, --env-file, the --data row, --var.\n" +
			"A --var value that is a JSON number, true, false or null gets that type; a\n" +
			"quoted JSON string is unquoted; anything else is a string.",
		OnUsageError: onUsageError("run"),
		Flags: slices.Concat(opts.vars.flags("run against the built-in Procore sandbox (HTTPS on 127.0.0.1)"),
			[]cli.Flag{
				&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "show each request and response line", Destination: &verbose},
				&cli.BoolFlag{Name: "very-verbose", Aliases: []string{"vv"}, Usage: "show the full exchange: headers and bodies (secrets masked)", Destination: &veryVerbose},
				&cli.DurationFlag{Name: "timeout", Usage: "give up on a request after `DURATION`", Value: defaultTimeout, Destination: &opts.timeout},
			},
			opts.tls.flags(true),
			[]cli.Flag{
				&cli.BoolFlag{Name: "no-color", Usage: "never colour the output (also: NO_COLOR=1)", Destination: &opts.noColor},
				&cli.BoolFlag{Name: "auto-authorize", Usage: "take authorization codes without a person, for servers that approve at once (implied by --sandbox)", Destination: &opts.autoAuthorize},
				&cli.BoolFlag{Name: "continue", Usage: "run the remaining steps of a collection after a failure", Destination: &opts.cont},
			},
			opts.ci.flags(), opts.checks.flags(), opts.limits.flags(), opts.har.flags(), opts.tokens.flags(), opts.loop.flags()),
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

// runRun loads and validates every collection, then runs them in order and
// reports as it goes. The error it returns carries the worst outcome.
func runRun(ctx context.Context, sys *system, opts *runOptions) error {
	start := time.Now()
	s, err := opts.session(sys)
	if err != nil {
		return err
	}
	if err := renderLoadErrors(sys.stderr, newStyle(sys, sys.stderr, opts.noColor), s.Load()); err != nil {
		return err
	}
	if err := renderLoadErrors(sys.stderr, newStyle(sys, sys.stderr, opts.noColor), s.MissingEnv(opts.vars.lookupEnv(sys))); err != nil {
		return err
	}
	if err := s.Plan(); err != nil {
		return usage(err, "run")
	}
	st := newStyle(sys, sys.stdout, opts.noColor)
	tlsOpts := opts.tls.client(&session.UncheckedHosts{})
	// Once the run is over, --insecure names the hosts it did not check.
	defer warnUnchecked(sys.stderr, tlsOpts.Unchecked)
	if opts.vars.sandbox {
		srv := opts.sandbox
		if srv == nil {
			if srv, err = startSandbox(sys, st); err != nil {
				return err
			}
			defer srv.Close()
		}
		s.SetVars(session.LayerSandbox, sandbox.Vars(srv.URL))
		tlsOpts.PEM = append(tlsOpts.PEM, srv.CertPEM)
	}
	client, err := session.NewClient(tlsOpts)
	if err != nil {
		return usage(err, "run")
	}
	defer client.CloseIdleConnections()
	consumers, discard, err := opts.consumers(sys, st, s, start)
	if err != nil {
		return err
	}
	defer discard() // nothing once written
	sum, err := s.Run(ctx, runner.New(client), consumers...)
	var sourceErr collections.ErrorList // a source description an Arazzo document fetches
	if errors.As(err, &sourceErr) {
		return renderLoadErrors(sys.stderr, newStyle(sys, sys.stderr, opts.noColor), []error{err})
	}
	if err != nil {
		return err
	}
	return codeError(sum.ExitCode())
}

// session checks the flags and makes the session they describe, its
// inputs read.
func (opts *runOptions) session(sys *system) (*session.Session, error) {
	if len(opts.paths) == 0 {
		return nil, &usageError{err: errors.New("missing PATH: name a collection file, a folder or a bundled collection"), command: "run"}
	}
	if opts.timeout <= 0 {
		return nil, &usageError{err: fmt.Errorf("--timeout %s: must be positive", opts.timeout), command: "run"}
	}
	vars, err := opts.vars.read("run")
	if err != nil {
		return nil, err
	}
	if opts.vars.sandbox {
		vars.Set(session.LayerSandbox, sandbox.Vars(""))
	}
	so := session.Options{Paths: opts.paths, Vars: vars, MaxTime: opts.limits.maxTime}
	if err := opts.ci.plan(sys, &so); err != nil {
		return nil, err
	}
	opts.loop.plan(&so)
	if so.Runner, err = opts.runner(sys); err != nil {
		return nil, err
	}
	s, err := session.New(so)
	return s, usage(err, "run")
}

// runner returns the options of every run of the collections.
func (opts *runOptions) runner(sys *system) (runner.Options, error) {
	interactive := sys.isTerminal(sys.stdin)
	ro := runner.Options{
		LookupEnv:   opts.vars.lookupEnv(sys),
		Limits:      runner.Limits{Timeout: opts.timeout, BodyLimit: console.BodyLimit},
		Continue:    opts.cont,
		AuthOptions: runner.AuthOptions{AutoAuthorize: opts.vars.sandbox || opts.autoAuthorize},
		Person:      runner.Person{Interactive: interactive, PromptIn: sys.stdin, Prompt: sys.stderr},
	}
	if opts.vars.sandbox {
		ro.Secrets = []string{sandbox.VarClientSecret}
	}
	ro.LoginFlags = opts.loginFlags()
	if interactive {
		ro.OpenBrowser = browserOpener(sys)
	}
	if err := opts.checks.apply(&ro); err != nil {
		return ro, err
	}
	if err := opts.limits.apply(&ro); err != nil {
		return ro, err
	}
	return ro, opts.tokens.apply(sys, opts.vars.sandbox, &ro)
}

// loginFlags are the flags of this run that `callsheet auth login` needs
// to reach the same server: variables, the env file and TLS settings,
// shell-quoted. A secret among the --var values is masked where the
// suggestion is printed, as everything else.
func (opts *runOptions) loginFlags() string {
	var flags []string
	for _, v := range opts.vars.vars.Value() {
		flags = append(flags, "--var", shellquote.Quote(v))
	}
	for _, f := range []struct{ name, value string }{{"--env-file", opts.vars.envFile}, {"--cacert", opts.tls.caFile}} {
		if f.value != "" {
			flags = append(flags, f.name, shellquote.Quote(f.value))
		}
	}
	if opts.timeout != defaultTimeout {
		flags = append(flags, "--timeout", opts.timeout.String())
	}
	for _, f := range []struct {
		name string
		on   bool
	}{{"--insecure", opts.tls.insecure}, {"--auto-authorize", opts.autoAuthorize}, {"--allow-insecure-http", opts.tokens.allowInsecure}} {
		if f.on {
			flags = append(flags, f.name)
		}
	}
	return strings.Join(flags, " ")
}

// consumers are what takes the results of s: the recorder, the console,
// then the reports, the GitHub annotations and the HAR file
// (report.Files), in the order of what they print at the end. discard
// removes the reports not written.
func (opts *runOptions) consumers(sys *system, st console.Style, s *session.Session, start time.Time) ([]session.Consumer, func(), error) {
	files := report.Files{JUnit: opts.ci.junit, JSON: opts.ci.json, TAP: opts.ci.tap, HTML: opts.ci.html, HAR: opts.har.file}
	if v, _ := sys.lookupEnv("GITHUB_ACTIONS"); v == "true" {
		files.Annotations = sys.stdout
	}
	outs, discard, err := files.Open(runInfo(sys, start), version())
	if err != nil {
		return nil, nil, err
	}
	term, _ := sys.lookupEnv("TERM")
	con := console.New(console.Options{
		Out: sys.stdout, Style: st, Verbose: opts.verbose, Quiet: opts.ci.quiet,
		Workers: s.Workers(), Live: sys.isTerminal(sys.stdout) && term != "dumb", Start: start,
	})
	con.Watch, con.Vars = opts.loop.memory, s.UnitVars
	if opts.vars.sandbox {
		con.Secrets = []string{sandbox.VarClientSecret}
	}
	var cs []session.Consumer
	if opts.loop.record {
		con.Rec = &session.Recorder{}
		cs = append(cs, con.Rec)
	}
	return append(append(cs, con), outs...), discard, nil
}

// startSandbox starts the Procore sandbox on a free loopback port and says
// where it serves.
func startSandbox(sys *system, st console.Style) (*sandbox.Server, error) {
	srv, err := sandbox.Start("127.0.0.1:0", sandbox.Config{})
	if err != nil {
		return nil, fmt.Errorf("start the sandbox: %w", err)
	}
	fmt.Fprintf(sys.stdout, "%s serving the Procore sandbox at %s\n", st.Dim("sandbox:"), srv.URL)
	return srv, nil
}
