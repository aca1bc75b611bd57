package auth

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// shutdownGrace bounds how long the loopback server waits for the browser's
// connection to finish after the code has arrived.
const shutdownGrace = 2 * time.Second

// callback is what the loopback handler hands to the waiting Authorize.
type callback struct {
	code string
	err  error
}

// authorizeLoopback listens on the redirect URI, shows the URL and waits for
// the redirect.
func (a *Authorizer) authorizeLoopback(ctx context.Context, req Request) (Grant, error) {
	ln, u, redirectURI, err := listenLoopback(ctx, req.RedirectURI)
	if err != nil {
		return Grant{}, err
	}
	handlerPath := u.Path
	if handlerPath == "" {
		handlerPath = "/"
	}
	g, err := a.prepare(req, redirectURI)
	if err != nil {
		ln.Close()
		return Grant{}, err
	}

	results := make(chan callback, 1)
	srv := &http.Server{Handler: callbackHandler(handlerPath, g.State, results), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(ln) // always ErrServerClosed after Shutdown or Close
	}()
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
		defer cancel()
		if srv.Shutdown(sctx) != nil {
			srv.Close()
		}
		<-served
	}()

	a.showURL(g.AuthURL)
	fmt.Fprintf(a.out(), "Waiting for the redirect to %s ...\n", g.RedirectURI)
	select {
	case r := <-results:
		if r.err != nil {
			return Grant{}, r.err
		}
		g.Code = r.code
		return g, nil
	case <-ctx.Done():
		return Grant{}, fmt.Errorf("authorize: waiting for the redirect to %s: %w", g.RedirectURI, ctx.Err())
	}
}

// listenLoopback listens on the loopback address of the redirect URI
// raw, which must name a port; port 0 takes a free one, which the
// redirect URI returned names.
func listenLoopback(ctx context.Context, raw string) (net.Listener, *url.URL, string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, nil, "", fmt.Errorf("authorize: invalid redirect URI: %w", err)
	}
	if !isLoopback(u) {
		return nil, nil, "", fmt.Errorf("authorize: redirect URI %q is not an http URI on 127.0.0.1, [::1] or localhost", raw)
	}
	if u.Port() == "" {
		return nil, nil, "", fmt.Errorf("authorize: loopback redirect URI %q needs a port (use :0 for any free port)", raw)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", net.JoinHostPort(u.Hostname(), u.Port()))
	if err != nil {
		return nil, nil, "", fmt.Errorf("authorize: listening for the redirect: %w", err)
	}
	if u.Port() == "0" {
		ru := *u
		ru.Host = net.JoinHostPort(u.Hostname(), strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
		raw = ru.String()
	}
	return ln, u, raw, nil
}

// callbackHandler serves the redirect path: it hands the first code or error
// to results and answers the browser with a short page. Requests without a
// code or an error are answered with 400 and do not end the wait.
func callbackHandler(path, state string, results chan<- callback) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		if err := r.ParseForm(); err != nil {
			writePage(w, http.StatusBadRequest, "Bad request", "The redirect could not be read.")
			return
		}
		code, found, err := codeFromParams(r.Form, state)
		if !found {
			writePage(w, http.StatusBadRequest, "No authorization code", "This request carries no authorization code.")
			return
		}
		select {
		case results <- callback{code: code, err: err}:
		default: // a result is already waiting; the first one wins
		}
		var ae *AuthorizationError
		switch {
		case errors.As(err, &ae):
			writePage(w, http.StatusOK, "Authorization refused", err.Error())
		case err != nil:
			writePage(w, http.StatusBadRequest, "Authorization rejected", err.Error())
		default:
			writePage(w, http.StatusOK, "Authorization complete", "You can close this window and return to the terminal.")
		}
	})
}

func writePage(w http.ResponseWriter, status int, title, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>callsheet: %[1]s</title></head>\n"+
		"<body><h1>%[1]s</h1><p>%[2]s</p></body></html>\n", html.EscapeString(title), html.EscapeString(msg))
}
