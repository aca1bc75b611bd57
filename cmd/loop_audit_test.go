package cmd

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRunStateRestoresSavedVars(t *testing.T) {
	api := newLoopAPI(t)
	coll := loopSetup(t)
	if out := callsheet(t, nil, "run", coll, "--var", "base="+api.URL, "--state", "--state-secrets"); out.code != ExitOK {
		t.Fatalf("first run: exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	// No --var base now: the saved one fills it in.
	out := callsheet(t, nil, "run", coll, "--state", "--step", "list projects")
	if out.code != ExitOK {
		t.Fatalf("run --state --step without --var: exit %d, want 0 (base from the state)\n%s%s", out.code, out.stdout, out.stderr)
	}
	if got := api.counts(); got["/projects"] != 2 || got["/login"] != 1 {
		t.Errorf("hits = %v, want /login 1 and /projects 2", got)
	}
}

func TestRunFromWithSavedState(t *testing.T) {
	api := newLoopAPI(t)
	coll := loopSetup(t)
	if out := callsheet(t, nil, "run", coll, "--var", "base="+api.URL, "--state", "--state-secrets"); out.code != ExitOK {
		t.Fatalf("first run: exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	out := callsheet(t, nil, "run", coll, "--var", "base="+api.URL, "--state", "--from", "list projects")
	if out.code != ExitOK {
		t.Fatalf("run --from: exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	if got, want := api.counts(), map[string]int{"/login": 1, "/projects": 2, "/other": 2}; !mapsEqual(got, want) {
		t.Errorf("hits = %v, want %v (no new login)", got, want)
	}
	if !strings.Contains(out.stdout, "login  POST {{ base }}/login  skipped (not selected)") {
		t.Errorf("run --from does not show login skipped:\n%s", out.stdout)
	}
}

func TestRunStateKeptWhenRunCannotStart(t *testing.T) {
	api := newLoopAPI(t)
	text := strings.Replace(loopCollection, "name: loop\n", "name: loop\nvars:\n  base: \"{{ env.LOOP_BASE }}\"\n", 1)
	dir := writeFiles(t, t.TempDir(), map[string]string{"loop.yaml": text})
	coll := filepath.Join(dir, "loop.yaml")
	env := map[string]string{"LOOP_BASE": api.URL}
	if out := callsheet(t, env, "run", coll, "--state", "--state-secrets"); out.code != ExitOK {
		t.Fatalf("first run: exit %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	path := filepath.Join(dir, ".callsheet", "state.json")
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// LOOP_BASE unset: the variable does not evaluate and no step runs.
	if out := callsheet(t, nil, "run", coll, "--state", "--step", "list projects"); out.code == ExitOK {
		t.Fatalf("run without LOOP_BASE: exit 0, want an error\n%s", out.stdout)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(after) != string(before) {
		t.Errorf("a run that could not start rewrote the state:\n--- before\n%s\n--- after\n%s", before, after)
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

func TestRunWatchSandboxKeepsLogin(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "collections", "procore", "first-call.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := writeFiles(t, t.TempDir(), map[string]string{"first-call.yaml": string(src)})
	coll := filepath.Join(dir, "first-call.yaml")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"callsheet", "run", "--watch", "--sandbox", coll}, strings.NewReader(""), &stdout, &stderr, nil)
	}()
	waiting := func() int { return strings.Count(stdout.String(), "watch: waiting for changes") }
	waitFor := func(what string, n int) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for waiting() < n {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s\nstdout:\n%s\nstderr:\n%s", what, stdout.String(), stderr.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitFor("the first run", 1)
	if err := os.WriteFile(coll, append(src, "# edited\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor("the rerun", 2)
	cancel()
	select {
	case code := <-done:
		if code != ExitOK {
			t.Errorf("run --watch --sandbox: exit %d, want 0\n%s%s", code, stdout.String(), stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run --watch did not stop after cancel")
	}
	all := stdout.String()
	if n := strings.Count(all, "serving the Procore sandbox"); n != 1 {
		t.Errorf("sandboxes started = %d, want 1 for every rerun\n%s", n, all)
	}
	_, rerun, _ := strings.Cut(all, "changed, running again")
	for _, want := range []string{
		"authorize  {{ login_url }}/oauth/authorize  skipped (its captures are kept from the previous run)",
		"token  POST {{ login_url }}/oauth/token  skipped (its captures are kept from the previous run)",
		"✔ list projects",
		"2 passed, 0 failed, 2 skipped",
		"watch: no change since the previous run",
	} {
		if !strings.Contains(rerun, want) {
			t.Errorf("rerun output lacks %q:\n%s", want, rerun)
		}
	}
}

func TestRunStateFileArgument(t *testing.T) {
	tests := []struct {
		name string
		args func(file string) []string
		file string
	}{
		{name: "--state FILE.json after the path", file: "s.json", args: func(f string) []string { return []string{"--state", f} }},
		{name: "--state=FILE of any name", file: "state", args: func(f string) []string { return []string{"--state=" + f} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newLoopAPI(t)
			coll := loopSetup(t)
			file := filepath.Join(t.TempDir(), tt.file)
			out := callsheet(t, nil, append([]string{"run", coll, "--var", "base=" + api.URL}, tt.args(file)...)...)
			if out.code != ExitOK {
				t.Fatalf("exit %d\n%s%s", out.code, out.stdout, out.stderr)
			}
			info, err := os.Stat(file)
			if err != nil || info.Mode().Perm() != 0o600 {
				t.Fatalf("state file %s: %v, %v; want mode 0600", file, info, err)
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(coll), ".callsheet")); err == nil {
				t.Errorf("the default .callsheet folder was written too")
			}
			sf, err := readState(file)
			if err != nil {
				t.Fatal(err)
			}
			key, _ := filepath.Abs(coll)
			if st := sf.Collections[key]; st == nil || st.Captures["user_id"] != int64(7) {
				t.Errorf("state %s has no user_id capture for %s", file, key)
			}
		})
	}
}
