package session

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
)

// TLS says which servers a session's HTTP client trusts.
type TLS struct {
	// CAFile is a PEM file of further trusted certificates (--cacert).
	CAFile string
	// PEM are further trusted certificates, such as the sandbox's.
	PEM [][]byte
	// Insecure skips certificate verification (--insecure).
	Insecure bool
}

// NewClient returns the one HTTP client of a session: a clone of
// http.DefaultTransport (so proxies from the environment still apply)
// that trusts the system roots and the certificates of t. It has no
// client-level timeout: the runner gives every request its own deadline.
// A CAFile that cannot be read is an *InputError.
func NewClient(t TLS) (*http.Client, error) {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, &InputError{Err: fmt.Errorf("--cacert: %w", err)}
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, &InputError{Err: fmt.Errorf("--cacert %s: no PEM certificate found", t.CAFile)}
		}
	}
	for _, pem := range t.PEM {
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
		InsecureSkipVerify: t.Insecure, //nolint:gosec // only with --insecure, which the user asked for
	}
	return &http.Client{Transport: tr}, nil
}
