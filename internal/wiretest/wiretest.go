// Package wiretest is a loopback HTTP/1.1 server for tests that records
// each request's bytes exactly as they arrived, so that a test can compare
// what two clients (callsheet and curl, a run and its replay) sent.
//
// Each request is recorded, then answered by a handler (an
// http.HandlerFunc, the sandbox's handler, …) as an ordinary server
// would, so clients can run whole flows against it.
package wiretest

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server records the requests it receives.
type Server struct {
	// URL is the server's base URL: http://127.0.0.1:PORT, or https:// for
	// a TLS server.
	URL string
	// CertPEM is the certificate of a TLS server, to trust.
	CertPEM []byte
	handler http.Handler
	mu      sync.Mutex
	reqs    [][]byte
	conns   map[net.Conn]bool
}

// NewServer starts a plain HTTP server that answers with handler (200 and
// {} when nil) and stops when the test ends.
func NewServer(t testing.TB, handler http.Handler) *Server {
	t.Helper()
	return start(t, handler, nil)
}

// NewTLSServer starts an HTTPS server with a fresh self-signed certificate
// for 127.0.0.1 and localhost.
func NewTLSServer(t testing.TB, handler http.Handler) *Server {
	t.Helper()
	cert, certPEM := selfSigned(t)
	s := start(t, handler, &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"http/1.1"}})
	s.CertPEM = certPEM
	return s
}

func start(t testing.TB, handler http.Handler, cfg *tls.Config) *Server {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if handler == nil {
		handler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "{}") })
	}
	s := &Server{URL: "http://" + ln.Addr().String(), handler: handler, conns: map[net.Conn]bool{}}
	if cfg != nil {
		s.URL = "https://" + ln.Addr().String()
	}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		s.mu.Lock()
		for c := range s.conns {
			c.Close() // kept alive by a client
		}
		s.mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			if cfg != nil {
				conn = tls.Server(conn, cfg)
			}
			s.mu.Lock()
			s.conns[conn] = true
			s.mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() {
					s.mu.Lock()
					delete(s.conns, conn)
					s.mu.Unlock()
					conn.Close()
				}()
				conn.SetDeadline(time.Now().Add(time.Minute)) // a hang guard
				s.serve(conn)
			}()
		}
	}()
	return s
}

// Client returns a client that trusts the server's certificate.
func (s *Server) Client() *http.Client {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(s.CertPEM)
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

// serve reads requests from conn until it closes, recording and answering
// each.
func (s *Server) serve(conn net.Conn) {
	br := bufio.NewReader(conn)
	for {
		raw, err := readRequest(br)
		if err != nil {
			return
		}
		s.mu.Lock()
		s.reqs = append(s.reqs, raw)
		s.mu.Unlock()
		if err := s.answer(conn, raw); err != nil {
			return
		}
	}
}

// answer runs the handler on the request raw and writes its response.
func (s *Server) answer(conn net.Conn, raw []byte) error {
	req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		return err
	}
	req.RemoteAddr = conn.RemoteAddr().String()
	if _, ok := conn.(*tls.Conn); ok {
		req.TLS = &tls.ConnectionState{}
	}
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	resp := rec.Result()
	resp.ContentLength = int64(rec.Body.Len())
	resp.TransferEncoding = nil
	return resp.Write(conn)
}

// readRequest reads one request's bytes: the head up to the blank line and
// the body its Content-Length or chunked encoding says.
func readRequest(br *bufio.Reader) ([]byte, error) {
	var raw bytes.Buffer
	length, chunked := 0, false
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return nil, err
		}
		raw.WriteString(line)
		if line == "\r\n" || line == "\n" {
			break
		}
		name, value, _ := strings.Cut(strings.TrimRight(line, "\r\n"), ":")
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "content-length":
			length, _ = strconv.Atoi(strings.TrimSpace(value))
		case "transfer-encoding":
			chunked = strings.Contains(strings.ToLower(value), "chunked")
		}
	}
	if chunked {
		body, err := io.ReadAll(httputil.NewChunkedReader(br))
		if err != nil {
			return nil, err
		}
		if _, err := br.ReadString('\n'); err != nil { // the last chunk's CRLF
			return nil, err
		}
		// Recorded as if sent with a length, which is what it means.
		head := strings.Replace(raw.String(), "Transfer-Encoding: chunked\r\n", fmt.Sprintf("Content-Length: %d\r\n", len(body)), 1)
		return append([]byte(head), body...), nil
	}
	if _, err := io.CopyN(&raw, br, int64(length)); err != nil {
		return nil, err
	}
	return raw.Bytes(), nil
}

// Take returns the requests recorded since the last Take, in the order
// they arrived.
func (s *Server) Take() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.reqs))
	for i, raw := range s.reqs {
		out[i] = Parse(raw)
	}
	s.reqs = nil
	return out
}

// Request is one recorded request.
type Request struct {
	// Raw holds the bytes as they arrived.
	Raw []byte
	// Line is the request line, such as "POST /token HTTP/1.1".
	Line string
	// Fields are the header fields in the order they arrived.
	Fields [][2]string
	// Body is the body.
	Body []byte
}

// Parse splits raw request bytes into their parts.
func Parse(raw []byte) Request {
	r := Request{Raw: raw}
	head, body, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	r.Body = body
	lines := strings.Split(string(head), "\r\n")
	r.Line = lines[0]
	for _, l := range lines[1:] {
		name, value, _ := strings.Cut(l, ":")
		r.Fields = append(r.Fields, [2]string{name, strings.TrimSpace(value)})
	}
	return r
}

// clientFields are the fields a client adds of its own accord, left out of
// comparisons: curl and callsheet name themselves differently, and Go asks
// for gzip.
var clientFields = map[string]bool{"user-agent": true, "accept": true, "accept-encoding": true}

// boundaryRE finds a multipart boundary, which each client chooses.
var boundaryRE = regexp.MustCompile(`boundary=("?)([^";\r\n]+)`)

// Compared is the request as two clients sending the same thing send it
// alike: the request line, then per field name (in lower case, sorted) its
// values in the order sent (the order of different names means nothing in
// HTTP), then a blank line and the body, with the multipart boundary
// replaced by BOUNDARY and the fields each client adds of its own left
// out (User-Agent, Accept, Accept-Encoding).
func (r Request) Compared() string {
	boundary := ""
	var names []string
	values := map[string][]string{}
	for _, f := range r.Fields {
		name := strings.ToLower(f[0])
		if clientFields[name] {
			continue
		}
		if m := boundaryRE.FindStringSubmatch(f[1]); m != nil && name == "content-type" {
			boundary = m[2]
		}
		if _, ok := values[name]; !ok {
			names = append(names, name)
		}
		values[name] = append(values[name], f[1])
	}
	slices.Sort(names)
	var b strings.Builder
	body := string(r.Body)
	if boundary != "" {
		body = strings.ReplaceAll(body, boundary, "BOUNDARY")
		values["content-length"] = []string{strconv.Itoa(len(body))}
	}
	b.WriteString(r.Line + "\n")
	for _, n := range names {
		for _, v := range values[n] {
			if boundary != "" {
				v = strings.ReplaceAll(v, boundary, "BOUNDARY")
			}
			b.WriteString(n + ": " + v + "\n")
		}
	}
	return b.String() + "\n" + body
}

// selfSigned makes a certificate for 127.0.0.1, ::1 and localhost.
func selfSigned(t testing.TB) (tls.Certificate, []byte) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "wiretest"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tls.X509KeyPair(certPEM, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
	if err != nil {
		t.Fatal(err)
	}
	return cert, certPEM
}
