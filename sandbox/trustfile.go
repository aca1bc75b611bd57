package sandbox

import (
	"errors"
	"os"
)

// TrustFile is a file of the server's certificate for clients to trust
// (curl --cacert): CertFile when the server keeps one, else a new
// temporary file, which remove deletes.
func (s *Server) TrustFile() (path string, remove func(), err error) {
	if s.CertFile != "" {
		return s.CertFile, func() {}, nil
	}
	f, err := os.CreateTemp("", "callsheet-sandbox-*.pem")
	if err != nil {
		return "", nil, err
	}
	_, werr := f.Write(s.CertPEM)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return "", nil, err
	}
	return f.Name(), func() { os.Remove(f.Name()) }, nil
}
