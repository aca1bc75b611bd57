package runner

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

// selectCollection captures token and user at login, uses both to list, and
// has an unrelated step.
const selectCollection = `name: select
vars:
  base: http://127.0.0.1:1
steps:
  - name: login
    POST: "{{ base }}/login"
    capture:
      token: { json: token, secret: true }
      user: { json: user }
  - name: list
    GET: "{{ base }}/list?user={{ user }}"
    headers:
      Authorization: "Bearer {{ token }}"
  - name: other
    GET: "{{ base }}/other"
    capture:
      other_id: { json: id }
`

func TestSelect(t *testing.T) {
	c, err := collections.Parse("select.yaml", []byte(selectCollection), collections.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		sel     Selection
		have    []string
		want    []bool
		missing []MissingCapture
		unknown string
	}{
		{name: "zero runs all", want: []bool{true, true, true}},
		{name: "one step with state", sel: Selection{Steps: []string{"list"}}, have: []string{"token", "user"}, want: []bool{false, true, false}},
		{name: "missing capture names producer", sel: Selection{Steps: []string{"list"}}, have: []string{"user"},
			missing: []MissingCapture{{Name: "token", Step: "list", Producer: "login"}}},
		{name: "with deps adds producer only", sel: Selection{Steps: []string{"list"}, WithDeps: true}, want: []bool{true, true, false}},
		{name: "from", sel: Selection{From: "other"}, want: []bool{false, false, true}},
		{name: "reuse skips satisfied producers", sel: Selection{Reuse: true}, have: []string{"token", "user"}, want: []bool{false, true, true}},
		{name: "reuse reruns a step whose captures nothing reads", sel: Selection{Reuse: true}, have: []string{"token", "user", "other_id"}, want: []bool{false, true, true}},
		{name: "reuse runs producer of a missing capture", sel: Selection{Reuse: true}, have: []string{"user"}, want: []bool{true, true, true}},
		{name: "unknown step", sel: Selection{Steps: []string{"lst"}}, unknown: "list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Select(c, tt.sel, func(n string) bool { return slices.Contains(tt.have, n) || n == "base" })
			var me *MissingCaptureError
			var ue *UnknownStepError
			switch {
			case tt.missing != nil:
				if !errors.As(err, &me) || !slices.Equal(me.Missing, tt.missing) {
					t.Fatalf("Select() error = %v, want missing %v", err, tt.missing)
				}
			case tt.unknown != "":
				if !errors.As(err, &ue) || ue.Suggestion != tt.unknown {
					t.Fatalf("Select() error = %v, want unknown step suggesting %q", err, tt.unknown)
				}
			default:
				if err != nil || !slices.Equal(got, tt.want) {
					t.Fatalf("Select() = %v, %v, want %v, <nil>", got, err, tt.want)
				}
			}
		})
	}
}

func TestSelectIncludeProducer(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"login.yaml": "name: login\nvars:\n  base: http://127.0.0.1:1\nsteps:\n  - name: token\n    POST: \"{{ base }}/token\"\n    capture:\n      token: { json: token }\n",
		"main.yaml":  "name: main\nvars:\n  base: http://127.0.0.1:1\nsteps:\n  - name: login\n    include: login.yaml\n  - name: list\n    GET: \"{{ base }}/list\"\n    headers:\n      Authorization: \"Bearer {{ token }}\"\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c, err := collections.Load(filepath.Join(dir, "main.yaml"), collections.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Select(c, Selection{Steps: []string{"list"}}, func(n string) bool { return n == "base" })
	var me *MissingCaptureError
	if !errors.As(err, &me) || len(me.Missing) != 1 || me.Missing[0].Producer != "login" {
		t.Fatalf("Select(list) error = %v, want token produced by the include step login", err)
	}
	got, err := Select(c, Selection{Steps: []string{"list"}, WithDeps: true}, func(n string) bool { return n == "base" })
	if err != nil || !slices.Equal(got, []bool{true, true}) {
		t.Fatalf("Select(list, WithDeps) = %v, %v, want [true true]", got, err)
	}
}
