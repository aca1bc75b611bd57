package session

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// tlsServer starts a loopback HTTPS server whose self-signed certificate
// names ips and dns, and returns its URL and its certificate in PEM.
func tlsServer(t *testing.T, ips []net.IP, dns ...string) (string, []byte) {
	t.Helper()
	srv, pemCert := newTLSServer(t, ips, dns...)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL, pemCert
}

// newTLSServer is tlsServer's server, not started.
func newTLSServer(t *testing.T, ips []net.IP, dns ...string) (*httptest.Server, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "roots test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           ips,
		DNSNames:              dns,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "ok")
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	return srv, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// countingSystem stands for the system roots: a pool of pems, counting
// the times it is read.
func countingSystem(t *testing.T, reads *atomic.Int32, pems ...[]byte) func() *x509.CertPool {
	t.Helper()
	pool := x509.NewCertPool()
	for _, p := range pems {
		if !pool.AppendCertsFromPEM(p) {
			t.Fatal("bad PEM")
		}
	}
	return func() *x509.CertPool {
		reads.Add(1)
		return pool
	}
}

// TestExtraRoots sends a request with further trusted certificates:
// those are checked first, the system roots only when they fail, and
// either way the certificate must name the host, an IP address too.
func TestExtraRoots(t *testing.T) {
	loopback := []net.IP{net.IPv4(127, 0, 0, 1)}
	good, goodPEM := tlsServer(t, loopback, "localhost")
	_, otherPEM := tlsServer(t, loopback)
	wrongIP, wrongIPPEM := tlsServer(t, []net.IP{net.IPv4(192, 0, 2, 1)})
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	t.Cleanup(plain.Close)
	byName := strings.Replace(good, "127.0.0.1", "localhost", 1)
	tests := []struct {
		name        string
		url         string
		extra       [][]byte
		system      [][]byte
		wantErr     string // "" for success
		systemReads int32
	}{
		{"further certificate vouches", good, [][]byte{goodPEM}, nil, "", 0},
		{"further certificate vouches, by name", byName, [][]byte{goodPEM}, nil, "", 0},
		{"plain HTTP", plain.URL, [][]byte{otherPEM}, nil, "", 0},
		{"system roots vouch", good, [][]byte{otherPEM}, [][]byte{goodPEM}, "", 1},
		{"nobody vouches", good, [][]byte{otherPEM}, [][]byte{otherPEM}, "certificate signed by unknown authority", 1},
		{"certificate for another IP", wrongIP, [][]byte{wrongIPPEM}, [][]byte{wrongIPPEM}, "certificate is valid for 192.0.2.1, not 127.0.0.1", 1},
		{"certificate for another name", strings.Replace(wrongIP, "127.0.0.1", "localhost", 1), [][]byte{wrongIPPEM}, nil,
			"wanted to match localhost", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var reads atomic.Int32
			client, err := newClient(TLS{PEM: tt.extra}, countingSystem(t, &reads, tt.system...))
			if err != nil {
				t.Fatal(err)
			}
			defer client.CloseIdleConnections()
			err = get(t, client, tt.url)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("GET %s: %v", tt.url, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("GET %s = %v, want an error saying %q", tt.url, err, tt.wantErr)
			}
			var cve *tls.CertificateVerificationError
			if tt.wantErr != "" && !errors.As(err, &cve) {
				t.Errorf("error %v is not a *tls.CertificateVerificationError", err)
			}
			if got := reads.Load(); got != tt.systemReads {
				t.Errorf("system roots read %d times, want %d", got, tt.systemReads)
			}
		})
	}
}

// TestExtraRootsHTTP2: the handshake made for the further certificates
// still offers HTTP/2, as net/http's own does.
func TestExtraRootsHTTP2(t *testing.T) {
	srv, certPEM := newTLSServer(t, []net.IP{net.IPv4(127, 0, 0, 1)})
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	client, err := NewClient(TLS{PEM: [][]byte{certPEM}})
	if err != nil {
		t.Fatal(err)
	}
	defer client.CloseIdleConnections()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL, nil)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.ProtoMajor != 2 {
		t.Errorf("protocol %s, want HTTP/2", resp.Proto)
	}
}

// TestExtraRootsThroughProxy tunnels HTTPS through a proxy: the
// transport for proxied requests trusts the further certificates and the
// system roots, and checks the host.
func TestExtraRootsThroughProxy(t *testing.T) {
	loopback := []net.IP{net.IPv4(127, 0, 0, 1)}
	good, goodPEM := tlsServer(t, loopback)
	wrongIP, wrongIPPEM := tlsServer(t, []net.IP{net.IPv4(192, 0, 2, 1)})
	_, otherPEM := tlsServer(t, loopback)
	var tunnels atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
			return
		}
		tunnels.Add(1)
		tunnel(t, w, r.Host)
	}))
	t.Cleanup(proxy.Close)
	proxyURL, _ := url.Parse(proxy.URL)
	tests := []struct {
		name, url string
		extra     []byte
		wantErr   string
	}{
		{"further certificate vouches", good, goodPEM, ""},
		{"system roots vouch", good, otherPEM, ""},
		{"certificate for another IP", wrongIP, wrongIPPEM, "certificate is valid for 192.0.2.1, not 127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var reads atomic.Int32
			client, err := newClient(TLS{PEM: [][]byte{tt.extra}}, countingSystem(t, &reads, goodPEM))
			if err != nil {
				t.Fatal(err)
			}
			defer client.CloseIdleConnections()
			client.Transport.(*extraRootsTransport).direct.Proxy = http.ProxyURL(proxyURL)
			before := tunnels.Load()
			err = get(t, client, tt.url)
			if (err == nil) != (tt.wantErr == "") || err != nil && !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("GET %s = %v, want error %q", tt.url, err, tt.wantErr)
			}
			if tunnels.Load() != before+1 {
				t.Errorf("the request did not go through the proxy")
			}
		})
	}
}

// tunnel answers a CONNECT request by joining the client's connection
// to addr.
func tunnel(t *testing.T, w http.ResponseWriter, addr string) {
	up, err := net.Dial("tcp", addr)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.WriteHeader(http.StatusOK)
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Error(err)
		up.Close()
		return
	}
	go func() {
		io.Copy(up, buf)
		up.Close()
	}()
	io.Copy(conn, up)
	conn.Close()
}

// get sends GET url and reads the answer.
func get(t *testing.T, client *http.Client, url string) error {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.ReadAll(resp.Body)
	return err
}
