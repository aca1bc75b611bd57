package cmd

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/callsheet/callsheet/internal/safetext"
)

// clientConfig is what the command line says about TLS.
type clientConfig struct {
	// caFile is a PEM file of extra trusted certificates (--cacert).
	caFile string
	// extraPEM are more trusted certificates (the sandbox's).
	extraPEM [][]byte
	// insecure skips certificate verification (--insecure); the client
	// then records the hosts whose certificates it did not check in
	// unchecked, which must be set.
	insecure  bool
	unchecked *uncheckedHosts
}

// newClient returns the one HTTP client of an invocation: a clone of
// http.DefaultTransport (so proxies from the environment still apply) that
// trusts the system roots plus cfg's certificates. It has no client-level
// timeout: the runner gives every request its own deadline.
func newClient(cfg clientConfig) (*http.Client, error) {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if cfg.caFile != "" {
		pem, err := os.ReadFile(cfg.caFile)
		if err != nil {
			return nil, &usageError{err: fmt.Errorf("--cacert: %w", err), command: "run"}
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, &usageError{err: fmt.Errorf("--cacert %s: no PEM certificate found", cfg.caFile), command: "run"}
		}
	}
	for _, pem := range cfg.extraPEM {
		if !pool.AppendCertsFromPEM(pem) {
			return nil, errors.New("sandbox certificate is not valid PEM")
		}
	}
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return nil, errors.New("http.DefaultTransport is not an *http.Transport")
	}
	tr := base.Clone()
	tr.TLSClientConfig = &tls.Config{
		RootCAs:            pool,
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: cfg.insecure, //nolint:gosec // only with --insecure, which the user asked for
	}
	if cfg.insecure {
		return &http.Client{Transport: &recordingTransport{Transport: tr, hosts: cfg.unchecked}}, nil
	}
	return &http.Client{Transport: tr}, nil
}

// uncheckedHosts are the hosts an --insecure client completed a TLS
// handshake with, so without checking their certificates, in the order
// first met. It is safe for concurrent use.
type uncheckedHosts struct {
	mu    sync.Mutex
	hosts []string
}

func (u *uncheckedHosts) add(host string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if !slices.Contains(u.hosts, host) {
		u.hosts = append(u.hosts, host)
	}
}

// warn writes one line on w naming the hosts whose certificates were not
// checked, when there are any.
func (u *uncheckedHosts) warn(w io.Writer) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if len(u.hosts) > 0 {
		fmt.Fprintf(w, "warning: --insecure: the TLS certificates of %s were not checked\n", safetext.Line(strings.Join(u.hosts, ", ")))
	}
}

// recordingTransport is the transport of an --insecure client: it adds
// the host of each request whose TLS handshake completes to hosts.
type recordingTransport struct {
	*http.Transport
	hosts *uncheckedHosts
}

// RoundTrip sends req through the transport with a trace that records
// its host when a handshake completes, through a proxy's tunnel too.
func (t *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	host := req.URL.Hostname()
	trace := &httptrace.ClientTrace{TLSHandshakeDone: func(_ tls.ConnectionState, err error) {
		if err == nil {
			t.hosts.add(host)
		}
	}}
	return t.Transport.RoundTrip(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
}
