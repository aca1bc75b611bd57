package cmd

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

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

func TestRunStateRoundTrip(t *testing.T) {
	tests := []struct {
		name        string
		secrets     bool
		wantToken   bool
		wantUserID  bool
		wantSecrets []string
	}{
		{name: "secrets kept out", secrets: false, wantToken: false, wantUserID: true, wantSecrets: []string{"token"}},
		{name: "secrets saved when asked", secrets: true, wantToken: true, wantUserID: true, wantSecrets: []string{"token"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newLoopAPI(t)
			coll := loopSetup(t)
			args := []string{"run", coll, "--var", "base=" + api.URL, "--state"}
			if tt.secrets {
				args = append(args, "--state-secrets")
			}
			out := callsheet(t, nil, args...)
			if out.code != ExitOK {
				t.Fatalf("run --state: exit %d\nstdout:\n%s\nstderr:\n%s", out.code, out.stdout, out.stderr)
			}
			path := filepath.Join(filepath.Dir(coll), ".callsheet", "state.json")
			info, err := os.Stat(path)
			if err != nil {
				t.Fatalf("default state file: %v", err)
			}
			if mode := info.Mode().Perm(); mode != 0o600 {
				t.Errorf("state file mode = %v, want 0600", mode)
			}
			data, _ := os.ReadFile(path)
			if got := strings.Contains(string(data), loopToken); got != tt.wantToken {
				t.Errorf("state file holds the token = %v, want %v:\n%s", got, tt.wantToken, data)
			}
			sf, err := readState(path)
			if err != nil {
				t.Fatal(err)
			}
			key, _ := filepath.Abs(coll)
			st := sf.Collections[key]
			if st == nil {
				t.Fatalf("state has no entry for %s:\n%s", key, data)
			}
			if got := st.Captures["user_id"]; got != int64(7) {
				t.Errorf("saved capture user_id = %#v, want int64(7)", got)
			}
			if got := st.SecretNames(); !slices.Equal(got, tt.wantSecrets) {
				t.Errorf("saved secret names = %v, want %v", got, tt.wantSecrets)
			}

			// Loaded again: the listing step alone, with the saved captures.
			before := api.counts()
			out = callsheet(t, nil, "run", coll, "--var", "base="+api.URL, "--state", "--step", "list projects")
			after := api.counts()
			if tt.wantToken {
				if out.code != ExitOK {
					t.Fatalf("run --step with saved secrets: exit %d\n%s%s", out.code, out.stdout, out.stderr)
				}
				if after["/projects"] != before["/projects"]+1 || after["/login"] != before["/login"] {
					t.Errorf("hits after --step = %v (before %v), want one more /projects only", after, before)
				}
			} else if out.code == ExitOK {
				t.Errorf("run --step without the saved token passed, want an error naming its producer")
			}
			if strings.Contains(out.stdout+out.stderr, loopToken) {
				t.Errorf("output shows the token:\n%s%s", out.stdout, out.stderr)
			}
		})
	}
}

func TestRunStepMissingCaptureNamesProducer(t *testing.T) {
	api := newLoopAPI(t)
	coll := loopSetup(t)
	out := callsheet(t, nil, "run", coll, "--var", "base="+api.URL, "--step", "list projects")
	if out.code == ExitOK {
		t.Fatalf("run --step without state: exit 0, want an error\n%s", out.stdout)
	}
	all := out.stdout + out.stderr
	for _, want := range []string{`step "list projects" uses "token", which step "login" captures`, `"user_id"`, "--with-deps"} {
		if !strings.Contains(all, want) {
			t.Errorf("output lacks %q:\n%s", want, all)
		}
	}
	if hits := api.counts(); len(hits) != 0 {
		t.Errorf("requests sent = %v, want none", hits)
	}
}

func TestRunWithDepsRunsExactlyTheProducers(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want map[string]int
	}{
		{name: "step with deps", args: []string{"--step", "list projects", "--with-deps"}, want: map[string]int{"/login": 1, "/projects": 1}},
		{name: "independent step", args: []string{"--step", "other", "--with-deps"}, want: map[string]int{"/other": 1}},
		{name: "from with deps", args: []string{"--from", "list projects", "--with-deps"}, want: map[string]int{"/login": 1, "/projects": 1, "/other": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newLoopAPI(t)
			coll := loopSetup(t)
			out := callsheet(t, nil, append([]string{"run", coll, "--var", "base=" + api.URL}, tt.args...)...)
			if out.code != ExitOK {
				t.Fatalf("exit %d\n%s%s", out.code, out.stdout, out.stderr)
			}
			if got := api.counts(); !mapsEqual(got, tt.want) {
				t.Errorf("hits = %v, want %v", got, tt.want)
			}
		})
	}
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

func TestReplaySendsIdenticalRequestsAndShowsChanges(t *testing.T) {
	api := newLoopAPI(t)
	coll := loopSetup(t)
	dir := filepath.Dir(coll)
	out := callsheet(t, nil, "run", coll, "--var", "base="+api.URL, "--record", "--state", "--state-secrets")
	if out.code != ExitOK {
		t.Fatalf("run --record: exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	runs, err := os.ReadDir(filepath.Join(dir, ".callsheet", "runs"))
	if err != nil || len(runs) != 1 {
		t.Fatalf("recorded runs = %v, %v; want one", runs, err)
	}
	runDir := filepath.Join(dir, ".callsheet", "runs", runs[0].Name())
	files, _ := os.ReadDir(runDir)
	for _, f := range files {
		data, _ := os.ReadFile(filepath.Join(runDir, f.Name()))
		if strings.Contains(string(data), loopToken) {
			t.Errorf("recording %s holds the token:\n%s", f.Name(), data)
		}
	}

	out = callsheet(t, nil, "runs", dir)
	if !strings.Contains(out.stdout, runs[0].Name()) || !strings.Contains(out.stdout, "loop") || !strings.Contains(out.stdout, "passed") {
		t.Errorf("runs lists:\n%s", out.stdout)
	}

	api.setProjects(`{"projects":[{"id":1,"name":"Tower 2"},{"id":2,"name":"Bridge"}]}`)
	original := api.rawRequests("/projects")
	out = callsheet(t, nil, "replay", runDir, "--step", "list projects")
	if out.code != ExitOK {
		t.Fatalf("replay: exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	replayed := api.rawRequests("/projects")
	if len(original) != 1 || len(replayed) != 2 {
		t.Fatalf("/projects requests: %d before replay, %d after; want 1 and 2", len(original), len(replayed))
	}
	if string(replayed[1]) != string(original[0]) {
		t.Errorf("replayed request differs:\n--- sent by run\n%q\n--- sent by replay\n%q", original[0], replayed[1])
	}
	for _, want := range []string{"~ list projects", `body ~ projects.0.name: "Tower" -> "Tower 2"`, `body + projects.1: {"id":2,"name":"Bridge"}`} {
		if !strings.Contains(out.stdout, want) {
			t.Errorf("replay output lacks %q:\n%s", want, out.stdout)
		}
	}
	if api.counts()["/login"] != 1 {
		t.Errorf("replay --step logged in again: hits %v", api.counts())
	}
	if strings.Contains(out.stdout+out.stderr, loopToken) {
		t.Errorf("replay output shows the token:\n%s", out.stdout)
	}
}

func TestRunWatchRerunsOncePerChange(t *testing.T) {
	api := newLoopAPI(t)
	coll := loopSetup(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"callsheet", "run", "--watch", coll, "--var", "base=" + api.URL}, strings.NewReader(""), &stdout, &stderr, nil)
	}()
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s\nstdout:\n%s\nstderr:\n%s", what, stdout.String(), stderr.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	reruns := func() int { return strings.Count(stdout.String(), "changed, running again") }
	waiting := func() int { return strings.Count(stdout.String(), "watch: waiting for changes") }

	// Each change: the "other" step's expected status flips, so the rerun
	// shows what changed.
	for i, status := range []int{404, 200} {
		waitFor("the watcher", func() bool { return waiting() == i+1 })
		text := strings.Replace(loopCollection, "GET: \"{{ base }}/other\"\n    expect: { status: 200 }", "GET: \"{{ base }}/other\"\n    expect: { status: "+itoa(status)+" }", 1)
		if err := os.WriteFile(coll, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		waitFor("rerun", func() bool { return api.counts()["/other"] == i+2 })
		if got := reruns(); got != i+1 {
			t.Errorf("after change %d: %d reruns, want %d\n%s", i+1, got, i+1, stdout.String())
		}
	}
	// No late, second rerun of the last change.
	waitFor("the watcher", func() bool { return waiting() == 3 })
	if got := api.counts()["/other"]; got != 3 || reruns() != 2 {
		t.Errorf("runs of other = %d, reruns = %d; want 3 and 2", got, reruns())
	}
	if !strings.Contains(stdout.String(), "other: passed -> failed") || !strings.Contains(stdout.String(), "other: failed -> passed") {
		t.Errorf("watch output does not show the changes:\n%s", stdout.String())
	}
	// A step a rerun reused (login) was not sent: it is no change, and the
	// next rerun compares it with the last time it was sent.
	if strings.Contains(stdout.String(), "login: ") {
		t.Errorf("watch output reports the reused login as a change:\n%s", stdout.String())
	}
	// The first rerun reuses the token (no login); the second follows a
	// failed run, so it runs every step again.
	if got := api.counts()["/login"]; got != 2 {
		t.Errorf("logins = %d, want 2\n%s", got, stdout.String())
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("run --watch did not stop after cancel")
	}
	if !strings.Contains(stdout.String(), "watch: stopped") {
		t.Errorf("no clean stop message:\n%s", stdout.String())
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestInitIgnoresState(t *testing.T) {
	tests := []struct {
		name     string
		existing string // "" for no .gitignore
		want     string // the .gitignore after init, when one existed
	}{
		{name: "new gitignore"},
		{name: "existing gitignore gets the line", existing: "bin/", want: "bin/\n# callsheet: saved state (may hold tokens) and recorded runs\n.callsheet/\n"},
		{name: "existing line kept once", existing: "/.callsheet\nbin/\n", want: "/.callsheet\nbin/\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.existing != "" {
				writeFiles(t, dir, map[string]string{".gitignore": tt.existing})
			}
			if out := callsheet(t, nil, "init", dir); out.code != ExitOK {
				t.Fatalf("init: exit %d\n%s%s", out.code, out.stdout, out.stderr)
			}
			gi, err := os.ReadFile(filepath.Join(dir, ".gitignore"))
			switch {
			case err != nil:
				t.Fatal(err)
			case tt.existing == "" && !strings.Contains(string(gi), "\n.callsheet/\n"):
				t.Errorf(".gitignore = %q; want a .callsheet/ line", gi)
			case tt.existing != "" && string(gi) != tt.want:
				t.Errorf(".gitignore = %q, want %q", gi, tt.want)
			}
		})
	}
}

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

func TestReplayTakesFreshTokenFromCache(t *testing.T) {
	tests := []struct {
		name       string
		expiresIn  int
		wantTokens int // grants at the token endpoint, run and replay
		wantReplay string
	}{
		{name: "fresh cached token is reused", expiresIn: 3600, wantTokens: 1, wantReplay: "Bearer tok-1-abcdef"},
		{name: "expired token is granted again", expiresIn: 30, wantTokens: 2, wantReplay: "Bearer tok-2-abcdef"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			tokens := 0
			var seen []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				defer mu.Unlock()
				w.Header().Set("Content-Type", "application/json")
				switch r.URL.Path {
				case "/token":
					tokens++
					io.WriteString(w, `{"access_token":"tok-`+itoa(tokens)+`-abcdef","token_type":"bearer","expires_in":`+itoa(tt.expiresIn)+`}`)
				case "/api":
					seen = append(seen, r.Header.Get("Authorization"))
					io.WriteString(w, `{"ok":true}`)
				}
			}))
			t.Cleanup(srv.Close)
			dir := writeFiles(t, t.TempDir(), map[string]string{"profile.yaml": profileCollection})
			coll := filepath.Join(dir, "profile.yaml")
			env := map[string]string{"CALLSHEET_CACHE_DIR": filepath.Join(dir, "cache")}
			out := callsheet(t, env, "run", coll, "--var", "base="+srv.URL, "--record", "--state")
			if out.code != ExitOK {
				t.Fatalf("run --record: exit %d\n%s%s", out.code, out.stdout, out.stderr)
			}
			runs, _ := os.ReadDir(filepath.Join(dir, ".callsheet", "runs"))
			if len(runs) != 1 {
				t.Fatalf("recorded runs = %d, want 1", len(runs))
			}
			runDir := filepath.Join(dir, ".callsheet", "runs", runs[0].Name())
			rec, _ := os.ReadFile(filepath.Join(runDir, "01-call.json"))
			if strings.Contains(string(rec), "tok-1") || !strings.Contains(string(rec), "Bearer {{auth:api}}") {
				t.Errorf("recording does not hold the profile placeholder, or holds the token:\n%s", rec)
			}
			out = callsheet(t, env, "replay", runDir)
			if out.code != ExitOK {
				t.Fatalf("replay: exit %d\n%s%s", out.code, out.stdout, out.stderr)
			}
			mu.Lock()
			defer mu.Unlock()
			if tokens != tt.wantTokens || len(seen) != 2 || seen[1] != tt.wantReplay {
				t.Errorf("token grants = %d, API saw %q; want %d grants and the replay with %q", tokens, seen, tt.wantTokens, tt.wantReplay)
			}
			if strings.Contains(out.stdout, "tok-") {
				t.Errorf("replay output shows a token:\n%s", out.stdout)
			}
		})
	}
}
