package session

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/callsheet/callsheet/arazzo"
)

// TestFetcher fetches descriptions from a loopback server: each URL once
// for the session (its error too), and refused when the answer is not 2xx
// or larger than the limit.
func TestFetcher(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/small":
			w.Write([]byte("openapi: 3.1.0"))
		case "/large":
			w.Write([]byte(strings.Repeat("x", 17)))
		default:
			http.Error(w, "gone", http.StatusGone)
		}
	}))
	defer srv.Close()
	f := newFetcher()
	f.limit = 16
	get := f.with(srv.Client())
	for _, tt := range []struct {
		path, want, err string
		hits            int32
	}{
		{"/small", "openapi: 3.1.0", "", 1},
		{"/small", "openapi: 3.1.0", "", 1}, // kept
		{"/large", "", "larger than 16 bytes", 2},
		{"/gone", "", "410 Gone", 3},
		{"/gone", "", "410 Gone", 3}, // its error kept
		{"/gone?user", "", "://user:xxxxx@127.0.0.1", 4},
	} {
		location := srv.URL + tt.path
		if path, ok := strings.CutSuffix(tt.path, "?user"); ok {
			location = strings.Replace(srv.URL, "://", "://user:pass-SECRET@", 1) + path
		}
		data, err := get(t.Context(), location)
		if err != nil && strings.Contains(err.Error(), "pass-SECRET") {
			t.Errorf("fetch %s: the error shows the password: %v", tt.path, err)
		}
		if string(data) != tt.want || tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("fetch %s = %q, %v; want %q, %q", tt.path, data, err, tt.want, tt.err)
		}
		if n := hits.Load(); n != tt.hits {
			t.Errorf("after %s: %d requests, want %d", tt.path, n, tt.hits)
		}
	}
}

// TestSourceVars checks the one rule of a variable named like a source
// description: a path is the description's file; a URL is the
// description's URL for a source at a URL, else its operations' server.
func TestSourceVars(t *testing.T) {
	doc, err := arazzo.Parse("x.arazzo.yaml", []byte(`arazzo: 1.0.1
info: {title: x, version: "1"}
sourceDescriptions:
  - {name: local, url: openapi.yaml, type: openapi}
  - {name: remote, url: "https://api.example/openapi.yaml", type: openapi}
  - {name: unset, url: other.yaml, type: openapi}
workflows:
  - workflowId: w
    steps:
      - {stepId: s, operationId: $sourceDescriptions.local.op}
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name          string
		vars          map[string]any
		urls, servers map[string]string
	}{
		{"URLs", map[string]any{"local": "https://srv/", "remote": "https://mirror/openapi.yaml", "unset": ""},
			map[string]string{"remote": "https://mirror/openapi.yaml"}, map[string]string{"local": "https://srv"}},
		{"paths", map[string]any{"local": "copy.yaml", "remote": "/tmp/remote.yaml", "unset": 3},
			map[string]string{"local": "copy.yaml", "remote": "/tmp/remote.yaml"}, map[string]string{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			urls, servers := sourceVars(doc, tt.vars)
			if !maps.Equal(urls, tt.urls) || !maps.Equal(servers, tt.servers) {
				t.Errorf("sourceVars() = %v, %v; want %v, %v", urls, servers, tt.urls, tt.servers)
			}
		})
	}
}
