package report

import (
	"bytes"
	"errors"
	"flag"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/internal/golden"
	"github.com/callsheet/callsheet/runner"
)

var update = flag.Bool("update", false, "update .golden files")

// start is the fixed start of the fixture runs, so goldens are stable.
var start = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func pos(line, col int) collections.Pos {
	return collections.Pos{File: "api/users.yaml", Line: line, Col: col}
}

// fixture is a run of two collections with every outcome: a pass, failed
// checks (comparisons and a starts_with), an errored step, a step not run,
// a collection that could not start, a secret capture, and hostile text
// (markup, control characters, invalid UTF-8, a workflow command,
// newlines).
func fixture() []*runner.Result {
	hostile := "<script>alert('x')</script>\n::set-env name=X::1\x1b[31m\xff, 100%: done"
	users := &runner.Result{
		Name:     "users & <admins>",
		File:     "api/users.yaml",
		Start:    start,
		Duration: 1500 * time.Millisecond,
		Steps: []*runner.StepResult{
			{
				Name: "login", Pos: pos(5, 5), Outcome: runner.Passed, Duration: 120 * time.Millisecond,
				Request: &exchange.Request{Method: "POST", URL: "http://127.0.0.1:8080/login",
					Header: exchange.Header{{Name: "Authorization", Value: "Bearer ***"}, {Name: "Content-Type", Value: "application/json"}},
					Body:   []byte(`{"user":"ann","password":"***"}`), BodySize: 31},
				Response: &exchange.Response{Status: 200, Proto: "HTTP/1.1",
					Header: exchange.Header{{Name: "Content-Type", Value: "application/json"}},
					Body:   []byte(`{"token":"***"}`), Size: 24, Duration: 100 * time.Millisecond},
				Checks: []*runner.CheckResult{
					{Pos: pos(8, 15), Subject: "status", Op: collections.OpEq, Expected: runner.Typed{Value: int64(200)}, Actual: runner.Typed{Value: int64(200)}, Passed: true},
				},
				Captures: []*runner.CaptureResult{{Pos: pos(10, 7), Name: "token", Value: runner.Typed{Value: "***"}, Secret: true}},
			},
			{
				Name: "list " + hostile, Pos: pos(12, 5), Outcome: runner.Failed, Duration: 250 * time.Millisecond,
				Request: &exchange.Request{Method: "GET", URL: "http://127.0.0.1:8080/users", Header: exchange.Header{}},
				Response: &exchange.Response{Status: 401, Proto: "HTTP/1.1",
					Header: exchange.Header{{Name: "Content-Type", Value: "text/html"}},
					Body:   []byte(hostile), Size: 4000, Truncated: true, Duration: 200 * time.Millisecond},
				Checks: []*runner.CheckResult{
					{Pos: pos(15, 15), Subject: "status", Op: collections.OpEq, Expected: runner.Typed{Value: int64(200)}, Actual: runner.Typed{Value: int64(401)}},
					{Pos: pos(17, 16), Subject: "json #", Op: collections.OpGte, Expected: runner.Typed{Value: int64(1)}, Actual: runner.Typed{Missing: true}, Message: "response body is not valid JSON"},
					{Pos: pos(18, 16), Subject: "body", Op: collections.OpContains, Expected: runner.Typed{Value: "ok"}, Actual: runner.Typed{Value: hostile}},
					{Pos: pos(19, 16), Subject: "header Content-Type", Op: collections.OpStartsWith, Expected: runner.Typed{Value: "application/json"}, Actual: runner.Typed{Value: "text/html"}},
				},
			},
			{
				Name: "delete", Pos: pos(20, 5), Outcome: runner.Errored, Duration: 30 * time.Millisecond,
				Request: &exchange.Request{Method: "DELETE", URL: "http://127.0.0.1:8080/users/1"},
				Err:     &runner.StepError{Step: "delete", Pos: pos(20, 5), Method: "DELETE", URL: "http://127.0.0.1:8080/users/1", Err: errors.New("connection refused")},
			},
			{Name: "audit", Pos: pos(23, 5), Outcome: runner.Skipped, SkipReason: `if: env == "prod" is false`},
			{Name: "logout", Pos: pos(25, 5), Outcome: runner.NotRun},
		},
	}
	broken := &runner.Result{
		Name:  "broken",
		File:  "api/broken.yaml",
		Start: start.Add(2 * time.Second),
		Err:   errors.New(`var "base": env.BASE is not set`),
		Steps: []*runner.StepResult{{Name: "ping", Pos: collections.Pos{File: "api/broken.yaml", Line: 4, Col: 5}, Outcome: runner.NotRun}},
	}
	return []*runner.Result{users, broken}
}

// checkGolden compares got with testdata/name, or rewrites it under -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got, *update)
}

func TestWritersGolden(t *testing.T) {
	tests := []struct {
		name  string
		write Writer
	}{
		{"report.junit.xml", JUnit},
		{"report.json", JSON},
		{"report.tap", TAP},
		{"report.html", HTML},
		{"report.github", GitHubAnnotations},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b, fixture()); err != nil {
				t.Fatalf("write: %v", err)
			}
			checkGolden(t, tt.name, b.Bytes())
		})
	}
}

// TestWritersEscapeHiddenText checks that a bidirectional override or a
// line separator in a name, a value or a message is shown as an escape in
// every report a person reads (JUnit, TAP, HTML, GitHub annotations), so
// it cannot reorder or hide the text around it; the JSON report keeps
// strings as they are, for programs.
func TestWritersEscapeHiddenText(t *testing.T) {
	hidden := "exe.\u202etxt\u2028x"
	res := []*runner.Result{{
		Name: "c " + hidden, File: "c.yaml", Start: start,
		Steps: []*runner.StepResult{{
			Name: "s " + hidden, Pos: collections.Pos{File: "c.yaml", Line: 3, Col: 5}, Outcome: runner.Failed,
			Checks: []*runner.CheckResult{{Pos: collections.Pos{File: "c.yaml", Line: 4, Col: 7}, Subject: "body", Op: collections.OpEq,
				Expected: runner.Typed{Value: "ok"}, Actual: runner.Typed{Value: hidden}}},
		}},
	}}
	for _, w := range []struct {
		name  string
		write Writer
	}{{"junit", JUnit}, {"tap", TAP}, {"html", HTML}, {"github", GitHubAnnotations}} {
		var b bytes.Buffer
		if err := w.write(&b, res); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		out := b.String()
		if strings.ContainsAny(out, "\u202e\u2028") || !strings.Contains(out, `exe.\u202etxt\u2028x`) {
			t.Errorf("%s report does not escape U+202E and U+2028:\n%s", w.name, out)
		}
	}
}
