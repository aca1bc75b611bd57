package session

import (
	"encoding/pem"
	"errors"
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
