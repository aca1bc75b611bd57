package cmd

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/session"
)

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
			sf, err := session.ReadState(path)
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
	if !strings.Contains(out.stdout, "login  POST "+api.URL+"/login  skipped (not selected)") {
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
			sf, err := session.ReadState(file)
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
