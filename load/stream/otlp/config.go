package otlp

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// parseEndpoint reads the collector's URL, adding /v1/metrics when it has
// no path. Its errors show endpoint without its userinfo, or not at all
// when it does not parse and has an '@': either may hold a password.
func parseEndpoint(endpoint string) (*url.URL, error) {
	const want = "want an http or https URL, such as http://127.0.0.1:4318"
	u, err := url.Parse(endpoint)
	if err != nil && strings.Contains(endpoint, "@") {
		return nil, errors.New("--otlp: " + want + "; the argument does not parse as a URL (it is not shown: it may hold a password)")
	}
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--otlp %q: %s", redactUserinfo(endpoint), want)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/v1/metrics"
	}
	return u, nil
}

// redactUserinfo is s with what stands between its scheme and its last
// '@' replaced by xxxxx: the userinfo of a URL, or what was meant as one
// in an argument that is not quite a URL (user:pw@host:4318).
func redactUserinfo(s string) string {
	at := strings.LastIndex(s, "@")
	if at < 0 {
		return s
	}
	start := 0
	if i := strings.Index(s[:at], "://"); i >= 0 {
		start = i + len("://")
	}
	return s[:start] + "xxxxx" + s[at:]
}
