package mask

import (
	"net/http"
	"strings"
)

// credentialHeaders are masked whatever the secrets: Authorization keeps
// its scheme ("Bearer ***"), cookies are masked whole.
var credentialHeaders = map[string]bool{
	"Authorization":       true,
	"Proxy-Authorization": true,
	"Cookie":              false,
	"Set-Cookie":          false,
}

// Sensitive reports whether the request header name always holds a
// credential: Authorization, Proxy-Authorization and Cookie.
func Sensitive(name string) bool {
	switch http.CanonicalHeaderKey(name) {
	case "Authorization", "Proxy-Authorization", "Cookie":
		return true
	}
	return false
}

// Header masks one value of the header name: the credential of
// Authorization and Proxy-Authorization, all of Cookie and Set-Cookie, and
// the secrets in any other header.
func (m *Masker) Header(name, value string) string {
	keepScheme, credential := credentialHeaders[http.CanonicalHeaderKey(name)]
	switch {
	case credential && keepScheme:
		return Credential(value)
	case credential:
		return Text
	}
	return m.String(value)
}

// AddCredential registers the credential of an Authorization or
// Proxy-Authorization header value as a secret, so that a Basic
// credential (base64 of user:password) or a token echoed in a response is
// masked too. Other headers are ignored.
func (m *Masker) AddCredential(name, value string) {
	if !credentialHeaders[http.CanonicalHeaderKey(name)] {
		return
	}
	if _, cred, found := strings.Cut(strings.TrimSpace(value), " "); found {
		m.Add(strings.TrimSpace(cred))
	}
}

// Credential masks an Authorization value, keeping its scheme:
// "Bearer ***".
func Credential(value string) string {
	scheme, cred, found := strings.Cut(strings.TrimLeft(value, " "), " ")
	switch {
	case !found:
		return Text
	case strings.TrimSpace(cred) == "":
		return value
	}
	return scheme + " " + Text
}
