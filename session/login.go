package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/callsheet/callsheet/auth"
	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/runner"
)

// Login is `callsheet auth login` of one auth profile: it gets a token by
// the profile's grant and leaves it in the source's cache.
type Login struct {
	// Source is the profile's token source, on the cache to fill.
	Source *auth.Source
	// Timeout bounds each token request, and the whole authorization when
	// no person takes part.
	Timeout time.Duration
	// Auto takes the authorization code without a person (the sandbox,
	// --auto-authorize); Interactive says a person is at a terminal.
	Auto, Interactive bool
	// Prompt is where a pasted code is read from, Out where the URL to
	// open and the prompt go; OpenBrowser, when set, opens the URL.
	Prompt      io.Reader
	Out         io.Writer
	OpenBrowser func(url string) error
}

// Run gets the token and returns the cached entry.
func (l *Login) Run(ctx context.Context) (*auth.Entry, error) {
	p := l.Source.Profile
	var err error
	switch p.Grant {
	case auth.GrantBearer:
		return nil, fmt.Errorf("auth profile %q uses a fixed bearer token: there is nothing to log in", p.Name)
	case auth.GrantAuthorizationCode:
		err = l.authorize(ctx)
	default:
		ctx, cancel := context.WithTimeout(ctx, l.Timeout)
		defer cancel()
		_, err = l.Source.Token(ctx)
	}
	if err != nil {
		return nil, err
	}
	e, err := l.Source.Cached()
	if err != nil || e == nil {
		return nil, fmt.Errorf("auth profile %q: the token was not cached: %v", p.Name, err)
	}
	return e, nil
}

// authorize runs the authorization code flow in the mode the profile and
// the terminal allow.
func (l *Login) authorize(ctx context.Context) error {
	p := l.Source.Profile
	a := &auth.Authorizer{Client: l.Source.Client, Prompt: l.Prompt, Out: l.Out}
	if l.Interactive {
		a.OpenBrowser = l.OpenBrowser
	}
	mode, err := auth.ChooseMode(p.AuthRequest(), l.Auto || p.Auto, l.Interactive)
	if cn := (*auth.CodeNeededError)(nil); errors.As(err, &cn) {
		// --var code=… serves authorize steps, not a login: say what does.
		return fmt.Errorf("auth profile %q: auth login needs a terminal to paste the code into (its redirect_uri %s "+
			"is not a loopback http://127.0.0.1:PORT/ address a browser can come back to); run it in a terminal, "+
			"or pass --auto-authorize for a server that approves at once", p.Name, p.RedirectURI)
	}
	if err != nil {
		return err
	}
	if mode == auth.ModeAuto {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, l.Timeout)
		defer cancel()
	}
	return l.Source.Login(ctx, a, mode)
}

// ProfileSource is the token source of the auth profile name of c, the
// profile rendered with ro's variables and environment, its requests sent
// by a client of tlsOpts that gives up on each after timeout. The caller
// sets its cache and closes the client's idle connections when done.
func ProfileSource(c *collections.Collection, name string, ro runner.Options, tlsOpts TLS, timeout time.Duration) (*auth.Source, error) {
	client, err := NewClient(tlsOpts)
	if err != nil {
		return nil, err
	}
	client.Timeout = timeout
	p, err := runner.ResolveProfile(c, name, ro)
	if err != nil {
		client.CloseIdleConnections()
		return nil, err
	}
	return &auth.Source{Profile: p, Client: client}, nil
}

// FindProfileFile returns the collection file in dir that declares the
// auth profile name, for `auth login PROFILE` without a FILE. Files that do
// not load (other YAML, collections needing variables not in defined) are
// passed over; none or several matches is an error that says to name the
// file.
func FindProfileFile(dir, name string, defined []string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", fmt.Errorf("find auth profile %q: %w", name, err)
	}
	var found []string
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.IsDir() || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		c, err := collections.Load(path, collections.Options{Defined: defined})
		if err == nil && c.Profile(name) != nil {
			found = append(found, path)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", fmt.Errorf("no collection in %s declares auth profile %q: name the file, as in `auth login %s FILE`", dir, name, name)
	}
	return "", fmt.Errorf("auth profile %q is declared in %s: name one, as in `auth login %s FILE`", name, strings.Join(found, ", "), name)
}
