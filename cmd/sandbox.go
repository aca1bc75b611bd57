package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/sandbox"
)

// sandboxOptions are the flags of `callsheet sandbox`.
type sandboxOptions struct {
	addr     string
	tokenTTL time.Duration
}

// newSandboxCommand is `callsheet sandbox`.
func newSandboxCommand(sys *system) *cli.Command {
	opts := &sandboxOptions{}
	return &cli.Command{
		Name:  "sandbox",
		Usage: "serve the Procore sandbox until interrupted (Ctrl-C)",
		Description: "Serves a local HTTPS imitation of the Procore login and REST API with a\n" +
			"fresh self-signed certificate, and prints the command that runs a collection\n" +
			"against it. `callsheet run --sandbox` starts its own sandbox instead.",
		OnUsageError: onUsageError("sandbox"),
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "addr", Usage: "listen on `HOST:PORT` (a loopback address; port 0 picks a free one)", Value: "127.0.0.1:8443", Destination: &opts.addr},
			&cli.DurationFlag{Name: "token-ttl", Usage: "access tokens expire after `DURATION`", Value: 5400 * time.Second, Destination: &opts.tokenTTL},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return &usageError{err: fmt.Errorf("unexpected argument %q", c.Args().First()), command: "sandbox"}
			}
			return runSandbox(c.Context, sys, opts)
		},
	}
}

// runSandbox serves the sandbox until ctx is done, after printing how to
// use it.
func runSandbox(ctx context.Context, sys *system, opts *sandboxOptions) error {
	cfg := sandbox.Config{AccessTokenTTL: opts.tokenTTL}
	if err := cfg.Validate(); err != nil {
		return &usageError{err: err, command: "sandbox"}
	}
	srv, err := sandbox.Start(opts.addr, cfg)
	if errors.Is(err, sandbox.ErrNotLoopback) {
		return &usageError{err: fmt.Errorf("--addr %s: %w", opts.addr, err), command: "sandbox"}
	}
	if err != nil {
		return fmt.Errorf("start the sandbox: %w", err)
	}
	defer srv.Close()

	certFile, err := writeTemp("callsheet-sandbox-*.pem", srv.CertPEM)
	if err != nil {
		return fmt.Errorf("write the sandbox certificate: %w", err)
	}
	defer os.Remove(certFile)

	st := newStyle(sys, sys.stdout, false)
	args := []string{"callsheet", "run", "--auto-authorize"}
	vars := sandboxVars(srv.URL)
	for _, name := range []string{varLoginURL, varBaseURL, varClientID, varClientSecret, varCompanyID} {
		args = append(args, "--var", fmt.Sprintf("%s=%v", name, vars[name]))
	}
	args = append(args, "--cacert", certFile, "procore/first-call")
	for i, a := range args {
		args[i] = shellQuote(a)
	}
	command := strings.Join(args, " ")

	w := sys.stdout
	fmt.Fprintf(w, "%s serving the Procore sandbox at %s\n\n", st.bold("sandbox:"), srv.URL)
	fmt.Fprintf(w, "  login URL      %s  (/oauth/authorize, /oauth/token)\n", srv.URL)
	fmt.Fprintf(w, "  API base URL   %s  (/rest/v1.0/me, /rest/v1.0/projects, …)\n", srv.URL)
	fmt.Fprintf(w, "  client id      %s\n", sandbox.DemoClientID)
	fmt.Fprintf(w, "  client secret  %s\n", sandbox.DemoClientSecret)
	fmt.Fprintf(w, "  company id     %d\n", sandbox.DemoCompanyID)
	fmt.Fprintf(w, "  certificate    %s\n", certFile)
	fmt.Fprintf(w, "\nRun a collection against it:\n\n  %s\n\nPress Ctrl-C to stop.\n", command)

	<-ctx.Done()
	fmt.Fprintln(w, "sandbox: stopped")
	return nil
}

// writeTemp writes data to a new temporary file named by pattern and
// returns its path.
func writeTemp(pattern string, data []byte) (string, error) {
	f, err := os.CreateTemp("", pattern)
	if err != nil {
		return "", err
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// shellQuote quotes s for a POSIX shell when it holds anything but letters,
// digits and -_./:=@%+,
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
