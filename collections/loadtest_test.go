package collections

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestLoadKey(t *testing.T) {
	src := `name: api
steps:
  - name: me
    GET: http://example.test/me
load:
  executor: ramping-arrival-rate
  start_rate: 10
  max_vus: 50
  stages:
    - {duration: 30s, target: 200}
    - {duration: 1m, target: 200.5}
  graceful_stop: 5s
  abort_on_fail: 10s
  thresholds:
    - p95 < 200ms
    - me: p99 < 1s
    - me: ["checks > 99%", "errors == 0"]
`
	c, err := Parse("api.yaml", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	lt := c.Load
	if lt == nil || lt.Executor != "ramping-arrival-rate" || lt.StartRate != 10 || lt.MaxVUs != 50 ||
		lt.GracefulStop != 5*time.Second || lt.AbortOnFail != 10*time.Second || len(lt.Stages) != 2 || lt.Stages[1].Target != 200.5 {
		t.Fatalf("Load = %+v", lt)
	}
	var got []string
	for _, th := range lt.Thresholds {
		got = append(got, th.Step+"|"+th.Text+"|"+th.Pos.String())
	}
	want := "|p95 < 200ms|api.yaml:15:7 me|p99 < 1s|api.yaml:16:11 me|checks > 99%|api.yaml:17:12 me|errors == 0|api.yaml:17:28"
	if strings.Join(got, " ") != want {
		t.Errorf("thresholds = %q\nwant %q", strings.Join(got, " "), want)
	}
}

func TestLoadKeyErrors(t *testing.T) {
	tests := []struct{ load, want string }{
		{"load: 5", "1:7: load must be a mapping"},
		{"load: {vus: -1}", "vus must be a whole number of 0 or more"},
		{"load: {vus: 2.5}", "vus must be a whole number"},
		{"load: {rate: fast}", "rate must be a number of 0 or more"},
		{"load: {duration: 10}", "duration must be a duration"},
		{"load: {stages: [{duration: 1s}]}", "a stage needs both duration and target"},
		{"load: {stages: [{duration: 1s, target: 1, hold: 2}]}", `unknown key "hold" in stage`},
		{"load: {thresholds: [{mee: p95 < 1s}]}", `threshold of step "mee", which the collection does not have (did you mean "me"?)`},
		{"load: {vsu: 5}", `unknown key "vsu" in load`},
	}
	for _, tt := range tests {
		src := tt.load + "\nsteps:\n  - name: me\n    GET: http://example.test/\n"
		_, err := Parse("c.yaml", []byte(src), Options{})
		var list ErrorList
		if !errors.As(err, &list) || !strings.Contains(list.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.load, err, tt.want)
		}
	}
}
