package cmd

import (
	"encoding/json"
	"io/fs"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/sandbox"
)

// itemsCollection checks a response the recorder gives: status 200 and
// {"name":"gadget","count":2}.
const itemsCollection = `name: items
steps:
  - name: create
    POST: "{{ base_url }}/items"
    json:
      name: widget
    expect:
      status: 201
      json:
        name: widget
        count: { gt: 5 }
  - name: list
    GET: "{{ base_url }}/items"
    expect:
      status: 200
`

const typoCollection = `name: typo
steps:
  - name: list
    GET: "{{ base_url }}/items"
    expcet:
      status: 200
`

const passingCollection = `name: %s
steps:
  - name: get %s
    GET: "{{ base_url }}/%s"
    expect:
      status: 200
`

func passing(name string) string {
	return strings.ReplaceAll(passingCollection, "%s", name)
}

func TestRunGolden(t *testing.T) {
	srv := newRecorder(t, 200, `{"name":"gadget","count":2}`)
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"items.yaml":    itemsCollection,
		"typo.yaml":     typoCollection,
		"ok.yaml":       passing("ok"),
		"refused.yaml":  "name: refused\nsteps:\n  - name: ping\n    GET: http://" + closedPort(t) + "/ping\n  - name: after\n    GET: http://127.0.0.1:1/after\n",
		"undefenv.yaml": "name: env\nsteps:\n  - name: ping\n    GET: \"{{ base_url }}/{{ env.CALLSHEET_TEST_UNSET }}\"\n",
	})
	base := "base_url=" + srv.URL
	in := func(name string) string { return filepath.Join(dir, name) }
	tests := []struct {
		name     string
		args     []string
		wantCode int
	}{
		{"run_ok", []string{"run", "--var", base, in("ok.yaml")}, ExitOK},
		{"run_verbose", []string{"run", "-v", "--var", base, in("ok.yaml")}, ExitOK},
		{"run_failed", []string{"run", "--var", base, in("items.yaml")}, ExitFailed},
		{"run_failed_continue", []string{"run", "--continue", "--var", base, in("items.yaml")}, ExitFailed},
		{"run_typo", []string{"run", "--var", base, in("ok.yaml"), in("typo.yaml")}, ExitUsage},
		{"run_refused", []string{"run", in("refused.yaml")}, ExitError},
		{"run_undefined_env", []string{"run", "--var", base, in("undefenv.yaml")}, ExitUsage},
		{"run_worst_wins", []string{"run", "--var", base, in("items.yaml"), in("refused.yaml"), in("ok.yaml")}, ExitError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := srv.hits.Load()
			got := callsheet(t, nil, tt.args...)
			if got.code != tt.wantCode {
				t.Errorf("callsheet %s = exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(tt.args, " "), got.code, tt.wantCode, got.stdout, got.stderr)
			}
			if tt.wantCode == ExitUsage && srv.hits.Load() != before {
				t.Errorf("callsheet %s sent %d requests, want none", strings.Join(tt.args, " "), srv.hits.Load()-before)
			}
			checkGolden(t, tt.name, normalize("$ callsheet "+strings.Join(tt.args, " ")+"\n--- stdout\n"+got.stdout+"--- stderr\n"+got.stderr, srv.URL, "SERVER", dir, "TMP"))
		})
	}
}

func TestRunSandbox(t *testing.T) {
	got := callsheet(t, nil, "run", "--sandbox", "procore/first-call")
	if got.code != ExitOK {
		t.Fatalf("callsheet run --sandbox procore/first-call = exit %d, want 0\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
	}
	if n := strings.Count(got.stdout, "✔"); n != 4 {
		t.Errorf("callsheet run --sandbox printed %d passing steps, want 4:\n%s", n, got.stdout)
	}
	checkGolden(t, "run_sandbox", normalize(got.stdout+got.stderr))
}

// TestRunSandboxFailedCheck runs a copy of the bundled collection whose
// token step expects the wrong status.
func TestRunSandboxFailedCheck(t *testing.T) {
	src, err := fs.ReadFile(collections.Bundled(), "procore/first-call.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(src), "status: 200", "status: 201", 1)
	api, err := fs.ReadFile(collections.Bundled(), "procore/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := writeFiles(t, t.TempDir(), map[string]string{"first-call.yaml": bad, "openapi.yaml": string(api)})
	got := callsheet(t, nil, "run", "--sandbox", filepath.Join(dir, "first-call.yaml"))
	if got.code != ExitFailed {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", got.code, ExitFailed, got.stdout, got.stderr)
	}
	for _, want := range []string{"✘ token", "error: assert status (eq)", "actual:   integer <200>", "expected: integer <201>", "1 passed, 1 failed, 0 skipped, 2 not run in "} {
		if !strings.Contains(got.stdout, want) {
			t.Errorf("stdout does not contain %q:\n%s", want, got.stdout)
		}
	}
}

// TestRunVeryVerboseMasksSecrets checks that the full exchange of a sandbox
// run shows neither the client secret nor a token.
func TestRunVeryVerboseMasksSecrets(t *testing.T) {
	got := callsheet(t, nil, "run", "-vv", "--sandbox", "procore/first-call")
	if got.code != ExitOK {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
	}
	out := got.stdout + got.stderr
	if strings.Contains(out, sandbox.DemoClientSecret) {
		t.Errorf("-vv output contains the client secret")
	}
	if !strings.Contains(out, "***") {
		t.Errorf("-vv output masks nothing (no ***):\n%s", out)
	}
	for _, want := range []string{"> Authorization: Bearer ***", `"access_token":"***"`, `"refresh_token":"***"`, "< Content-Type: application/json"} {
		if !strings.Contains(out, want) {
			t.Errorf("-vv output does not contain %q", want)
		}
	}
	// Codes and tokens are 64 hex digits; the only public one is the client ID.
	for _, hex := range regexp.MustCompile(`\b[0-9a-f]{64}\b`).FindAllString(out, -1) {
		if hex != sandbox.DemoClientID {
			t.Errorf("-vv output shows a 64-hex secret %s…", hex[:8])
		}
	}
}

func TestRunUsage(t *testing.T) {
	dir := writeFiles(t, t.TempDir(), map[string]string{"ok.yaml": passing("ok")})
	t.Chdir(dir)
	tests := []struct {
		name       string
		args       []string
		wantStderr string
	}{
		{"unknown flag", []string{"run", "--sandox", "ok.yaml"}, "error: unknown flag --sandox (did you mean --sandbox?)\nRun 'callsheet run --help' for usage.\n"},
		{"bad var syntax", []string{"run", "--var", "base_url", "ok.yaml"}, "error: --var \"base_url\": want NAME=VALUE\nRun 'callsheet run --help' for usage.\n"},
		{"bad var name", []string{"run", "--var", "1x=2", "ok.yaml"}, `is not a variable name`},
		{"missing path", []string{"run"}, "error: missing PATH"},
		{"unreadable env file", []string{"run", "--env-file", "missing.env", "ok.yaml"}, "error: --env-file: open missing.env:"},
		{"unreadable cacert", []string{"run", "--var", "base_url=http://127.0.0.1:1", "--cacert", "missing.pem", "ok.yaml"}, "error: --cacert: open missing.pem:"},
		{"no such collection", []string{"run", "nope.yaml"}, "error: nope.yaml: no such file, folder or bundled collection\n"},
		{"empty folder", []string{"run", "."}, "no *.yaml or *.yml file"},
		{"bad timeout", []string{"run", "--timeout", "0s", "ok.yaml"}, "error: --timeout 0s: must be positive"},
		{"missing command", nil, "error: missing command"},
		{"unknown command", []string{"rum"}, "error: unknown command \"rum\" (did you mean \"run\"?)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := tt.args
			if tt.name == "empty folder" {
				args = []string{"run", t.TempDir()}
			}
			got := callsheet(t, nil, args...)
			if got.code != ExitUsage {
				t.Errorf("callsheet %s = exit %d, want %d", strings.Join(args, " "), got.code, ExitUsage)
			}
			if !strings.Contains(got.stderr, tt.wantStderr) {
				t.Errorf("callsheet %s: stderr = %q, want it to contain %q", strings.Join(args, " "), got.stderr, tt.wantStderr)
			}
			if got.stdout != "" {
				t.Errorf("callsheet %s: stdout = %q, want nothing", strings.Join(args, " "), got.stdout)
			}
		})
	}
}

func TestRunHelp(t *testing.T) {
	got := callsheet(t, nil, "run", "--help")
	if got.code != ExitOK || !strings.Contains(got.stdout, "--env-file FILE") || !strings.Contains(got.stdout, "--timeout DURATION") {
		t.Errorf("callsheet run --help = exit %d, stdout:\n%s", got.code, got.stdout)
	}
}

// TestRunFlagsAfterPaths checks that flags may follow the paths.
func TestRunFlagsAfterPaths(t *testing.T) {
	srv := newRecorder(t, 200, `{}`)
	dir := writeFiles(t, t.TempDir(), map[string]string{"ok.yaml": passing("ok")})
	got := callsheet(t, nil, "run", filepath.Join(dir, "ok.yaml"), "--var", "base_url="+srv.URL, "-v")
	if got.code != ExitOK || !strings.Contains(got.stdout, "< 200 OK") {
		t.Errorf("exit %d, want 0 with -v output\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
	}
}

// TestRunVarTypes checks how --var values are typed, through the JSON body
// a collection sends.
func TestRunVarTypes(t *testing.T) {
	srv := newRecorder(t, 200, `{}`)
	dir := writeFiles(t, t.TempDir(), map[string]string{"echo.yaml": `name: echo
steps:
  - name: echo
    POST: "{{ base_url }}/echo"
    json: { i: "{{ i }}", f: "{{ f }}", b: "{{ b }}", z: "{{ z }}", q: "{{ q }}", s: "{{ s }}", big: "{{ big }}" }
`})
	got := callsheet(t, nil, "run", "--var", "base_url="+srv.URL,
		"--var", "i=42", "--var", "f=1.5", "--var", "b=true", "--var", "z=null",
		"--var", `q="42"`, "--var", "s=hello, world", "--var", "big=123456789012345678901234",
		filepath.Join(dir, "echo.yaml"))
	if got.code != ExitOK {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
	}
	_, _, bodies := srv.seen()
	var body map[string]any
	if err := json.Unmarshal([]byte(bodies[0]), &body); err != nil {
		t.Fatalf("request body %q: %v", bodies[0], err)
	}
	want := map[string]any{"i": 42.0, "f": 1.5, "b": true, "z": nil, "q": "42", "s": "hello, world", "big": "123456789012345678901234"}
	if !reflect.DeepEqual(body, want) {
		t.Errorf("request body = %v, want %v", body, want)
	}
}

// TestRunPrecedence checks collection vars < --env-file < --var.
func TestRunPrecedence(t *testing.T) {
	srv := newRecorder(t, 200, `{}`)
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"vars.yaml": `name: vars
vars:
  x: collection
  y: collection
  z: collection
steps:
  - name: send
    GET: "{{ base_url }}/vars"
    query: { x: "{{ x }}", y: "{{ y }}", z: "{{ z }}" }
`,
		"test.env": "# comment\nx=env\ny=\"env file\"\nbase_url=" + srv.URL + "\n",
	})
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"collection only", []string{"--var", "base_url=" + srv.URL}, "x=collection&y=collection&z=collection"},
		{"env file", []string{"--env-file", filepath.Join(dir, "test.env")}, "x=env&y=env+file&z=collection"},
		{"var wins", []string{"--env-file", filepath.Join(dir, "test.env"), "--var", "x=cli"}, "x=cli&y=env+file&z=collection"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(append([]string{"run"}, tt.args...), filepath.Join(dir, "vars.yaml"))
			got := callsheet(t, nil, args...)
			if got.code != ExitOK {
				t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
			}
			if _, query, _ := srv.seen(); query[i] != tt.want {
				t.Errorf("query = %q, want %q", query[i], tt.want)
			}
		})
	}
}

// TestRunFolder checks that a folder runs its *.yaml and *.yml files in
// name order, and nothing else.
func TestRunFolder(t *testing.T) {
	srv := newRecorder(t, 200, `{}`)
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"b.yaml":       passing("b"),
		"a.yml":        passing("a"),
		"c.YAML":       passing("c"),
		"notes.txt":    "not a collection",
		"sub/d.yaml":   passing("d"),
		"z.yaml.orig":  "not a collection either",
		"sub/e.yml.gz": "",
	})
	// --jobs 1: requests in file order (output is in that order at any --jobs).
	got := callsheet(t, nil, "run", "--jobs", "1", "--var", "base_url="+srv.URL, dir)
	if got.code != ExitOK {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
	}
	if paths, _, _ := srv.seen(); !reflect.DeepEqual(paths, []string{"/a", "/b", "/c"}) {
		t.Errorf("requests = %v, want [/a /b /c]", paths)
	}
	if !strings.HasSuffix(normalize(got.stdout), "3 passed, 0 failed, 0 skipped in DUR\n") {
		t.Errorf("stdout does not end with the summary:\n%s", got.stdout)
	}
}

// summaryRE is the last line of a run.
var summaryRE = regexp.MustCompile(`(?m)^\d+ passed, \d+ failed, \d+ skipped(, \d+ errors?)?(, \d+ not run)? in \d+(\.\d+)?(ms|s)\n\z`)

func TestRunSummaryTime(t *testing.T) {
	srv := newRecorder(t, 200, `{}`)
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"a.yaml": "steps:\n  - name: one\n    GET: \"{{ base }}/1\"\n  - name: skipped\n    GET: \"{{ base }}/2\"\n    if: \"1 == 2\"\n",
	})
	got := callsheet(t, nil, "run", "--var", "base="+srv.URL, dir)
	if got.code != ExitOK || !summaryRE.MatchString(got.stdout) {
		t.Fatalf("exit %d, stdout does not end with the summary and time:\n%s%s", got.code, got.stdout, got.stderr)
	}
	if !strings.HasSuffix(normalize(got.stdout), "\n1 passed, 0 failed, 1 skipped in DUR\n") {
		t.Errorf("summary = %q", got.stdout[strings.LastIndex(strings.TrimSuffix(got.stdout, "\n"), "\n")+1:])
	}
}

func TestRunIncludeConsole(t *testing.T) {
	srv := newRecorder(t, 200, `{"token":"abc","id":7}`)
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"login.yaml": "name: login\nsteps:\n  - name: token\n    POST: \"{{ base }}/token\"\n    capture: { token: { json: token, secret: true } }\n  - name: check\n    GET: \"{{ base }}/check\"\n    expect: { json: { id: 8 } }\n",
		"suite.yaml": "name: suite\nsteps:\n  - name: login\n    include: login.yaml\n  - name: me\n    GET: \"{{ base }}/me?t={{ token }}\"\n",
	})
	got := callsheet(t, nil, "run", "--continue", "--var", "base="+srv.URL, filepath.Join(dir, "suite.yaml"))
	if got.code != ExitFailed {
		t.Fatalf("exit %d, want %d\n%s%s", got.code, ExitFailed, got.stdout, got.stderr)
	}
	for _, want := range []string{"✔ login › token", "✘ login › check", "--> " + filepath.Join(dir, "login.yaml") + ":8:", "expect: { json: { id: 8 } }", "✔ me", "/me?t=***", "2 passed, 1 failed, 0 skipped in "} {
		if !strings.Contains(got.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, got.stdout)
		}
	}
	if strings.Contains(got.stdout, "abc") {
		t.Errorf("stdout shows the secret token:\n%s", got.stdout)
	}
}
