package openapi_test

import (
	"context"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/callsheet/callsheet/internal/golden"
	"github.com/callsheet/callsheet/openapi"
)

var update = flag.Bool("update", false, "update .golden files")

// petstores are the same API described in each supported version.
var petstores = []string{
	"testdata/petstore/openapi-3.0.yaml",
	"testdata/petstore/openapi-3.1.json",
	"testdata/petstore/swagger-2.0.yaml",
}

// load loads a description and makes its checker, failing the test on
// error.
func load(t testing.TB, file string) (*openapi.Description, *openapi.Checker) {
	t.Helper()
	d, err := openapi.LoadFile(context.Background(), file)
	if err != nil {
		t.Fatalf("LoadFile(%s) error = %v", file, err)
	}
	c, err := openapi.NewChecker(d)
	if err != nil {
		t.Fatalf("NewChecker(%s) error = %v", file, err)
	}
	return d, c
}

// canned is a response a test server sends.
type canned struct {
	status int
	header map[string]string
	body   string
}

// received is a request as a test server received it.
type received struct {
	method string
	url    *url.URL
	header http.Header
	body   []byte
}

// server is a loopback server that answers every request with the
// response the test set, and keeps the last request it received.
type server struct {
	*httptest.Server
	mu   sync.Mutex
	next canned
	last received
}

func newServer(t *testing.T) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.last = received{method: r.Method, url: r.URL, header: r.Header.Clone(), body: body}
		c := s.next
		s.mu.Unlock()
		for k, v := range c.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(c.status)
		io.WriteString(w, c.body)
	}))
	t.Cleanup(s.Close)
	return s
}

// exchange sends a request with the response the server will answer, and
// returns the response as the client read it and the request as the
// server received it. Each request is bounded by a wide hang guard.
func (s *server) exchange(t *testing.T, method, target string, header map[string]string, body string, answer canned) (*http.Response, []byte, received) {
	t.Helper()
	s.mu.Lock()
	s.next = answer
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.URL+target, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return resp, got, s.last
}

// describe formats violations without their locations, one a line:
// kind, name, path and message.
func describe(vs []openapi.Violation) string {
	var b strings.Builder
	for _, v := range vs {
		b.WriteString(v.Kind.String())
		if v.Name != "" {
			b.WriteString(" " + v.Name)
		}
		if v.Path != "" {
			b.WriteString(" at " + v.Path)
		}
		b.WriteString(": " + v.Message + "\n")
	}
	return b.String()
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, "testdata/"+name, got, *update)
}

// memFS is a file system of the given files.
func memFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, data := range files {
		m[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return m
}
