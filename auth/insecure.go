package auth

import (
	"fmt"
	"net/url"
	"strings"
)

// InsecureHTTPError refuses to send a secret (a token, a client secret, a
// credential header) over plain http:// to a host that is not loopback.
type InsecureHTTPError struct {
	// URL is the refused URL, without its query.
	URL string
}

// Error says why and what to do.
func (e *InsecureHTTPError) Error() string {
	return fmt.Sprintf("refusing to send a secret over plain http:// to %s: use https:// "+
		"(the Procore API requires HTTPS), or pass --allow-insecure-http", e.URL)
}

// CheckInsecureHTTP returns an *InsecureHTTPError when rawURL is a plain
// http:// URL whose host is not loopback (127.0.0.0/8, ::1, localhost) and
// allow is false. Other URLs, and URLs that do not parse, pass: sending
// them fails later with a clearer error.
func CheckInsecureHTTP(rawURL string, allow bool) error {
	if allow {
		return nil
	}
	u, err := url.Parse(rawURL)
	if err != nil || !strings.EqualFold(u.Scheme, "http") {
		return nil
	}
	lu := *u
	lu.Scheme = "http"
	if isLoopback(&lu) {
		return nil
	}
	shown := *u
	shown.RawQuery, shown.Fragment, shown.User = "", "", nil
	return &InsecureHTTPError{URL: shown.String()}
}
