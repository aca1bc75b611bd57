package cmd

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

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

func TestReplayMasksSecretsLikeTheRecording(t *testing.T) {
	var mu sync.Mutex
	logins := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/login":
			logins++
			// A new token at every login, in the body and in a header.
			tok := fmt.Sprintf("fresh-token-%d-abcdef", logins)
			w.Header().Set("X-Session", "id="+tok+"; v=1")
			fmt.Fprintf(w, `{"token":%q,"user":7}`, tok)
		default:
			io.WriteString(w, `{}`)
		}
	}))
	t.Cleanup(srv.Close)
	text := `name: masked
steps:
  - name: login
    POST: "{{ base }}/login"
    capture:
      token: { json: token, secret: true }
      session: { header: X-Session, regex: "id=([^;]+)", secret: true }
`
	dir := writeFiles(t, t.TempDir(), map[string]string{"masked.yaml": text})
	coll := filepath.Join(dir, "masked.yaml")
	if out := callsheet(t, nil, "run", coll, "--var", "base="+srv.URL, "--record"); out.code != ExitOK {
		t.Fatalf("run --record: exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	runs, _ := os.ReadDir(filepath.Join(dir, ".callsheet", "runs"))
	if len(runs) != 1 {
		t.Fatalf("recorded runs = %d, want 1", len(runs))
	}
	out := callsheet(t, nil, "replay", filepath.Join(dir, ".callsheet", "runs", runs[0].Name()))
	if out.code != ExitOK {
		t.Fatalf("replay: exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	if logins != 2 {
		t.Fatalf("logins = %d, want 2 (run and replay)", logins)
	}
	if strings.Contains(out.stdout+out.stderr, "fresh-token-2") {
		t.Errorf("replay output shows the new token:\n%s%s", out.stdout, out.stderr)
	}
	if !strings.Contains(out.stdout, "= login") {
		t.Errorf("replay output does not show login unchanged (masked like the recording):\n%s", out.stdout)
	}
	runs, _ = os.ReadDir(filepath.Join(dir, ".callsheet", "runs"))
	if len(runs) != 2 {
		t.Errorf("recorded runs after the replay = %d, want 2 (the replay is recorded)", len(runs))
	}
	if out := callsheet(t, nil, "runs", dir); !strings.Contains(out.stdout, "replay") {
		t.Errorf("runs does not list the replay:\n%s", out.stdout)
	}
	err := filepath.WalkDir(filepath.Join(dir, ".callsheet"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if strings.Contains(string(data), "fresh-token-") || strings.Contains(string(data), "ZnJlc2gtdG9rZW4t") { // base64 of "fresh-token-"
			t.Errorf("%s holds a token:\n%s", path, data)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
