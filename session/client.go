package session

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"os"
	"slices"
	"sync"
)

// TLS says which servers a session's HTTP client trusts.
type TLS struct {
	// CAFile is a PEM file of further trusted certificates (--cacert).
	CAFile string
	// PEM are further trusted certificates, such as the sandbox's.
	PEM [][]byte
	// Insecure skips certificate verification (--insecure); the client
	// then notes in Unchecked, which must be set, the hosts whose
	// certificates it did not check.
	Insecure  bool
	Unchecked *UncheckedHosts
	// IdlePerHost keeps up to that many idle connections per host, for
	// many users at once (callsheet load); 0 keeps Go's default of 2.
	IdlePerHost int
	// HTTP1 keeps to HTTP/1.1 (--http1.1): the client never offers
	// HTTP/2, which it otherwise uses wherever a server accepts it.
	HTTP1 bool
}

// NewClient returns the one HTTP client of a session: a clone of
// http.DefaultTransport (so proxies from the environment still apply)
// that trusts the system roots and the certificates of t. It has no
// client-level timeout: the runner gives every request its own deadline.
// A CAFile that cannot be read is an *InputError.
//
// The system roots are read only when a certificate needs them: never
// for plain HTTP, and not for a server that t's certificates vouch for.
func NewClient(t TLS) (*http.Client, error) {
	return newClient(t, nil)
}

// newClient is NewClient with the pool that stands for the system roots
// (nil: the system's own, read by crypto/x509 on first use).
func newClient(t TLS, system func() *x509.CertPool) (*http.Client, error) {
	extra, err := readExtraRoots(t)
	if err != nil {
		return nil, err
	}
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return nil, errors.New("http.DefaultTransport is not an *http.Transport")
	}
	tr := base.Clone()
	if t.IdlePerHost > 0 {
		tr.MaxIdleConnsPerHost = t.IdlePerHost
		tr.MaxIdleConns = max(tr.MaxIdleConns, t.IdlePerHost)
	}
	if t.HTTP1 {
		tr.Protocols = new(http.Protocols)
		tr.Protocols.SetHTTP1(true)
	}
	tr.TLSClientConfig = &tls.Config{
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: t.Insecure, //nolint:gosec // only with --insecure, which the user asked for
	}
	switch {
	case t.Insecure:
		return &http.Client{Transport: &uncheckedTransport{Transport: tr, hosts: t.Unchecked}}, nil
	case extra == nil:
		// No RootCAs: crypto/x509 reads the system roots at the first
		// certificate it verifies.
		return &http.Client{Transport: tr}, nil
	}
	return &http.Client{Transport: newExtraRootsTransport(tr, extra, system)}, nil
}

// extraRoots are the certificates a client trusts besides the system
// roots: their PEM text and the pool they make.
type extraRoots struct {
	pems [][]byte
	pool *x509.CertPool
}

// readExtraRoots returns the certificates of t's CAFile and PEM, each
// checked to hold at least one, or nil if it names none.
func readExtraRoots(t TLS) (*extraRoots, error) {
	if t.CAFile == "" && len(t.PEM) == 0 {
		return nil, nil
	}
	x := &extraRoots{pool: x509.NewCertPool()}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, &InputError{Err: fmt.Errorf("--cacert: %w", err)}
		}
		if !x.pool.AppendCertsFromPEM(pem) {
			return nil, &InputError{Err: fmt.Errorf("--cacert %s: no PEM certificate found", t.CAFile)}
		}
		x.pems = append(x.pems, pem)
	}
	for _, pem := range t.PEM {
		if !x.pool.AppendCertsFromPEM(pem) {
			return nil, errors.New("sandbox certificate is not valid PEM")
		}
		x.pems = append(x.pems, pem)
	}
	return x, nil
}

// UncheckedHosts are the hosts an --insecure client completed a TLS
// handshake with, so without checking their certificates, in the order
// first met. It is safe for concurrent use.
type UncheckedHosts struct {
	mu    sync.Mutex
	hosts []string
}

func (u *UncheckedHosts) add(host string) {
	if u == nil {
		return
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if !slices.Contains(u.hosts, host) {
		u.hosts = append(u.hosts, host)
	}
}

// Hosts returns the hosts noted so far.
func (u *UncheckedHosts) Hosts() []string {
	if u == nil {
		return nil
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	return slices.Clone(u.hosts)
}

// uncheckedTransport is the transport of an --insecure client: it notes
// the host of each request whose TLS handshake completes.
type uncheckedTransport struct {
	*http.Transport
	hosts *UncheckedHosts
}

// RoundTrip sends req through the transport with a trace that notes its
// host when a handshake completes, through a proxy's tunnel too.
func (t *uncheckedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	host := req.URL.Hostname()
	trace := &httptrace.ClientTrace{TLSHandshakeDone: func(_ tls.ConnectionState, err error) {
		if err == nil {
			t.hosts.add(host)
		}
	}}
	return t.Transport.RoundTrip(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
}
