package cmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

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

func TestRunWatchSandboxKeepsLogin(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "collections", "procore", "first-call.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	api, err := os.ReadFile(filepath.Join("..", "collections", "procore", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := writeFiles(t, t.TempDir(), map[string]string{"first-call.yaml": string(src), "openapi.yaml": string(api)})
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
		"authorize  https://127.0.0.1:", "/oauth/authorize  skipped (its captures are kept from the previous run)",
		"/oauth/token  skipped (its captures are kept from the previous run)",
		"✔ list projects",
		"2 passed, 0 failed, 2 skipped",
		"watch: no change since the previous run",
	} {
		if !strings.Contains(rerun, want) {
			t.Errorf("rerun output lacks %q:\n%s", want, rerun)
		}
	}
}
