package session

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/runner"
)

// TestStateNumbersExact checks that saved captures come back from a state
// file with their exact values: an id beyond int64 is not rounded through
// float64, and each value encodes back to the digits it was saved with.
func TestStateNumbersExact(t *testing.T) {
	tests := []struct {
		raw  string
		want string // %T:%v
	}{
		{"42", "int64:42"},
		{"18446744073709551615", "*big.Int:18446744073709551615"},
		{"0.1000000000000000055511151231257827", "eval.Decimal:0.1000000000000000055511151231257827"},
		{"2.5", "float64:2.5"},
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), "state.json")
		doc := `{"version": 1, "collections": {"c.yaml": {"captures": {"v": ` + tt.raw + `}}}}`
		if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		sf, err := ReadState(path)
		if err != nil {
			t.Fatalf("ReadState(%s) error = %v", doc, err)
		}
		v := sf.Collections["c.yaml"].Captures["v"]
		if got := fmt.Sprintf("%T:%v", v, v); got != tt.want {
			t.Errorf("ReadState capture %s = %s, want %s", tt.raw, got, tt.want)
		}
		out, err := json.Marshal(v)
		if err != nil || string(out) != tt.raw {
			t.Errorf("json.Marshal(%s) = %s, %v; want %s", tt.want, out, err, tt.raw)
		}
	}
}

// loginCollection logs in (capturing a secret token and a user), then
// lists with both.
const loginCollection = `name: loop
steps:
  - name: login
    GET: "{{ base }}/login"
    capture:
      token: { json: token, secret: true }
      user: { json: path }
  - name: list
    GET: "{{ base }}/list{{ user }}"
    headers:
      Authorization: "Bearer {{ token }}"
`

// TestStateSavedAndRestored runs a collection under --state, then only its
// second step: the saved captures stand in for the first step, and a
// secret is saved only when asked.
func TestStateSavedAndRestored(t *testing.T) {
	for _, secrets := range []bool{false, true} {
		t.Run(fmt.Sprintf("secrets %v", secrets), func(t *testing.T) {
			srv := newEchoServer(t)
			dir := writeFiles(t, map[string]string{"loop.yaml": loginCollection})
			opts := Options{Paths: []string{dir}, Vars: baseVars(srv.URL), State: StateOptions{On: true, Secrets: secrets}}
			run(t, newSession(t, opts), srv.Client())
			path := filepath.Join(dir, StateDir, "state.json")
			info, err := os.Stat(path)
			if err != nil || info.Mode().Perm() != 0o600 {
				t.Fatalf("state file %s: %v, %v; want mode 0600", path, info, err)
			}
			data, _ := os.ReadFile(path)
			if got := strings.Contains(string(data), "tok-6"); got != secrets {
				t.Errorf("state file holds the token = %v, want %v:\n%s", got, secrets, data)
			}
			opts.Select.Steps = []string{"list"}
			tr := &trace{needs: runner.Needs{Steps: true}}
			sum := run(t, newSession(t, opts), srv.Client(), tr)
			if !secrets {
				var me *runner.MissingCaptureError
				if res := tr.results[0]; !errors.As(res.Err, &me) || me.Missing[0].Name != "token" {
					t.Errorf("run of list without the saved token: %v, want token missing", res.Err)
				}
				return
			}
			if sum.Verdict != runner.Passed || srv.count("/login") != 1 || srv.count("/list/login") != 2 {
				t.Errorf("run of list: %v, sent %v; want one more /list/login only", sum.Verdict, srv.seen())
			}
		})
	}
}

// TestStateKeptWhenRunCannotStart checks that a run that stops before its
// first step does not overwrite the state saved before.
func TestStateKeptWhenRunCannotStart(t *testing.T) {
	srv := newEchoServer(t)
	dir := writeFiles(t, map[string]string{"loop.yaml": "name: loop\nvars:\n  base: \"{{ env.LOOP_BASE }}\"\n" + strings.TrimPrefix(loginCollection, "name: loop\n")})
	env := map[string]string{"LOOP_BASE": srv.URL}
	opts := Options{Paths: []string{dir}, State: StateOptions{On: true, Secrets: true},
		Runner: runner.Options{LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}}
	run(t, newSession(t, opts), srv.Client())
	path := filepath.Join(dir, StateDir, "state.json")
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	delete(env, "LOOP_BASE")
	if sum := run(t, newSession(t, opts), srv.Client()); sum.Verdict != runner.Errored {
		t.Fatalf("run without LOOP_BASE = %v, want an error", sum.Verdict)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Errorf("a run that could not start rewrote the state:\n%s\nwas\n%s", after, before)
	}
}

func TestIgnoreStateDir(t *testing.T) {
	tests := []struct {
		existing  string
		wantAdded bool
		want      string
	}{
		{"bin/", true, "bin/\n# callsheet: saved state (may hold tokens) and recorded runs\n.callsheet/\n"},
		{"bin/\n", true, "bin/\n# callsheet: saved state (may hold tokens) and recorded runs\n.callsheet/\n"},
		{"", true, "# callsheet: saved state (may hold tokens) and recorded runs\n.callsheet/\n"},
		{"/.callsheet/\n", false, "/.callsheet/\n"},
		{"  .callsheet\n", false, "  .callsheet\n"},
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), ".gitignore")
		if err := os.WriteFile(path, []byte(tt.existing), 0o644); err != nil {
			t.Fatal(err)
		}
		added, err := IgnoreStateDir(path)
		got, _ := os.ReadFile(path)
		if err != nil || added != tt.wantAdded || string(got) != tt.want {
			t.Errorf("IgnoreStateDir(%q) = %v, %v, file %q; want %v, %q", tt.existing, added, err, got, tt.wantAdded, tt.want)
		}
	}
	if _, err := IgnoreStateDir(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("IgnoreStateDir(missing) = nil error")
	}
}
