package cmd

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"testing"
)

// The replay-loop tests (state_test.go, replay_test.go, watch_test.go,
// init_test.go) share the loopback API and the collection of this file.

// loopToken is the secret the loop API hands out at login.
const loopToken = "tok-SECRET-4242"

// loopCollection logs in (capturing a secret token and a user id), lists
// projects with both, and calls an unrelated endpoint.
const loopCollection = `name: loop
steps:
  - name: login
    POST: "{{ base }}/login"
    json: { user: alice }
    expect: { status: 200 }
    capture:
      token: { json: token, secret: true }
      user_id: { json: user }
  - name: list projects
    GET: "{{ base }}/projects"
    query:
      owner: "{{ user_id }}"
    headers:
      Authorization: "Bearer {{ token }}"
    expect: { status: 200 }
  - name: other
    GET: "{{ base }}/other"
    expect: { status: 200 }
`

// loopAPI is a loopback API for the replay loop that counts hits per path
// and keeps the raw bytes of every request, as read from the connection.
type loopAPI struct {
	*httptest.Server
	mu       sync.Mutex
	hits     map[string]int
	raw      map[string][][]byte
	projects string // the /projects body
}

// rawConn records the bytes read from a connection.
type rawConn struct {
	net.Conn
	mu   sync.Mutex
	read []byte
}

func (c *rawConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	c.read = append(c.read, p[:n]...)
	c.mu.Unlock()
	return n, err
}

func (c *rawConn) bytes() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.read)
}

// rawListener wraps each accepted connection in a rawConn.
type rawListener struct{ net.Listener }

func (l rawListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &rawConn{Conn: c}, nil
}

type connKey struct{}

func newLoopAPI(t *testing.T) *loopAPI {
	t.Helper()
	api := &loopAPI{hits: map[string]int{}, raw: map[string][][]byte{}, projects: `{"projects":[{"id":1,"name":"Tower"}]}`}
	api.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body)
		raw := r.Context().Value(connKey{}).(*rawConn).bytes()
		api.mu.Lock()
		api.hits[r.URL.Path]++
		api.raw[r.URL.Path] = append(api.raw[r.URL.Path], raw)
		projects := api.projects
		api.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/login":
			io.WriteString(w, `{"token":"`+loopToken+`","user":7}`)
		case "/projects":
			if r.Header.Get("Authorization") != "Bearer "+loopToken || r.URL.Query().Get("owner") != "7" {
				w.WriteHeader(http.StatusUnauthorized)
				io.WriteString(w, `{"error":"unauthorized"}`)
				return
			}
			io.WriteString(w, projects)
		default:
			io.WriteString(w, `{}`)
		}
	}))
	api.Listener = rawListener{api.Listener}
	api.Config.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		return context.WithValue(ctx, connKey{}, c)
	}
	api.Config.SetKeepAlivesEnabled(false) // one request per connection
	api.Start()
	t.Cleanup(api.Close)
	return api
}

// counts returns the hits per path.
func (a *loopAPI) counts() map[string]int {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := map[string]int{}
	for k, v := range a.hits {
		out[k] = v
	}
	return out
}

func (a *loopAPI) rawRequests(path string) [][]byte {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.raw[path])
}

func (a *loopAPI) setProjects(body string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.projects = body
}

// loopSetup writes the loop collection into a temporary folder and returns
// the collection's path.
func loopSetup(t *testing.T) string {
	t.Helper()
	dir := writeFiles(t, t.TempDir(), map[string]string{"loop.yaml": loopCollection})
	return filepath.Join(dir, "loop.yaml")
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// profileCollection calls an API with the token of a client-credentials
// auth profile.
const profileCollection = `name: profile
auth:
  api:
    grant: client_credentials
    token_url: "{{ base }}/token"
    client_id: c
    client_secret: very-secret-value
steps:
  - name: call
    GET: "{{ base }}/api"
    auth: api
    expect: { status: 200 }
`
