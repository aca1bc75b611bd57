//go:build unix

package cmd

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary builds cmd/callsheet into a temporary folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	bin := filepath.Join(t.TempDir(), "callsheet")
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "./callsheet").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestInterrupt runs the binary against a server that never answers one
// request, sends SIGINT while it waits, and checks the exit code 130 and
// that the console (held, as stdout is a pipe) and the reports are
// complete: what ran, the rest not run. A second SIGINT, sent while a
// finally: step (which the first one does not stop) waits on a stuck
// request, must end the process at once: the server never answers that
// request and the request timeout is 5m, so only the second SIGINT can end
// it with 130 before the 60s hang guard kills it.
func TestInterrupt(t *testing.T) {
	bin := buildBinary(t)
	for _, tt := range []struct {
		name    string
		signals int
	}{{"one Ctrl-C writes reports", 1}, {"second Ctrl-C exits at once", 2}} {
		t.Run(tt.name, func(t *testing.T) {
			waiting, stuck := make(chan struct{}, 1), make(chan struct{}, 1)
			release := make(chan struct{})
			defer close(release)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/slow" || r.URL.Path == "/stuck" {
					if r.URL.Path == "/slow" {
						waiting <- struct{}{}
					} else {
						stuck <- struct{}{}
					}
					select {
					case <-r.Context().Done():
					case <-release:
					}
					return
				}
				io.WriteString(w, "{}")
			}))
			defer srv.Close()
			aSrc := "name: a\nsteps:\n  - name: fast\n    GET: \"{{ base_url }}/fast\"\n  - name: slow\n    GET: \"{{ base_url }}/slow\"\n  - name: after\n    GET: \"{{ base_url }}/after\"\n"
			if tt.signals > 1 {
				aSrc += "finally:\n  - name: stuck cleanup\n    GET: \"{{ base_url }}/stuck\"\n"
			}
			dir := writeFiles(t, t.TempDir(), map[string]string{
				"a.yaml": aSrc,
				"b.yaml": passing("b"),
			})
			jsonFile, xmlFile := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.xml")
			ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "run", "--jobs", "1", "--timeout", "5m", "--var", "base_url="+srv.URL,
				"--report-json", jsonFile, "--report-junit", xmlFile,
				filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml"))
			var stdout strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stdout
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			select {
			case <-waiting:
			case <-ctx.Done():
				t.Fatalf("the slow request never came\n%s", stdout.String())
			}
			if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			if tt.signals > 1 {
				select {
				case <-stuck:
				case <-ctx.Done():
					t.Fatalf("the finally: step never started\n%s", stdout.String())
				}
				if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
					t.Fatal(err)
				}
			}
			err := cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != ExitInterrupted {
				t.Fatalf("exit = %v, want code %d\n%s", err, ExitInterrupted, stdout.String())
			}
			// stdout is a pipe, so held: what ran is printed all the same.
			if !strings.Contains(stdout.String(), "✔ fast") {
				t.Errorf("stdout does not show the step that ran:\n%s", stdout.String())
			}
			if tt.signals > 1 {
				return // exited at once: no report promised
			}
			rep := readJSONReport(t, jsonFile)
			if len(rep.Collections) != 2 {
				t.Fatalf("JSON report has %d collections, want 2", len(rep.Collections))
			}
			a, b := rep.Collections[0], rep.Collections[1]
			if got := []string{a.Steps[0].Outcome, a.Steps[2].Outcome, b.Outcome, b.Steps[0].Outcome}; strings.Join(got, ",") != "passed,not run,not run,not run" {
				t.Errorf("outcomes fast, after, b, b's step = %v; want passed, then not run", got)
			}
			if rep.Summary.NotRun != 2 || rep.Summary.Passed != 1 {
				t.Errorf("summary = %+v, want 1 passed and 2 not run", rep.Summary)
			}
			x, err := os.ReadFile(xmlFile)
			if err != nil {
				t.Fatal(err)
			}
			var v struct{}
			if err := xml.Unmarshal(x, &v); err != nil || !strings.Contains(string(x), `<skipped message="not run">`) {
				t.Errorf("JUnit report incomplete (%v):\n%s", err, x)
			}
		})
	}
}
