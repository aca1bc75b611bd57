package session

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"sync"
)

// extraRootsTransport is the transport of a client that trusts further
// certificates besides the system roots (--cacert, the sandbox's). It
// reads the system roots only for a certificate the further ones do not
// vouch for, so that a run against the sandbox or a plain-HTTP server
// never pays for them.
//
// TLS with the first hop (the server, or an https proxy) is set up by
// DialTLSContext, which knows the host the certificate must name: it
// checks the chain against the further certificates, then against the
// system roots. TLS tunnelled through a proxy is set up by net/http from
// TLSClientConfig alone, which does not say the host; so requests that
// go through a proxy take a second transport, made at the first of them,
// that trusts both pools in the usual way.
type extraRootsTransport struct {
	direct *http.Transport
	pems   [][]byte // the further certificates
	roots  verifier

	mu      sync.Mutex
	proxied *http.Transport // made by viaProxy
}

// newExtraRootsTransport returns the transport for tr (whose
// TLSClientConfig has no RootCAs) trusting extra and the system roots.
// system stands for the system roots (nil: those of crypto/x509).
func newExtraRootsTransport(tr *http.Transport, extra *extraRoots, system func() *x509.CertPool) *extraRootsTransport {
	t := &extraRootsTransport{direct: tr, pems: extra.pems, roots: verifier{extra: extra.pool, system: system}}
	tr.DialTLSContext = t.dialTLS
	return t
}

// RoundTrip sends req through the proxied transport if a proxy applies
// to it, through the direct one otherwise.
func (t *extraRootsTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.direct.Proxy != nil {
		if u, err := t.direct.Proxy(req); err == nil && u != nil {
			return t.viaProxy().RoundTrip(req)
		}
	}
	return t.direct.RoundTrip(req)
}

// CloseIdleConnections closes the idle connections of both transports.
func (t *extraRootsTransport) CloseIdleConnections() {
	t.direct.CloseIdleConnections()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.proxied != nil {
		t.proxied.CloseIdleConnections()
	}
}

// viaProxy returns the transport of proxied requests, making it on first
// use: the direct one's settings, with the system roots and the further
// certificates in RootCAs.
func (t *extraRootsTransport) viaProxy() *http.Transport {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.proxied == nil {
		pool := t.roots.systemPool()
		for _, pem := range t.pems {
			pool.AppendCertsFromPEM(pem)
		}
		tr := t.direct.Clone()
		tr.DialTLSContext = nil
		tr.TLSClientConfig.RootCAs = pool
		t.proxied = tr
	}
	return t.proxied
}

// dialTLS connects to addr and completes a TLS handshake whose
// certificate check is the verifier's.
func (t *extraRootsTransport) dialTLS(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	dial := t.direct.DialContext
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	raw, err := dial(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	cfg := t.direct.TLSClientConfig.Clone()
	cfg.ServerName = host
	// VerifyConnection checks the chain and the host in place of
	// crypto/tls, which skips only its own check.
	cfg.InsecureSkipVerify = true
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		return t.roots.verify(host, cs.PeerCertificates)
	}
	conn := tls.Client(raw, cfg)
	if d := t.direct.TLSHandshakeTimeout; d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	if err := conn.HandshakeContext(ctx); err != nil {
		raw.Close()
		return nil, err
	}
	return conn, nil
}

// verifier checks a server's certificate against the further
// certificates first and the system roots second.
type verifier struct {
	extra  *x509.CertPool
	system func() *x509.CertPool // nil: the system roots of crypto/x509
}

// verify checks that certs (the server's, leaf first) chain to a trusted
// root and name host, as crypto/tls does, with either pool as the roots.
// Its error is crypto/tls's for a certificate that fails.
func (v verifier) verify(host string, certs []*x509.Certificate) error {
	if len(certs) == 0 {
		return errors.New("tls: server sent no certificate")
	}
	opts := x509.VerifyOptions{DNSName: host, Intermediates: x509.NewCertPool(), Roots: v.extra}
	for _, c := range certs[1:] {
		opts.Intermediates.AddCert(c)
	}
	_, err := certs[0].Verify(opts)
	if err != nil {
		opts.Roots = nil // crypto/x509 then reads the system's
		if v.system != nil {
			opts.Roots = v.system()
		}
		_, sysErr := certs[0].Verify(opts)
		var noRoots x509.SystemRootsError
		switch {
		case sysErr == nil:
			return nil
		case !errors.As(sysErr, &noRoots):
			err = sysErr
		}
		return &tls.CertificateVerificationError{UnverifiedCertificates: certs, Err: err}
	}
	return nil
}

// systemPool returns a new pool of the system roots (empty if they
// cannot be read).
func (v verifier) systemPool() *x509.CertPool {
	if v.system != nil {
		return v.system().Clone()
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		return x509.NewCertPool()
	}
	return pool
}
