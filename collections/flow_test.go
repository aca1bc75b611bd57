package collections

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseFlow(t *testing.T) {
	src := `name: flow
tags: [smoke]
steps:
  - name: poll
    GET: https://example.com/job
    delay: 500ms
    retry: { count: 3, interval: 2s, backoff: 1.5 }
    until: res.json.state == "done"
    tags: [slow, jobs]
  - name: short retry
    GET: https://example.com/
    retry: 2
  - name: stop
    fail: "giving up"
finally:
  - name: cleanup
    DELETE: https://example.com/job
`
	c, err := Parse("flow.yaml", []byte(src), Options{})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	poll := c.Steps[0].Flow
	if poll.Delay != 500*time.Millisecond || poll.Retry == nil || *poll.Retry != (Retry{Pos: poll.Retry.Pos, Count: 3, Interval: 2 * time.Second, Backoff: 1.5}) {
		t.Errorf("poll flow = %+v, retry %+v", poll, poll.Retry)
	}
	if poll.Until == nil || poll.Until.Source != `res.json.state == "done"` {
		t.Errorf("until = %+v", poll.Until)
	}
	if !slices.Equal(poll.Tags, []string{"slow", "jobs"}) || !slices.Equal(c.Tags, []string{"smoke"}) {
		t.Errorf("tags = %v and %v", poll.Tags, c.Tags)
	}
	if r := c.Steps[1].Flow.Retry; r == nil || r.Count != 2 || r.Interval != time.Second || r.Backoff != 1 {
		t.Errorf("retry: 2 = %+v, want count 2, interval 1s, backoff 1", r)
	}
	if f := c.Steps[2].Fail(); f == nil || f.Message.Raw != "giving up" || c.Steps[2].Request() != nil {
		t.Errorf("fail step = %+v", c.Steps[2])
	}
	if len(c.Finally) != 1 || c.Finally[0].Name != "cleanup" {
		t.Errorf("finally = %v", c.Finally)
	}
}

func TestParseFlowErrors(t *testing.T) {
	tests := []struct {
		name, step, want string
	}{
		{"retry count not a number", "GET: https://x\n    retry: { count: many }", "retry count must be a whole number from 1 to 1000"},
		{"retry count too large", "GET: https://x\n    retry: 5000", "retry must be a whole number from 1 to 1000"},
		{"retry unknown key", "GET: https://x\n    retry: { tries: 2 }", `unknown key "tries" in retry`},
		{"backoff out of range", "GET: https://x\n    retry: { count: 2, backoff: 0.5 }", "retry backoff must be a number from 1 to 10"},
		{"bad delay", "GET: https://x\n    delay: soon", `invalid duration "soon" for delay`},
		{"until not an expression", "GET: https://x\n    until: 3", "until must be an expression string"},
		{"fail with a request key", "fail: stop\n    headers: { A: b }", "headers: is not allowed on a fail: step"},
		{"fail beside a request", "GET: https://x\n    fail: stop", "has more than one request"},
		{"undefined name in fail", "fail: \"{{ nope }}\"", `undefined variable "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "name: bad\nsteps:\n  - name: s\n    " + tt.step + "\n"
			_, err := Parse("bad.yaml", []byte(src), Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%q) error = %v, want %q", src, err, tt.want)
			}
		})
	}
}
