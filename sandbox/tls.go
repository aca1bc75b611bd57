package sandbox

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"time"
)

// ErrNotLoopback is returned by Start for a listen address that is not on
// loopback: the sandbox serves fixed, published credentials.
var ErrNotLoopback = errors.New("sandbox: listen address is not a loopback address")

// certValidity is how long a generated certificate is valid.
const certValidity = 7 * 24 * time.Hour

// clientTimeout bounds every request made with Server.Client.
const clientTimeout = 10 * time.Second

// Server is a running HTTPS sandbox on loopback with a freshly generated
// self-signed certificate (ECDSA P-256; SANs 127.0.0.1, ::1 and localhost;
// TLS 1.2 or later).
type Server struct {
	// URL is the base URL, such as https://127.0.0.1:54321, with no
	// trailing slash.
	URL string
	// CertPEM is the PEM-encoded certificate, so clients can trust it
	// without InsecureSkipVerify.
	CertPEM []byte
	// Sandbox is the state behind the server, for test hooks.
	Sandbox *Sandbox

	srv       *http.Server
	pool      *x509.CertPool
	transport *http.Transport
	done      chan struct{}
}

// Start validates cfg, listens on addr and serves a new Sandbox over HTTPS.
// addr must name a loopback host (127.0.0.0/8, ::1 or localhost); use
// "127.0.0.1:0" for a free port. Call Close when done.
func Start(addr string, cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := checkLoopback(addr); err != nil {
		return nil, err
	}
	cert, certPEM, err := newCertificate()
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: listen on %s: %w", addr, err)
	}
	sb := New(cfg)
	s := &Server{
		URL:     "https://" + ln.Addr().String(),
		CertPEM: certPEM,
		Sandbox: sb,
		srv: &http.Server{
			Handler:           sb.Handler(),
			TLSConfig:         &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}},
			ReadHeaderTimeout: 10 * time.Second,
			IdleTimeout:       time.Minute,
			ErrorLog:          log.New(io.Discard, "", 0), // e.g. handshakes from clients that distrust the cert
		},
		pool: pool,
		transport: &http.Transport{
			TLSClientConfig:   &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: pool},
			ForceAttemptHTTP2: true,
		},
		done: make(chan struct{}),
	}
	go func() {
		defer close(s.done)
		_ = s.srv.ServeTLS(ln, "", "") // returns http.ErrServerClosed after Close
	}()
	return s, nil
}

// checkLoopback returns ErrNotLoopback (wrapped) unless addr's host is
// loopback.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("sandbox: listen address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%w: %q (use 127.0.0.1:0 for a free port)", ErrNotLoopback, addr)
	}
	return nil
}

// newCertificate generates a self-signed ECDSA P-256 certificate for the
// loopback names.
func newCertificate() (tls.Certificate, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("sandbox: generate key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("sandbox: generate serial number: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{"callsheet Procore sandbox"}, CommonName: "localhost"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(certValidity),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true, // self-signed: it is its own root
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("sandbox: create certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("sandbox: parse certificate: %w", err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, certPEM, nil
}

// CertPool returns a new pool holding only the server's certificate.
func (s *Server) CertPool() *x509.CertPool {
	return s.pool.Clone()
}

// Client returns a new client that trusts the server's certificate and
// gives up after 10 seconds. It follows redirects like any Go client (up to
// 10); set CheckRedirect to return http.ErrUseLastResponse to see the 302
// from /oauth/authorize instead. Clients share one transport, closed by
// Server.Close.
func (s *Server) Client() *http.Client {
	return &http.Client{Transport: s.transport, Timeout: clientTimeout}
}

// Close stops the server, closing all connections, and waits for it to
// finish.
func (s *Server) Close() error {
	err := s.srv.Close()
	s.transport.CloseIdleConnections()
	<-s.done
	if err != nil {
		return fmt.Errorf("sandbox: close server: %w", err)
	}
	return nil
}
