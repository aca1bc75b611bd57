package sandbox

import (
	"bytes"
	"os"
	"testing"
)

func TestTrustFile(t *testing.T) {
	srv, err := Start("127.0.0.1:0", Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	path, remove, err := srv.TrustFile()
	if err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(path); err != nil || !bytes.Equal(data, srv.CertPEM) {
		t.Errorf("the trust file holds %q, %v; want the certificate", data, err)
	}
	remove()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("remove left %s: %v", path, err)
	}

	kept := &Server{CertFile: "/state/cert.pem"}
	if path, remove, err := kept.TrustFile(); err != nil || path != "/state/cert.pem" {
		t.Errorf("with a kept certificate TrustFile() = %q, %v", path, err)
	} else {
		remove()
	}
}
