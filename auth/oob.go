package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// maxLine bounds the length of a pasted line.
const maxLine = 8192

// authorizeOOB shows the URL, prompts and reads the code from a.Prompt.
func (a *Authorizer) authorizeOOB(ctx context.Context, req Request) (Grant, error) {
	if a.Prompt == nil {
		return Grant{}, errors.New("authorize: prompt mode needs an input to read the code from")
	}
	g, err := a.prepare(req, req.RedirectURI)
	if err != nil {
		return Grant{}, err
	}
	if err := ctx.Err(); err != nil {
		return Grant{}, fmt.Errorf("authorize: waiting for the authorization code: %w", err)
	}
	a.showURL(g.AuthURL)
	fmt.Fprint(a.out(), "Paste the authorization code: ")

	type line struct {
		s   string
		err error
	}
	lines := make(chan line, 1)
	// The read cannot be interrupted: if ctx ends first, this goroutine
	// stays blocked until the reader returns (for a terminal, until the
	// next line or the end of input).
	go func() {
		s, err := readLine(a.Prompt)
		lines <- line{s, err}
	}()
	select {
	case <-ctx.Done():
		return Grant{}, fmt.Errorf("authorize: waiting for the authorization code: %w", ctx.Err())
	case l := <-lines:
		if l.err != nil {
			return Grant{}, l.err
		}
		code, err := pastedCode(l.s, g.State)
		if err != nil {
			return Grant{}, err
		}
		g.Code = code
		return g, nil
	}
}

// readLine reads up to a newline or the end of input, one byte at a time so
// that input after the line is left for the next reader.
func readLine(r io.Reader) (string, error) {
	var b strings.Builder
	buf := make([]byte, 1)
	for {
		n, err := r.Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				return b.String(), nil
			}
			if b.Len() == maxLine {
				return "", fmt.Errorf("authorize: pasted line is longer than %d bytes", maxLine)
			}
			b.WriteByte(buf[0])
		}
		if errors.Is(err, io.EOF) {
			return b.String(), nil
		}
		if err != nil {
			return "", fmt.Errorf("authorize: reading the authorization code: %w", err)
		}
	}
}

// pastedCode accepts either the bare code or the whole URL the browser was
// redirected to, whose code, error and state are then checked.
func pastedCode(line, state string) (string, error) {
	s := strings.TrimSpace(line)
	if s == "" {
		return "", ErrNoCode
	}
	if strings.ContainsAny(s, "?#") {
		if u, err := url.Parse(s); err == nil {
			code, found, err := codeFromParams(redirectParams(u), state)
			if found {
				return code, err
			}
		}
	}
	return s, nil
}
