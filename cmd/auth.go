package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/callsheet/callsheet/auth"
	"github.com/callsheet/callsheet/console"
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/runner"
	"github.com/callsheet/callsheet/sandbox"
	"github.com/callsheet/callsheet/session"
)

// cacheDirEnv overrides the token cache directory (auth.CacheDir).
const cacheDirEnv = auth.CacheDirEnv

// tokenOptions are the token-cache flags of `callsheet run`.
type tokenOptions struct {
	noCache       bool
	forceCache    bool
	allowInsecure bool
}

// flags declares the token-cache flags.
func (o *tokenOptions) flags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "token-cache", Usage: "cache auth profile tokens on disk (the default, except under CI=true or --sandbox)", Destination: &o.forceCache},
		&cli.BoolFlag{Name: "no-token-cache", Usage: "keep auth profile tokens in memory only, for this run", Destination: &o.noCache},
		&cli.BoolFlag{Name: "allow-insecure-http", Usage: "allow secrets over plain http:// to hosts that are not loopback", Destination: &o.allowInsecure},
	}
}

// apply sets the token cache and the insecure-HTTP permission of a run.
// Tokens are cached on disk unless --no-token-cache, CI=true or --sandbox
// (whose tokens die with it) says otherwise; --token-cache wins over the
// last two.
func (o *tokenOptions) apply(sys *system, sandbox bool, ropts *runner.Options) error {
	if o.noCache && o.forceCache {
		return &usageError{err: errors.New("--token-cache and --no-token-cache contradict each other"), command: "run"}
	}
	ropts.AllowInsecureHTTP = o.allowInsecure
	ci, _ := sys.lookupEnv("CI")
	if o.noCache || (!o.forceCache && (ci == "true" || sandbox)) {
		ropts.TokenCache = auth.NewMemoryCache()
		return nil
	}
	cache, err := fileCache(sys)
	if err != nil {
		return err
	}
	ropts.TokenCache = cache
	return nil
}

// fileCache is the token cache in auth.CacheDir. Its warnings (a
// damaged entry moved aside) go to stderr.
func fileCache(sys *system) (*auth.FileCache, error) {
	dir, err := auth.CacheDir(sys.lookupEnv)
	if err != nil {
		return nil, err
	}
	cache := auth.NewFileCache(dir)
	var mu sync.Mutex // collections running in parallel may warn at once
	cache.Warn = func(msg string) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(sys.stderr, "warning: %s\n", msg)
	}
	return cache, nil
}

// authOptions are the flags of `callsheet auth login` and `logout`.
type authOptions struct {
	vars          varOptions
	timeout       time.Duration
	tls           tlsOptions
	autoAuthorize bool
	allowInsecure bool
}

// flags declares the flags of auth login and logout.
func (o *authOptions) flags() []cli.Flag {
	return slices.Concat(o.vars.flags("use the built-in Procore sandbox (its tokens die with the command)"), []cli.Flag{
		&cli.DurationFlag{Name: "timeout", Usage: "give up on a token request after `DURATION`", Value: 30 * time.Second, Destination: &o.timeout},
	}, o.tls.flags(false), []cli.Flag{
		&cli.BoolFlag{Name: "auto-authorize", Usage: "take the authorization code without a person, for servers that approve at once", Destination: &o.autoAuthorize},
		&cli.BoolFlag{Name: "allow-insecure-http", Usage: "allow secrets over plain http:// to hosts that are not loopback", Destination: &o.allowInsecure},
	})
}

// newAuthCommand is `callsheet auth login|status|logout`.
func newAuthCommand(sys *system) *cli.Command {
	login, logout := &authOptions{}, &authOptions{}
	return &cli.Command{
		Name:  "auth",
		Usage: "log in, list and log out the auth profiles' cached tokens",
		Description: "Tokens are cached per profile, client ID and token URL in $" + cacheDirEnv + ",\n" +
			"else in the user's cache directory under callsheet/ (files 0600, folder 0700).",
		OnUsageError: onUsageError("auth"),
		Subcommands: []*cli.Command{
			{
				Name:         "login",
				Usage:        "run the profile's grant (the authorization code flow) and cache its tokens",
				ArgsUsage:    "PROFILE [FILE]",
				OnUsageError: onUsageError("auth login"),
				Flags:        login.flags(),
				Action: func(c *cli.Context) error {
					return authLogin(c.Context, sys, login, c.Args().Slice())
				},
			},
			{
				Name:         "status",
				Usage:        "list the cached tokens: profile, token URL, client ID and expiry, never the token",
				OnUsageError: onUsageError("auth status"),
				Action: func(*cli.Context) error {
					return authStatus(sys)
				},
			},
			{
				Name:         "logout",
				Usage:        "revoke the profile's token (when it has a revoke_url) and delete it from the cache",
				ArgsUsage:    "PROFILE [FILE]",
				OnUsageError: onUsageError("auth logout"),
				Flags:        logout.flags(),
				Action: func(c *cli.Context) error {
					return authLogout(c.Context, sys, logout, c.Args().Slice())
				},
			},
		},
	}
}

// profileSource loads FILE (by default the one collection of the current
// folder that declares PROFILE), renders PROFILE and returns its token
// source on the file cache, with the client the flags describe.
func profileSource(sys *system, o *authOptions, command string, args []string) (*auth.Source, func(), error) {
	if len(args) != 1 && len(args) != 2 {
		return nil, nil, &usageError{err: fmt.Errorf("want PROFILE [FILE], got %d arguments", len(args)), command: command}
	}
	vars, err := o.vars.read(command)
	if err != nil {
		return nil, nil, err
	}
	defined := o.vars.defined(vars)
	name, path := args[0], ""
	if len(args) == 2 {
		path = args[1]
	} else if path, err = session.FindProfileFile(".", name, defined); err != nil {
		return nil, nil, &usageError{err: err, command: command}
	}
	cols, err := loadAll(sys.stderr, newStyle(sys, sys.stderr, false), []string{path}, defined)
	if err != nil {
		return nil, nil, err
	}
	if len(cols) != 1 {
		return nil, nil, &usageError{err: fmt.Errorf("%s names %d collections, want one file", path, len(cols)), command: command}
	}
	tlsOpts := o.tls.client(&session.UncheckedHosts{})
	cleanup := func() {}
	if o.vars.sandbox {
		srv, err := sandbox.Start("127.0.0.1:0", sandbox.Config{})
		if err != nil {
			return nil, nil, fmt.Errorf("start the sandbox: %w", err)
		}
		cleanup = func() { srv.Close() }
		vars.Set(session.LayerSandbox, sandbox.Vars(srv.URL))
		tlsOpts.PEM = append(tlsOpts.PEM, srv.CertPEM)
	}
	src, err := session.ProfileSource(cols[0], name, runner.Options{Vars: vars.Merge(), LookupEnv: o.vars.lookupEnv(sys)}, tlsOpts, o.timeout)
	if err != nil {
		cleanup()
		return nil, nil, usage(err, command)
	}
	cache, err := fileCache(sys)
	if err != nil {
		src.Client.CloseIdleConnections()
		cleanup()
		return nil, nil, err
	}
	src.Cache, src.AllowInsecureHTTP = cache, o.allowInsecure
	done := func() {
		src.Client.CloseIdleConnections()
		cleanup()
		warnUnchecked(sys.stderr, tlsOpts.Unchecked)
	}
	return src, done, nil
}

// authLogin gets a token for the profile args name (by the grant's own
// flow) and prints how long the cached token lasts.
func authLogin(ctx context.Context, sys *system, o *authOptions, args []string) error {
	src, done, err := profileSource(sys, o, "auth login", args)
	if err != nil {
		return err
	}
	defer done()
	login := &session.Login{
		Source: src, Timeout: o.timeout, Auto: o.autoAuthorize || o.vars.sandbox,
		Interactive: sys.isTerminal(sys.stdin), Prompt: sys.stdin, Out: sys.stderr, OpenBrowser: browserOpener(sys),
	}
	e, err := login.Run(ctx)
	if err != nil {
		return err
	}
	console.LoggedIn(sys.stdout, src.Profile, e)
	return nil
}

// authStatus lists the cached tokens: profile, token URL, client ID,
// expiry and whether a refresh token is kept.
func authStatus(sys *system) error {
	cache, err := fileCache(sys)
	if err != nil {
		return err
	}
	entries, err := cache.List()
	if err != nil {
		return err
	}
	return console.TokenCache(sys.stdout, cache.Dir, entries)
}

// authLogout removes the cached token of the profile args name, revoking it
// first at the profile's revoke_url when it has one.
func authLogout(ctx context.Context, sys *system, o *authOptions, args []string) error {
	src, done, err := profileSource(sys, o, "auth logout", args)
	if err != nil {
		return err
	}
	defer done()
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	e, err := src.Cached()
	if err != nil {
		return err
	}
	revoked := false
	if e != nil {
		if revoked, err = src.Logout(ctx); err != nil {
			return fmt.Errorf("logged out locally, but %w", err)
		}
	}
	console.LoggedOut(sys.stdout, src.Profile, e != nil, revoked)
	return nil
}

// warnUnchecked writes one line on w naming the hosts whose certificates
// an --insecure client did not check, when there are any.
func warnUnchecked(w io.Writer, u *session.UncheckedHosts) {
	if hosts := u.Hosts(); len(hosts) > 0 {
		fmt.Fprintf(w, "warning: --insecure: the TLS certificates of %s were not checked\n", safetext.Line(strings.Join(hosts, ", ")))
	}
}
