package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/collections"
)

func TestValidate(t *testing.T) {
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"ok.yaml":   passing("ok"),
		"typo.yaml": typoCollection,
		"undefined.yaml": `name: undefined
steps:
  - name: list
    GET: "{{ base_ur }}/items"
`,
	})
	tests := []struct {
		name     string
		args     []string
		wantCode int
	}{
		{"validate_ok", []string{"validate", "--var", "base_url=x", filepath.Join(dir, "ok.yaml"), "procore/first-call"}, ExitOK},
		{"validate_errors", []string{"validate", filepath.Join(dir, "ok.yaml"), filepath.Join(dir, "typo.yaml"), filepath.Join(dir, "undefined.yaml")}, ExitUsage},
		{"validate_sandbox_defines", []string{"validate", "--sandbox", filepath.Join(dir, "ok.yaml")}, ExitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := callsheet(t, nil, tt.args...)
			if got.code != tt.wantCode {
				t.Errorf("callsheet %s = exit %d, want %d", strings.Join(tt.args, " "), got.code, tt.wantCode)
			}
			checkGolden(t, tt.name, normalize("$ callsheet "+strings.Join(tt.args, " ")+"\n--- stdout\n"+got.stdout+"--- stderr\n"+got.stderr, dir, "TMP"))
		})
	}
}

func TestVersion(t *testing.T) {
	got := callsheet(t, nil, "version")
	want := fmt.Sprintf("callsheet dev\n%s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if got.code != ExitOK || got.stdout != want {
		t.Errorf("callsheet version = exit %d, %q; want 0, %q", got.code, got.stdout, want)
	}
}

// TestColor checks that colour appears only on a terminal, and never with
// NO_COLOR or --no-color.
func TestColor(t *testing.T) {
	srv := newRecorder(t, 200, `{}`)
	path := filepath.Join(writeFiles(t, t.TempDir(), map[string]string{"ok.yaml": passing("ok")}), "ok.yaml")
	tests := []struct {
		name      string
		terminal  bool
		env       map[string]string
		flags     []string
		wantColor bool
	}{
		{"terminal", true, nil, nil, true},
		{"not a terminal", false, nil, nil, false},
		{"NO_COLOR", true, map[string]string{"NO_COLOR": "1"}, nil, false},
		{"empty NO_COLOR", true, map[string]string{"NO_COLOR": ""}, nil, true},
		{"TERM=dumb", true, map[string]string{"TERM": "dumb"}, nil, false},
		{"--no-color", true, nil, []string{"--no-color"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			sys := terminalSystem(&stdout, &stderr, tt.env)
			sys.isTerminal = func(any) bool { return tt.terminal }
			args := append(append([]string{"callsheet", "run", "--var", "base_url=" + srv.URL}, tt.flags...), path)
			if code := execute(t.Context(), args, sys); code != ExitOK {
				t.Fatalf("exit %d, want 0\n%s%s", code, stdout.String(), stderr.String())
			}
			if got := strings.Contains(stdout.String(), "\x1b["); got != tt.wantColor {
				t.Errorf("colour = %v, want %v:\n%q", got, tt.wantColor, stdout.String())
			}
		})
	}
}

// TestSandboxCommand serves the sandbox, runs the command it prints, and
// stops it by cancelling the context as Ctrl-C does.
func TestSandboxCommand(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"callsheet", "sandbox", "--addr", "127.0.0.1:0", "--token-ttl", "10m"}, strings.NewReader(""), &stdout, &stderr, nil)
	}()

	var command []string
	for deadline := time.Now().Add(10 * time.Second); command == nil; {
		for _, line := range strings.Split(stdout.String(), "\n") {
			if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "callsheet run "); ok {
				command = append([]string{"run"}, strings.Fields(rest)...)
			}
		}
		select {
		case code := <-done:
			t.Fatalf("callsheet sandbox exited early with %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("callsheet sandbox printed no run command:\n%s", stdout.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	certFile := command[slicesIndex(command, "--cacert")+1]
	if _, err := os.Stat(certFile); err != nil {
		t.Errorf("certificate file: %v", err)
	}

	got := callsheet(t, nil, command...)
	if got.code != ExitOK || !strings.HasSuffix(normalize(got.stdout), "4 passed, 0 failed, 0 skipped in DUR\n") {
		t.Errorf("callsheet %s = exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(command, " "), got.code, got.stdout, got.stderr)
	}

	cancel()
	select {
	case code := <-done:
		if code != ExitOK {
			t.Errorf("callsheet sandbox = exit %d after Ctrl-C, want 0\nstderr:\n%s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("callsheet sandbox did not stop after its context was cancelled")
	}
	if _, err := os.Stat(certFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("certificate file left behind: %v", err)
	}
	for _, want := range []string{"client secret  ", "company id     4264807", "sandbox: stopped"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout does not contain %q:\n%s", want, stdout.String())
		}
	}
}

func slicesIndex(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

func TestSandboxCommandUsage(t *testing.T) {
	for _, args := range [][]string{
		{"sandbox", "--addr", "0.0.0.0:0"},
		{"sandbox", "--token-ttl", "-1s"},
		{"sandbox", "extra"},
	} {
		if got := callsheet(t, nil, args...); got.code != ExitUsage || !strings.HasPrefix(got.stderr, "error: ") {
			t.Errorf("callsheet %s = exit %d, stderr %q; want %d and an error", strings.Join(args, " "), got.code, got.stderr, ExitUsage)
		}
	}
}

func TestParseVar(t *testing.T) {
	tests := []struct {
		in        string
		wantName  string
		wantValue any
		wantErr   string
	}{
		{"a=1", "a", int64(1), ""},
		{"url=https://x/?q=1", "url", "https://x/?q=1", ""},
		{"empty=", "empty", "", ""},
		{"_x9=y", "_x9", "y", ""},
		{"noequals", "", nil, "want NAME=VALUE"},
		{"=1", "", nil, "is not a variable name"},
		{"a-b=1", "", nil, "is not a variable name"},
		{"9a=1", "", nil, "is not a variable name"},
	}
	for _, tt := range tests {
		name, value, err := parseVar(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parseVar(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || name != tt.wantName || value != tt.wantValue {
			t.Errorf("parseVar(%q) = %q, %#v, %v; want %q, %#v, nil", tt.in, name, value, err, tt.wantName, tt.wantValue)
		}
	}
}

func TestPermuteArgs(t *testing.T) {
	app := newApp(terminalSystem(nil, nil, nil))
	tests := []struct{ in, want string }{
		{"callsheet run a.yaml --sandbox", "callsheet run --sandbox -- a.yaml"},
		{"callsheet run a.yaml --var x=1 b.yaml -v", "callsheet run --var x=1 -v -- a.yaml b.yaml"},
		{"callsheet run --timeout 5s a.yaml", "callsheet run --timeout 5s -- a.yaml"},
		{"callsheet run --var=x=1 a.yaml", "callsheet run --var=x=1 -- a.yaml"},
		{"callsheet run a.yaml -- -odd.yaml", "callsheet run -- a.yaml -odd.yaml"},
		{"callsheet run --sandbox", "callsheet run --sandbox"},
		{"callsheet nope a --x", "callsheet nope a --x"},
		{"callsheet run --state a.yaml", "callsheet run --state -- a.yaml"},
		{"callsheet run --state s.json a.yaml", "callsheet run --state=s.json -- a.yaml"},
		{"callsheet run a.yaml --state=x", "callsheet run --state=x -- a.yaml"},
	}
	for _, tt := range tests {
		if got := strings.Join(permuteArgs(app, strings.Fields(tt.in)), " "); got != tt.want {
			t.Errorf("permuteArgs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, ExitOK},
		{codeError(ExitOK), ExitOK},
		{codeError(ExitFailed), ExitFailed},
		{codeError(ExitUsage), ExitUsage},
		{codeError(ExitError), ExitError},
		{&usageError{err: errors.New("bad flag")}, ExitUsage},
		{fmt.Errorf("load: %w", collections.ErrorList{{Msg: "x"}}), ExitUsage},
		{errors.New("listen tcp: address in use"), ExitError},
	}
	for _, tt := range tests {
		if got := exitCode(tt.err); got != tt.want {
			t.Errorf("exitCode(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}

func TestHelp(t *testing.T) {
	tests := []struct {
		args       []string
		wantCode   int
		wantStdout string
	}{
		{[]string{"--help"}, ExitOK, "COMMANDS:"},
		{[]string{"help"}, ExitOK, "COMMANDS:"},
		{[]string{"help", "sandbox"}, ExitOK, "--token-ttl DURATION"},
		{[]string{"validate", "-h"}, ExitOK, "callsheet validate [command options] PATH..."},
		{[]string{"help", "nope"}, ExitUsage, ""},
	}
	for _, tt := range tests {
		got := callsheet(t, nil, tt.args...)
		if got.code != tt.wantCode || !strings.Contains(got.stdout, tt.wantStdout) {
			t.Errorf("callsheet %s = exit %d, stdout:\n%s\nwant exit %d and %q", strings.Join(tt.args, " "), got.code, got.stdout, tt.wantCode, tt.wantStdout)
		}
	}
}
