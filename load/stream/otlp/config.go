package otlp

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/callsheet/callsheet/mask"
)

// parseEndpoint reads the collector's URL, adding /v1/metrics when it has
// no path. Its errors show endpoint without its userinfo and query, or
// not at all when it does not parse and has an '@': either may hold a
// password.
func parseEndpoint(endpoint string) (*url.URL, error) {
	const want = "want an http or https URL, such as http://127.0.0.1:4318"
	u, err := url.Parse(endpoint)
	if err != nil && strings.Contains(endpoint, "@") {
		return nil, errors.New("--otlp: " + want + "; the argument does not parse as a URL (it is not shown: it may hold a password)")
	}
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--otlp %q: %s", redactURL(endpoint), want)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/v1/metrics"
	}
	return u, nil
}

// redactURL is s with its query, and what stands between its scheme and
// its last '@', replaced by xxxxx: a query may hold an API key, and the
// other is the userinfo of a URL, or what was meant as one in an argument
// that is not quite a URL (user:pw@host:4318).
func redactURL(s string) string {
	if q := strings.Index(s, "?"); q >= 0 {
		s = s[:q] + "?xxxxx"
	}
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

// moveUserinfo takes the userinfo out of u and puts it in header as the
// Basic authorization net/http would send for it (an Authorization of
// the environment winning, as one set on a request wins in net/http), so
// that no error naming u shows it.
func moveUserinfo(u *url.URL, header http.Header) {
	if u.User == nil {
		return
	}
	if header.Get("Authorization") == "" {
		pw, _ := u.User.Password()
		header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(u.User.Username()+":"+pw)))
	}
	u.User = nil
}

// secretMasker masks, with the project's masker (each secret in its
// escaped and base64 forms too), the secrets a push sends: the header
// values and the credential of an Authorization header, the user name and
// password of the URL, its query (an API key may travel there) and that
// query's values of four bytes or more.
func secretMasker(user *url.Userinfo, query string, header http.Header) *mask.Masker {
	m := mask.New()
	if user != nil {
		pw, _ := user.Password()
		m.Add(user.Username())
		m.Add(pw)
	}
	m.Add(query)
	if values, err := url.ParseQuery(query); err == nil {
		for _, vs := range values {
			for _, v := range vs {
				if len(v) >= 4 {
					m.Add(v)
				}
			}
		}
	}
	for name, values := range header {
		for _, v := range values {
			m.Add(v)
			m.AddCredential(name, v)
		}
	}
	return m
}

// The environment variables the exporter reads, as the OpenTelemetry SDKs
// do. An empty variable counts as unset.
const (
	// envHeaders are headers of every push: k=v,k2=v2, the values
	// percent-encoded.
	envHeaders = "OTEL_EXPORTER_OTLP_HEADERS"
	// envMetricsHeaders are headers of every push, winning over those of
	// envHeaders with the same key.
	envMetricsHeaders = "OTEL_EXPORTER_OTLP_METRICS_HEADERS"
	// envServiceName is the resource's service.name.
	envServiceName = "OTEL_SERVICE_NAME"
	// envResourceAttributes are attributes of the resource: k=v,k2=v2,
	// the values percent-encoded; envServiceName wins over a service.name
	// among them.
	envResourceAttributes = "OTEL_RESOURCE_ATTRIBUTES"
)

// headersOf reads the headers of the pushes from the environment. Its
// errors never hold a header's value, which may be a secret.
func headersOf(lookupEnv func(string) (string, bool)) (http.Header, error) {
	h := http.Header{}
	for _, name := range []string{envHeaders, envMetricsHeaders} {
		pairs, err := pairsOf(lookupEnv, name)
		if err != nil {
			return nil, err
		}
		for i, p := range pairs {
			if !validHeaderName(p.key) {
				return nil, fmt.Errorf("%s: entry %d: the key is not a valid header name", name, i+1)
			}
			if !validHeaderValue(p.value) {
				return nil, fmt.Errorf("%s: entry %d (%s): the value holds a control character", name, i+1, p.key)
			}
			h.Set(p.key, p.value)
		}
	}
	return h, nil
}

// resourceOf is the default resource with the attributes of the
// environment.
func resourceOf(lookupEnv func(string) (string, bool)) ([]attribute, error) {
	res := defaultResource()
	pairs, err := pairsOf(lookupEnv, envResourceAttributes)
	if err != nil {
		return nil, err
	}
	for _, p := range pairs {
		res = setAttribute(res, p)
	}
	if name, _ := lookupEnv(envServiceName); name != "" {
		res = setAttribute(res, attribute{"service.name", name})
	}
	return res, nil
}

// setAttribute sets a in attrs, replacing the attribute with its key.
func setAttribute(attrs []attribute, a attribute) []attribute {
	for i := range attrs {
		if attrs[i].key == a.key {
			attrs[i] = a
			return attrs
		}
	}
	return append(attrs, a)
}

// pairsOf reads the variable name as k=v,k2=v2, with spaces around keys
// and values trimmed and the values percent-decoded; empty entries are
// skipped. Its errors name the entry by position, never by its text.
func pairsOf(lookupEnv func(string) (string, bool), name string) ([]attribute, error) {
	v, _ := lookupEnv(name)
	var pairs []attribute
	for i, entry := range strings.Split(v, ",") {
		if strings.TrimSpace(entry) == "" {
			continue
		}
		key, value, ok := strings.Cut(entry, "=")
		key = strings.TrimSpace(key)
		if !ok || key == "" {
			return nil, fmt.Errorf("%s: entry %d is not key=value", name, i+1)
		}
		decoded, err := url.PathUnescape(strings.TrimSpace(value))
		if err != nil {
			return nil, fmt.Errorf("%s: entry %d: the value is not percent-encoded correctly", name, i+1)
		}
		pairs = append(pairs, attribute{key, decoded})
	}
	return pairs, nil
}

// validHeaderName reports whether s is an HTTP field name: a token of
// RFC 9110.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if !alnum && !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) {
			return false
		}
	}
	return true
}

// validHeaderValue reports whether s may be an HTTP field value: no
// control characters but tabs.
func validHeaderValue(s string) bool {
	for _, c := range []byte(s) {
		if c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
