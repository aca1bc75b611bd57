package session

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestPlan checks the units a plan makes, in order, from the files of a
// folder: --rerun-failed, --shard and the selection pick files, then each
// runs once per iteration and data row.
func TestPlan(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.yaml":   collection("a", "one"),
		"b.yaml":   collection("b", "one"),
		"c.yaml":   collection("c", "one", "two"),
		"rows.csv": "user\nann\nbob\n",
	})
	in := func(n string) string { return filepath.Join(dir, n) }
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"every file in name order", Options{}, "a | b | c"},
		{"rerun the files that did not pass", Options{Rerun: map[string]bool{in("b.yaml"): true}}, "b"},
		{"a shard", Options{Shard: Shard{K: 2, N: 2}}, "b"},
		{"only", Options{Select: Selection{Only: []string{"two"}}}, "c"},
		{"iterations", Options{Iterations: 2, Select: Selection{Only: []string{"a"}}}, "a [iteration 1] | a [iteration 2]"},
		{"rows", Options{Data: in("rows.csv"), Select: Selection{Only: []string{"b"}}}, "b [row 1] | b [row 2]"},
		{"iterations of rows", Options{Data: in("rows.csv"), Iterations: 2, Select: Selection{Only: []string{"a"}}},
			"a [iteration 1, row 1] | a [iteration 1, row 2] | a [iteration 2, row 1] | a [iteration 2, row 2]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Paths = []string{dir}
			tt.opts.Vars = baseVars("http://127.0.0.1:1")
			s := newSession(t, tt.opts)
			var names []string
			for i, u := range s.Units() {
				if u.Index != i {
					t.Errorf("unit %s has index %d, want %d", u.Name(), u.Index, i)
				}
				names = append(names, u.Name())
			}
			if got := strings.Join(names, " | "); got != tt.want {
				t.Errorf("units = %s, want %s", got, tt.want)
			}
		})
	}
}

// TestPlanInputs checks what New reads besides the collections: every
// variable a row, an env file or a saved state defines counts as defined
// for the loader.
func TestPlanInputs(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.yaml":           "name: a\nsteps:\n  - name: one\n    GET: \"{{ base }}/{{ user }}/{{ region }}/{{ saved }}\"\n",
		"rows.csv":         "user\nann\n",
		"env/staging.yaml": "region: eu\n",
	})
	state := filepath.Join(dir, "state.json")
	doc := `{"version": 1, "collections": {"` + filepath.Join(dir, "a.yaml") + `": {"vars": {"saved": 1}}}}`
	if err := os.WriteFile(state, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	opts := Options{Paths: []string{dir}, Vars: baseVars("http://x"), Data: filepath.Join(dir, "rows.csv"), Env: "staging", State: StateOptions{On: true, Path: state}}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	defined := s.Defined()
	for _, name := range []string{"base", "user", "region", "saved"} {
		if !slices.Contains(defined, name) {
			t.Errorf("Defined() = %v, lacks %s", defined, name)
		}
	}
	if errs := s.Load(); len(errs) > 0 {
		t.Errorf("Load() = %v, want the collection valid with every input", errs)
	}
	opts.State = StateOptions{}
	if s, err = New(opts); err != nil {
		t.Fatal(err)
	}
	if errs := s.Load(); len(errs) != 1 || !strings.Contains(errs[0].Error(), "saved") {
		t.Errorf("Load() without the state = %v, want saved undefined", errs)
	}
}

func TestNewChecksOptions(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.yaml": collection("a", "one")})
	tests := []struct {
		name    string
		opts    Options
		wantErr string
	}{
		{"with deps alone", Options{Select: Selection{WithDeps: true}}, "--with-deps needs --step, --from, --only, --skip or --tag"},
		{"state secrets alone", Options{State: StateOptions{Secrets: true}}, "--state-secrets needs --state"},
		{"data missing", Options{Data: filepath.Join(dir, "rows.csv")}, "--data: open"},
		{"env missing", Options{Env: "prod"}, "--env prod: no env/prod.yaml"},
		{"state unreadable", Options{State: StateOptions{On: true, Path: dir}}, "read state"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Paths = []string{dir}
			_, err := New(tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New() error = %v, want %q", err, tt.wantErr)
			}
			var ie *InputError
			if strings.HasPrefix(tt.wantErr, "--") && !errors.As(err, &ie) {
				t.Errorf("New() error = %T, want an *InputError", err)
			}
		})
	}
}
