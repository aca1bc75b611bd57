package auth

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode"
)

// ErrNoCode is returned by [ModeOOBPrompt] when the user enters an empty line
// or the input ends before a code is entered.
var ErrNoCode = errors.New("authorize: no authorization code entered")

// AuthorizationError is an error response from the authorization endpoint
// (RFC 6749 section 4.1.2.1), delivered as error, error_description and
// error_uri parameters of the redirect.
type AuthorizationError struct {
	// Code is the error code, such as "access_denied" or "invalid_scope".
	Code string
	// Description is the optional human-readable error_description.
	Description string
	// URI is the optional error_uri pointing at a page about the error.
	URI string
}

// Error returns the error code and description as sent by the server.
func (e *AuthorizationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "authorize: authorization server returned %s", printable(e.Code, 64))
	if e.Description != "" {
		fmt.Fprintf(&b, ": %s", printable(e.Description, 300))
	}
	if e.URI != "" {
		fmt.Fprintf(&b, " (see %s)", printable(e.URI, 300))
	}
	return b.String()
}

// StateMismatchError reports a redirect whose state parameter differs from
// the one sent with the authorization request, a sign of a stale or forged
// response (RFC 6749 section 10.12).
type StateMismatchError struct {
	// Want is the state sent with the request.
	Want string
	// Got is the state found in the redirect; empty when it had none.
	Got string
}

// Error says whether the state was missing or different. It does not print
// the values, which are available in the fields.
func (e *StateMismatchError) Error() string {
	if e.Got == "" {
		return "authorize: redirect carries a code but no state parameter"
	}
	return "authorize: redirect state does not match the state sent with the request"
}

// CodeNotFoundError reports that automatic consent ([ModeAuto]) reached a
// response that neither redirects with a code nor shows one.
type CodeNotFoundError struct {
	// URL is the URL that was requested, without its query.
	URL string
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// Location is the resolved Location header without its query, empty
	// when absent.
	Location string
	// Snippet is the start of the response body as plain text, shortened.
	Snippet string
}

// Error describes the response that came back.
func (e *CodeNotFoundError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "authorize: no authorization code in the response to GET %s: %d %s",
		e.URL, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Location != "" {
		fmt.Fprintf(&b, ", location %s", e.Location)
	}
	if e.Snippet != "" {
		fmt.Fprintf(&b, ", body %q", e.Snippet)
	}
	return b.String()
}

// CodeNeededError is returned by [ChooseMode] when no mode can obtain a code
// without help: the redirect URI is not a loopback address, automatic consent
// is off and there is no terminal to prompt on.
type CodeNeededError struct {
	// AuthURL is an authorization URL the user can open in a browser. It
	// carries the client ID and a state but no PKCE challenge, since a code
	// supplied by hand cannot be paired with a verifier.
	AuthURL string
}

// Error tells the user how to supply the code.
func (e *CodeNeededError) Error() string {
	return "authorize: the authorization step needs a code: run with --var code=<code> (open " +
		e.AuthURL + " in a browser, approve, copy the code), " +
		"or use --sandbox / auto: true against a server that approves automatically"
}

// printable shortens s to at most limit runes and replaces control characters,
// so that text chosen by a server cannot break a terminal line.
func printable(s string, limit int) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == limit {
			b.WriteString("…")
			break
		}
		if unicode.IsControl(r) {
			r = ' '
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}
