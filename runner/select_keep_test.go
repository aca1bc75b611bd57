package runner

import (
	"errors"
	"slices"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

// TestSelectKeep checks that Selection.Keep narrows every other way of
// choosing steps, and that a step it leaves out still counts as the
// producer of what a kept step reads.
func TestSelectKeep(t *testing.T) {
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
	}{
		{name: "keep all is every step", sel: Selection{Keep: []bool{true, true, true}}, want: []bool{true, true, true}},
		{name: "kept steps with their captures held", sel: Selection{Keep: []bool{false, true, true}}, have: []string{"token", "user"}, want: []bool{false, true, true}},
		{name: "a producer left out is named", sel: Selection{Keep: []bool{false, true, true}},
			missing: []MissingCapture{{Name: "user", Step: "list", Producer: "login"}, {Name: "token", Step: "list", Producer: "login"}}},
		{name: "with deps runs a producer left out", sel: Selection{Keep: []bool{false, true, true}, WithDeps: true}, want: []bool{true, true, true}},
		{name: "steps among the kept only", sel: Selection{Keep: []bool{true, true, false}, Steps: []string{"other"}}, want: []bool{false, false, false}},
		{name: "from among the kept only", sel: Selection{Keep: []bool{true, false, true}, From: "login"}, want: []bool{true, false, true}},
		{name: "reuse skips a producer a kept step reads", sel: Selection{Keep: []bool{true, true, false}, Reuse: true}, have: []string{"token", "user"}, want: []bool{false, true, false}},
		{name: "reuse reruns a producer only a step left out reads", sel: Selection{Keep: []bool{true, false, true}, Reuse: true}, have: []string{"token", "user"}, want: []bool{true, false, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Select(c, tt.sel, func(n string) bool { return slices.Contains(tt.have, n) || n == "base" })
			if tt.missing != nil {
				var me *MissingCaptureError
				if !errors.As(err, &me) || !slices.Equal(me.Missing, tt.missing) {
					t.Fatalf("Select() error = %v, want missing %v", err, tt.missing)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("Select() = %v, %v, want %v, <nil>", got, err, tt.want)
			}
		})
	}
}

// TestRunKeepMarksStepsNotSelected runs a collection with a step left
// out: it is reported at its place, skipped and not sent.
func TestRunKeepMarksStepsNotSelected(t *testing.T) {
	srv := jsonServer(t, `{"id": 1}`)
	c := parse(t, `name: keep
steps:
  - name: a
    GET: "{{ base }}/a"
  - name: b
    GET: "{{ base }}/b"
  - name: c
    GET: "{{ base }}/c"
`, "base")
	res := runColl(t, srv.Client(), c, Options{Vars: map[string]any{"base": srv.URL}, Select: Selection{Keep: []bool{true, false, true}}})
	wantOutcomes(t, res, "passed,skipped,passed")
	if got := res.Steps[1]; got.SkipReason != "not selected" || got.Request != nil || got.Name != "b" {
		t.Errorf("step b = %q skipped (%q), request %v; want not selected and nothing sent", got.Name, got.SkipReason, got.Request)
	}
}
