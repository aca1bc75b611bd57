package auth

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/callsheet/callsheet/internal/lazyregexp"
)

const (
	// maxHops bounds the redirects followed in ModeAuto, as net/http does.
	maxHops = 10
	// maxBody bounds how much of a page is read.
	maxBody = 1 << 20
)

var (
	// codeElement matches <code id="authorization_code">CODE</code>, with
	// any attribute order and quoting, in any case.
	codeElement = lazyregexp.New(`(?is)<code\b[^>]*?\bid\s*=\s*["']?authorization_code\b["']?[^>]*>\s*([^<\s]+)\s*</code\s*>`)
	// hex64 matches the code in an out-of-band display path such as
	// Procore's /oauth/authorize/<code>.
	hex64 = lazyregexp.New(`^[0-9a-fA-F]{64}$`)
	// markup matches script and style elements, then any tag.
	markup = lazyregexp.New(`(?is)<script\b.*?</script\s*>|<style\b.*?</style\s*>|<[^>]*>`)
)

// authorizeAuto visits the authorization URL and follows the server's
// redirects itself, stopping at the first one that carries a code or an
// error, or at the first page that shows a code.
func (a *Authorizer) authorizeAuto(ctx context.Context, req Request) (Grant, error) {
	g, err := a.prepare(req, req.RedirectURI)
	if err != nil {
		return Grant{}, err
	}
	client := noRedirects(a.Client)
	next, err := url.Parse(g.AuthURL)
	if err != nil {
		return Grant{}, fmt.Errorf("authorize: %w", err)
	}
	hexCode := "" // code in the path of the page being fetched, if any
	for range maxHops + 1 {
		status, location, body, err := fetch(ctx, client, next)
		if err != nil {
			return Grant{}, err
		}
		if isRedirect(status) && location != "" {
			loc, err := next.Parse(location)
			if err != nil {
				return Grant{}, fmt.Errorf("authorize: GET %s: invalid Location: %w", stripQuery(next), err)
			}
			code, found, err := codeFromParams(redirectParams(loc), g.State)
			if err != nil {
				return Grant{}, err
			}
			if found {
				g.Code = code
				return g, nil
			}
			if loc.Scheme != "http" && loc.Scheme != "https" {
				return Grant{}, &CodeNotFoundError{URL: stripQuery(next), StatusCode: status, Location: stripQuery(loc)}
			}
			hexCode = ""
			if seg := path.Base(loc.Path); hex64.MatchString(seg) {
				hexCode = seg
			}
			next = loc
			continue
		}
		if code, ok := codeFromHTML(body); ok {
			g.Code = code
			return g, nil
		}
		if hexCode != "" && status >= 200 && status < 300 {
			g.Code = hexCode
			return g, nil
		}
		return Grant{}, &CodeNotFoundError{URL: stripQuery(next), StatusCode: status, Snippet: snippet(body)}
	}
	return Grant{}, fmt.Errorf("authorize: GET %s: stopped after %d redirects", stripQuery(next), maxHops)
}

// noRedirects returns a copy of c that returns redirects instead of
// following them.
func noRedirects(c *http.Client) *http.Client {
	var cc http.Client
	if c != nil {
		cc = *c
	}
	cc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &cc
}

// fetch GETs u and returns the status, the raw Location header and the start
// of the body.
func fetch(ctx context.Context, c *http.Client, u *url.URL) (status int, location string, body []byte, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, "", nil, fmt.Errorf("authorize: %w", err)
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", nil, fmt.Errorf("authorize: %w", err)
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return 0, "", nil, fmt.Errorf("authorize: GET %s: reading body: %w", stripQuery(u), err)
	}
	return resp.StatusCode, resp.Header.Get("Location"), body, nil
}

func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// codeFromHTML finds the code in <code id="authorization_code">.
func codeFromHTML(body []byte) (string, bool) {
	m := codeElement.FindSubmatch(body)
	if m == nil {
		return "", false
	}
	code := html.UnescapeString(string(m[1]))
	return code, code != ""
}

// snippet returns the start of an HTML or text body as one short line.
func snippet(body []byte) string {
	text := html.UnescapeString(markup.ReplaceAllString(string(body), " "))
	return printable(strings.Join(strings.Fields(text), " "), 160)
}

// stripQuery returns u without user info, query or fragment, for messages:
// what remains cannot carry a code or a token.
func stripQuery(u *url.URL) string {
	c := *u
	c.RawQuery, c.Fragment, c.RawFragment, c.User = "", "", "", nil
	return c.String()
}
