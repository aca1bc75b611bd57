package session

import (
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// TestNewClient connects to a loopback HTTPS server with a certificate of
// its own: trusted through PEM or CAFile, or with Insecure, and refused
// otherwise.
func TestNewClient(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(srv.Close)
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		tls    TLS
		wantOK bool
	}{
		{"system roots only", TLS{}, false},
		{"the server's certificate", TLS{PEM: [][]byte{certPEM}}, true},
		{"a CA file", TLS{CAFile: caFile}, true},
		{"insecure", TLS{Insecure: true}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, err := NewClient(tt.tls)
			if err != nil {
				t.Fatal(err)
			}
			defer client.CloseIdleConnections()
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL, nil)
			resp, err := client.Do(req)
			if err == nil {
				resp.Body.Close()
			}
			if (err == nil) != tt.wantOK {
				t.Errorf("GET = %v, want ok %v", err, tt.wantOK)
			}
		})
	}
	var ie *InputError
	if _, err := NewClient(TLS{CAFile: filepath.Join(t.TempDir(), "missing.pem")}); !errors.As(err, &ie) {
		t.Errorf("NewClient(missing CA file) error = %v, want an *InputError", err)
	}
	if _, err := NewClient(TLS{CAFile: filepath.Join(t.TempDir())}); err == nil {
		t.Errorf("NewClient(folder as CA file) = nil error")
	}
}

func TestNewClientKeepsIdleConnectionsPerHost(t *testing.T) {
	for _, tt := range []struct{ idle, want int }{{0, 0}, {50, 50}} {
		c, err := NewClient(TLS{IdlePerHost: tt.idle})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Transport.(*http.Transport).MaxIdleConnsPerHost; got != tt.want {
			t.Errorf("IdlePerHost %d: MaxIdleConnsPerHost = %d, want %d", tt.idle, got, tt.want)
		}
	}
}

// TestNewClientProtocol checks the protocol a client speaks to a server
// that offers HTTP/2: HTTP/2 by default, HTTP/1.1 with HTTP1, whichever
// way it trusts the server (each way dials differently).
func TestNewClientProtocol(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(r.Proto))
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	trusts := map[string]TLS{"certificate": {PEM: [][]byte{certPEM}}, "insecure": {Insecure: true, Unchecked: &UncheckedHosts{}}}
	for name, tls := range trusts {
		for _, http1 := range []bool{false, true} {
			tls.HTTP1 = http1
			client, err := NewClient(tls)
			if err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL, nil)
			resp, err := client.Do(req)
			if err != nil {
				t.Fatalf("%s, HTTP1 %v: %v", name, http1, err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			client.CloseIdleConnections()
			want := "HTTP/2.0"
			if http1 {
				want = "HTTP/1.1"
			}
			if resp.Proto != want || string(body) != want {
				t.Errorf("%s, HTTP1 %v: the client spoke %s, the server heard %s; want %s", name, http1, resp.Proto, body, want)
			}
		}
	}
}
