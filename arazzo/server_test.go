package arazzo

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/callsheet/callsheet/internal/arazzotest"
)

// library is the conformance tests' server: arazzotest's library on a
// loopback port.
type library struct {
	*arazzotest.Library
	url string
}

// newLibrary starts a library server that stops with the test.
func newLibrary(t *testing.T) *library {
	t.Helper()
	lib := &library{Library: arazzotest.NewLibrary(arazzotest.Faults{})}
	ts := httptest.NewServer(lib.Library)
	t.Cleanup(ts.Close)
	lib.url = ts.URL
	return lib
}

// client is an HTTP client with a wide hang guard.
func (lib *library) client() *http.Client { return &http.Client{Timeout: 30 * time.Second} }
