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
	"io/fs"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/callsheet/callsheet/internal/atomicfile"
)

// ErrNotLoopback is returned by Start for a listen address that is not on
// loopback: the sandbox serves fixed, published credentials.
var ErrNotLoopback = errors.New("sandbox: listen address is not a loopback address")

// certValidity is how long a generated certificate is valid.
const certValidity = 7 * 24 * time.Hour

// certRenewal is how long before it expires a certificate kept in
// Config.StateDir is replaced by a new one at start.
const certRenewal = 24 * time.Hour

// clientTimeout bounds every request made with Server.Client.
const clientTimeout = 10 * time.Second

// Server is a running HTTPS sandbox on loopback with a self-signed
// certificate (ECDSA P-256; SANs 127.0.0.1, ::1 and localhost; valid for
// 7 days; TLS 1.2 or later), freshly generated unless Config.StateDir
// holds one.
type Server struct {
	// URL is the base URL, such as https://127.0.0.1:54321, with no
	// trailing slash.
	URL string
	// CertPEM is the PEM-encoded certificate, so clients can trust it
	// without InsecureSkipVerify.
	CertPEM []byte
	// CertFile is the certificate's file in Config.StateDir; empty
	// without a StateDir.
	CertFile string
	// Sandbox is the state behind the server, for test hooks.
	Sandbox *Sandbox

	srv       *http.Server
	pool      *x509.CertPool
	transport *http.Transport
	saver     *stateSaver // nil without a StateDir
	done      chan struct{}
}

// Start validates cfg, listens on addr and serves a new Sandbox over HTTPS.
// addr must name a loopback host (127.0.0.0/8, ::1 or localhost); use
// "127.0.0.1:0" for a free port. With Config.StateDir, the sandbox takes
// over the certificate, instance ID, codes and token pairs kept there, and
// keeps them there as they change. Call Close when done.
func Start(addr string, cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := checkLoopback(addr); err != nil {
		return nil, err
	}
	sb := New(cfg)
	cert, certPEM, err := serverCertificate(cfg.StateDir, sb)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: listen on %s: %w", addr, err)
	}
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
	if cfg.StateDir != "" {
		s.CertFile = filepath.Join(cfg.StateDir, CertFileName)
		s.saver = startSaver(sb, cfg.StateDir)
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

// serverCertificate returns the certificate to serve and its PEM. Without
// a state dir it is a new one. With one, it first restores sb from the
// dir, then takes the certificate kept there, or makes and keeps a new one
// if there is none or it expires within certRenewal, and saves sb's state.
func serverCertificate(dir string, sb *Sandbox) (tls.Certificate, []byte, error) {
	if dir == "" {
		cert, certPEM, _, err := newCertificate(time.Now())
		return cert, certPEM, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("sandbox: state dir: %w", err)
	}
	if err := loadState(sb, dir); err != nil {
		return tls.Certificate{}, nil, err
	}
	cert, certPEM, err := keptCertificate(dir, time.Now())
	if err == nil {
		err = saveState(sb, dir)
	}
	return cert, certPEM, err
}

// keptCertificate returns the certificate kept in dir, or a new one that
// it keeps there if there is none or it expires within certRenewal of now.
func keptCertificate(dir string, now time.Time) (tls.Certificate, []byte, error) {
	certPath, keyPath := filepath.Join(dir, CertFileName), filepath.Join(dir, KeyFileName)
	certPEM, err1 := os.ReadFile(certPath)
	keyPEM, err2 := os.ReadFile(keyPath)
	switch {
	case err1 == nil && err2 == nil:
		cert, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			return tls.Certificate{}, nil, fmt.Errorf("sandbox: %s and %s: %w (remove them to get a new certificate)", certPath, keyPath, err)
		}
		if now.Add(certRenewal).Before(cert.Leaf.NotAfter) {
			return cert, certPEM, nil
		}
	case errors.Is(err1, fs.ErrNotExist) || errors.Is(err2, fs.ErrNotExist):
		// make a new pair
	default:
		return tls.Certificate{}, nil, fmt.Errorf("sandbox: read the certificate: %w", errors.Join(err1, err2))
	}
	cert, certPEM, keyPEM, err := newCertificate(now)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	write := func(path string, data []byte) error {
		return atomicfile.Write(path, 0o600, func(w io.Writer) error { _, err := w.Write(data); return err })
	}
	if err := errors.Join(write(keyPath, keyPEM), write(certPath, certPEM)); err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("sandbox: keep the certificate: %w", err)
	}
	return cert, certPEM, nil
}

// newCertificate generates a self-signed ECDSA P-256 certificate for the
// loopback names, valid from an hour before now for certValidity, and
// returns it with its PEM and its key's PEM.
func newCertificate(now time.Time) (tls.Certificate, []byte, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, nil, fmt.Errorf("sandbox: generate key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return tls.Certificate{}, nil, nil, fmt.Errorf("sandbox: generate serial number: %w", err)
	}
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
		return tls.Certificate{}, nil, nil, fmt.Errorf("sandbox: create certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, nil, fmt.Errorf("sandbox: parse certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return tls.Certificate{}, nil, nil, fmt.Errorf("sandbox: encode key: %w", err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, certPEM, keyPEM, nil
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
// finish; with a Config.StateDir, it then writes the state a last time.
// A request still being answered as Close is called may change the state
// after that write, and that change is lost.
func (s *Server) Close() error {
	err := s.srv.Close()
	s.transport.CloseIdleConnections()
	<-s.done
	if err != nil {
		err = fmt.Errorf("sandbox: close server: %w", err)
	}
	if s.saver != nil {
		err = errors.Join(err, s.saver.close())
	}
	return err
}
