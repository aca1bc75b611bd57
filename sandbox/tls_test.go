package sandbox

import (
	"crypto/ecdsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestStartRefusesNonLoopback(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "[::]:0", "example.com:0"} {
		srv, err := Start(addr, Config{})
		if err == nil {
			srv.Close()
		}
		if !errors.Is(err, ErrNotLoopback) || !strings.Contains(err.Error(), "127.0.0.1:0") {
			t.Errorf("Start(%q) error = %v, want ErrNotLoopback with advice", addr, err)
		}
	}
	if _, err := Start("127.0.0.1", Config{}); err == nil {
		t.Errorf("Start(%q) error = nil, want a missing-port error", "127.0.0.1")
	}
}

func TestStartRejectsBadConfig(t *testing.T) {
	t.Parallel()
	tests := []Config{
		{TokenErrorStatus: "strict"},
		{CompanyHeader: "optional"},
		{MissingCompanyHeaderStatus: 200},
		{RateLimit: -1},
		{RateLimitWindow: -time.Second},
		{CodeTTL: -time.Second},
		{RedirectURIs: []string{"/relative"}},
		{Seed: "x", Rand: strings.NewReader("")},
	}
	for _, cfg := range tests {
		if srv, err := Start("127.0.0.1:0", cfg); err == nil {
			srv.Close()
			t.Errorf("Start(%+v) error = nil, want a config error", cfg)
		}
	}
}

func TestServerTLS(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, Config{})
	if !strings.HasPrefix(srv.URL, "https://127.0.0.1:") || strings.HasSuffix(srv.URL, "/") {
		t.Errorf("URL = %q", srv.URL)
	}
	block, _ := pem.Decode(srv.CertPEM)
	if block == nil {
		t.Fatalf("CertPEM is not PEM: %q", srv.CertPEM)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatalf("ParseCertificate() error = %v", err)
	}
	if _, ok := cert.PublicKey.(*ecdsa.PublicKey); !ok {
		t.Errorf("public key is %T, want ECDSA", cert.PublicKey)
	}
	for _, host := range []string{"127.0.0.1", "::1", "localhost"} {
		if err := cert.VerifyHostname(host); err != nil {
			t.Errorf("VerifyHostname(%q) error = %v", host, err)
		}
	}
	tests := []struct {
		name    string
		cfg     *tls.Config
		wantErr bool
	}{
		{"trusts CertPool", &tls.Config{RootCAs: srv.CertPool()}, false},
		{"system roots refuse it", &tls.Config{}, true},
		{"TLS 1.1 refused", &tls.Config{RootCAs: srv.CertPool(), MaxVersion: tls.VersionTLS11}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: tt.cfg}}
			defer c.CloseIdleConnections()
			resp, err := c.Get(srv.URL + "/nope")
			if err == nil {
				resp.Body.Close()
			}
			if (err != nil) != tt.wantErr {
				t.Errorf("GET error = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

func TestStartLocalhost(t *testing.T) {
	t.Parallel()
	srv, err := Start("localhost:0", Config{})
	if err != nil {
		t.Skipf("localhost is not resolvable here: %v", err)
	}
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/rest/v1.0/me")
	if err != nil {
		t.Fatalf("GET /me error = %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status = %d, want 401", resp.StatusCode)
	}
}
