package runner

import (
	"net/http"
	"testing"
	"time"

	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/mask"
)

// TestSenderTimeout checks the order in which a request's timeout is
// taken: the step's, the collection's default, the run's, then 30s.
func TestSenderTimeout(t *testing.T) {
	sd := newSender(nil, Options{}, mask.New(), time.Now)
	if got := sd.timeout(0); got != defaultTimeout {
		t.Errorf("timeout with none set = %v, want %v", got, defaultTimeout)
	}
	sd.limits.Timeout = 3 * time.Second
	sd.collTimeout = 2 * time.Second
	if got := sd.timeout(0); got != 2*time.Second {
		t.Errorf("timeout = %v, want the collection's 2s over the run's", got)
	}
	if got := sd.timeout(time.Second); got != time.Second {
		t.Errorf("timeout = %v, want the step's 1s", got)
	}
	if sd.follow.Jar == nil || sd.follow.Jar != sd.noFollowClient().Jar || sd.follow == http.DefaultClient {
		t.Error("the sender's clients must be copies sharing one new cookie jar")
	}
}

// TestCheckerAndCapturer evaluates a step's checks and captures against a
// subject, without sending anything.
func TestCheckerAndCapturer(t *testing.T) {
	c := parse(t, `steps:
  - GET: https://example.test/
    expect:
      status: 2xx
      headers: {Content-Type: {contains: json}}
      json: {user.name: {matches: '^A'}, user.id: {gt: 100}}
    capture:
      id: user.id
      name: {regex: '"name":"(\w+)"'}
      key: {json: user.key, secret: true}
`)
	s := c.Steps[0]
	scope := eval.NewScope(nil)
	m := mask.New()
	subj := &subject{status: 200, header: http.Header{"Content-Type": {"application/json"}},
		body: []byte(`{"user":{"name":"Ada","id":42,"key":"k-123456"}}`)}
	checks, err := (&checker{scope: scope, mask: m}).checks(s.Expect, subj)
	if err != nil || len(checks) != 4 {
		t.Fatalf("checks = %d, %v; want 4", len(checks), err)
	}
	for i, want := range []bool{true, true, true, false} {
		if checks[i].Passed != want {
			t.Errorf("check %s %s passed = %v, want %v", checks[i].Subject, checks[i].Op, checks[i].Passed, want)
		}
	}
	secret := map[string]bool{}
	caps, err := (&capturer{scope: scope, mask: m, secret: secret}).captures(s.Captures, subj)
	if err != nil || len(caps) != 3 {
		t.Fatalf("captures = %d, %v; want 3", len(caps), err)
	}
	if v, _ := scope.Get("id"); v != int64(42) {
		t.Errorf("id = %v, want 42", v)
	}
	if v, _ := scope.Get("name"); v != "Ada" {
		t.Errorf("name = %v, want Ada", v)
	}
	if !secret["key"] || m.String("k-123456") != Mask {
		t.Error("the secret capture is not masked from then on")
	}
}
