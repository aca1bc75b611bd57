package cmd

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
)

// clientConfig is what the command line says about TLS.
type clientConfig struct {
	// caFile is a PEM file of extra trusted certificates (--cacert).
	caFile string
	// extraPEM are more trusted certificates (the sandbox's).
	extraPEM [][]byte
	// insecure skips certificate verification (--insecure).
	insecure bool
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
	return &http.Client{Transport: tr}, nil
}
