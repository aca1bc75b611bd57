package runner

import (
	"errors"
	"testing"
)

// TestStrictFailsStepsWithoutChecks checks that Options.Strict fails the
// steps that check nothing, whatever the response, and only those.
func TestStrictFailsStepsWithoutChecks(t *testing.T) {
	ts := jsonServer(t, `{"id": 1}`)
	src := `steps:
  - name: unchecked
    GET: "{{ base }}/a"
  - name: checked
    GET: "{{ base }}/b"
    expect: { status: 200 }
  - name: captures only
    GET: "{{ base }}/c"
    capture: { id: id }
`
	for _, tt := range []struct {
		strict bool
		want   string
	}{
		{false, "passed,passed,passed"},
		{true, "failed,passed,failed"},
	} {
		c := parse(t, src, "base")
		res := runColl(t, nil, c, Options{Vars: map[string]any{"base": ts.URL}, Strict: tt.strict, Continue: true})
		if got := outcomes(res); got != tt.want {
			t.Errorf("Strict=%v: outcomes %s, want %s", tt.strict, got, tt.want)
		}
		if tt.strict && !errors.Is(res.Steps[0].Err, ErrNoCheck) {
			t.Errorf("Strict: unchecked step error = %v, want ErrNoCheck", res.Steps[0].Err)
		}
	}
}
