package session

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/callsheet/callsheet/auth"
)

// rawServer keeps the bytes of every request to /list and answers with
// the body list holds.
type rawServer struct {
	*httptest.Server
	list atomic.Value // string
	mu   sync.Mutex
	raw  []string
}

func newRawServer(t *testing.T) *rawServer {
	t.Helper()
	s := &rawServer{}
	s.list.Store(`{"items": [1]}`)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if !strings.HasPrefix(r.URL.Path, "/list") {
			fmt.Fprint(w, `{"token": "tok-secret", "path": "/u"}`)
			return
		}
		dump, _ := httputil.DumpRequest(r, true)
		s.mu.Lock()
		s.raw = append(s.raw, string(dump))
		s.mu.Unlock()
		fmt.Fprint(w, s.list.Load())
	}))
	t.Cleanup(s.Close)
	return s
}

// TestReplay records a run, changes the server's answer, and sends the
// recording again: the request goes out byte for byte as it was, the
// secret token from the saved state, and the change is shown.
func TestReplay(t *testing.T) {
	srv := newRawServer(t)
	dir := writeFiles(t, map[string]string{"loop.yaml": loginCollection})
	rec := &Recorder{}
	run(t, newSession(t, Options{Paths: []string{dir}, Vars: baseVars(srv.URL), State: StateOptions{On: true, Secrets: true}}), srv.Client(), rec)

	srv.list.Store(`{"items": [1, 2]}`)
	recording, err := OpenRecording(rec.Dirs()[0], "")
	if err != nil {
		t.Fatal(err)
	}
	var got []*Replayed
	opts := ReplayOptions{Steps: []string{"list"}, Timeout: hangGuard, Tokens: func() (auth.Cache, error) { return auth.NewMemoryCache(), nil }}
	replayDir, err := recording.Replay(t.Context(), srv.Client(), opts, func(rp *Replayed) { got = append(got, rp) })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Err != nil || got[0].Diff == nil || got[0].Diff.Empty() {
		t.Fatalf("replayed %+v, want one exchange with a change", got)
	}
	if b := got[0].Diff.Body; len(b) != 1 || !strings.Contains(b[0].String(), "items.1") {
		t.Errorf("body changes = %v, want items.1 added", b)
	}
	if len(srv.raw) != 2 || srv.raw[0] != srv.raw[1] || !strings.Contains(srv.raw[1], "Bearer tok-secret") {
		t.Errorf("requests to /list:\n%q\nwant the same bytes twice, with the token", srv.raw)
	}
	runs, err := ListRuns(RunsIn(dir), 1)
	if err != nil || runs[0].Kind != "replay" || runs[0].Replayed != recording.Index.ID || !strings.HasSuffix(replayDir, runs[0].ID) {
		t.Errorf("newest run = %+v, %v; want the replay of %s", runs[0], err, recording.Index.ID)
	}

	opts.Steps = []string{"nope"}
	_, err = recording.Replay(t.Context(), srv.Client(), opts, func(*Replayed) {})
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), `has no exchange of step "nope"`) {
		t.Errorf("Replay(nope) error = %v, want an *InputError", err)
	}
}

// oldRecording is a run recorded before messages were: an index whose
// entries have no action, and an exchange file with a request only.
var oldRecording = map[string]string{
	"index.json": `{"id": "20260101T000000.000Z", "time": "2026-01-01T00:00:00Z", "kind": "run", "collection": "old",
  "file": "old.yaml", "passed": true,
  "exchanges": [{"step": "list", "outcome": "passed", "status": 200, "file": "01-list.json"}]}`,
	"01-list.json": `{"step": "list", "request": {"method": "GET", "url": "BASE/list",
  "header": [{"name": "Accept", "value": "application/json"}, {"name": "User-Agent", "value": "callsheet"}]},
  "response": {"status": 200, "header": [{"name": "Content-Type", "value": "application/json"}],
  "body": "eyJpdGVtcyI6IFsxXX0="}}`,
}

// TestReplayOldRecording replays a recording in the format written before
// messages were recorded: its request is read and sent as it was.
func TestReplayOldRecording(t *testing.T) {
	srv := newRawServer(t)
	files := map[string]string{}
	for name, text := range oldRecording {
		files[filepath.Join(StateDir, RunsDir, "20260101T000000.000Z", name)] = strings.ReplaceAll(text, "BASE", srv.URL)
	}
	dir := writeFiles(t, files)
	recording, err := OpenRecording(filepath.Join(dir, StateDir, RunsDir, "20260101T000000.000Z"), "")
	if err != nil {
		t.Fatal(err)
	}
	if ex := recording.Exchanges; len(ex) != 1 || ex[0].Message != nil || ex[0].Request.Method != "GET" {
		t.Fatalf("read %+v, want the one request", ex)
	}
	var got []*Replayed
	opts := ReplayOptions{Timeout: hangGuard, Tokens: func() (auth.Cache, error) { return auth.NewMemoryCache(), nil }}
	if _, err := recording.Replay(t.Context(), srv.Client(), opts, func(rp *Replayed) { got = append(got, rp) }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Err != nil || got[0].Diff == nil || len(got[0].Diff.Body) != 0 || got[0].Response.Status != 200 {
		t.Fatalf("replayed %+v, want one exchange, its body unchanged", got)
	}
	if len(srv.raw) != 1 || !strings.HasPrefix(srv.raw[0], "GET /list HTTP/1.1\r\n") || !strings.Contains(srv.raw[0], "Accept: application/json") {
		t.Errorf("requests to /list: %q, want the recorded one", srv.raw)
	}
}
