package runner

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/wiretest"
)

// TestReplaySendsRecordedBytes records a run whose requests carry every
// shape (repeated headers, a multipart body in order, JSON as written,
// Basic credentials and a bearer token computed from secrets), replays
// each recorded request with the secrets' values, and checks at a server
// that records raw bytes that the replay sent exactly what the run sent.
func TestReplaySendsRecordedBytes(t *testing.T) {
	srv := wiretest.NewServer(t, nil)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.png"), []byte("\x89PNG data"), 0o644)
	src := `name: replay
vars: {user: ann, password: "p+w/d=1", token: TOKEN}
secrets: [password, token]
steps:
  - name: shapes
    POST: "{{ base }}/x?k={{ password }}"
    headers:
      - X-R: a
      - Authorization: "Basic {{ base64_encode(user + ':' + password) }}"
      - X-R: b
    multipart:
      - doc: {file: a.png}
      - meta: {value: '{"pw":"{{ password }}"}', content_type: application/json}
  - name: json
    PUT: "{{ base }}/y"
    headers: {Authorization: "Bearer {{ token }}"}
    json: {z: 1.50, token: "{{ token }}"}
`
	file := filepath.Join(dir, "replay.yaml")
	os.WriteFile(file, []byte(src), 0o644)
	c, err := collections.Load(file, collections.Options{Defined: []string{"base"}})
	if err != nil {
		t.Fatal(err)
	}
	res := runColl(t, nil, c, Options{Vars: map[string]any{"base": srv.URL}, Retention: Retention{Record: true}})
	wantOutcomes(t, res, "passed,passed")
	sent := srv.Take()
	if len(res.Exchanges) != 2 || len(sent) != 2 {
		t.Fatalf("%d recordings, %d requests; want 2 and 2", len(res.Exchanges), len(sent))
	}
	secrets := map[string]any{}
	for name := range res.State.Secret {
		secrets[name] = res.State.Vars[name]
	}
	for i, ex := range res.Exchanges {
		if bytes.Contains(ex.Request.Body, []byte("p+w/d=1")) || ex.Request.Masked {
			t.Errorf("recording %d holds a secret or cannot be replayed: %+v", i, ex.Request)
		}
		if _, err := New(nil).Replay(t.Context(), &ex.Request, secrets, testTimeout); err != nil {
			t.Fatalf("Replay(%s) error = %v", ex.Step, err)
		}
		again := srv.Take()
		if len(again) != 1 || !bytes.Equal(again[0].Raw, sent[i].Raw) {
			t.Errorf("replay of %s sent\n%q\nthe run sent\n%q", ex.Step, again[0].Raw, sent[i].Raw)
		}
	}
}
