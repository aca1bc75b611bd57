package cmd

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/report"
	"github.com/callsheet/callsheet/runner"
)

func TestRetention(t *testing.T) {
	tests := []struct {
		name     string
		opts     runOptions
		want     retention
		wantKeep bool // runner.Options.KeepBodies
		// wantSummaries is runner.Options.Summaries: passed steps'
		// details go once printed.
		wantSummaries bool
	}{
		{"no consumer keeps problems only", runOptions{}, retention{}, false, true},
		{"-v shows no bodies", runOptions{verbose: 1}, retention{}, false, true},
		{"-vv shows bodies live", runOptions{verbose: 2}, retention{}, true, true},
		{"JUnit is streamed", runOptions{ci: ciOptions{junit: "r.xml"}}, retention{}, false, true},
		{"TAP is streamed", runOptions{ci: ciOptions{tap: "r.tap"}}, retention{}, false, true},
		{"JSON report is streamed, with bodies", runOptions{ci: ciOptions{json: "r.json"}}, retention{}, true, true},
		{"HTML report is streamed, with bodies", runOptions{ci: ciOptions{html: "r.html"}}, retention{}, true, true},
		{"HAR keeps details and bodies", runOptions{har: harOptions{file: "r.har"}}, retention{details: true}, true, false},
		{"record keeps exchanges, not step bodies", runOptions{loop: loopOptions{record: true}}, retention{details: true}, false, false},
		{"state keeps the state", runOptions{loop: loopOptions{state: optionalPath{set: true}}}, retention{state: true}, false, true},
		{"watch compares steps and keeps state", runOptions{loop: loopOptions{watch: true}}, retention{details: true, state: true}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.opts.retention(); got != tt.want {
				t.Errorf("retention() = %+v, want %+v", got, tt.want)
			}
			if got := tt.opts.keepBodies(); got != tt.wantKeep {
				t.Errorf("keepBodies() = %v, want %v", got, tt.wantKeep)
			}
			if got := tt.opts.summaries(); got != tt.wantSummaries {
				t.Errorf("summaries() = %v, want %v", got, tt.wantSummaries)
			}
		})
	}
}

// compactFixture is a result with a passed, a failed and a skipped step,
// each holding everything a run can keep.
func compactFixture() *runner.Result {
	full := func(name string, o runner.Outcome) *runner.StepResult {
		return &runner.StepResult{
			Name: name, Outcome: o,
			Request:  &exchange.Request{Method: "GET", URL: "http://x/" + name, Header: exchange.Header{{Name: "A", Value: "1"}}, Body: []byte("q"), BodySize: 1},
			Response: &exchange.Response{Status: 200, Header: exchange.Header{{Name: "B", Value: "2"}}, Body: []byte("p"), Size: 1},
			Checks:   []*runner.CheckResult{{Subject: "status", Passed: o == runner.Passed}},
			Captures: []*runner.CaptureResult{{Name: "id"}},
		}
	}
	return &runner.Result{
		Name:      "c",
		Steps:     []*runner.StepResult{full("ok", runner.Passed), full("bad", runner.Failed), {Name: "later", Outcome: runner.Skipped}},
		State:     &runner.State{},
		Exchanges: []*runner.Exchange{{}},
	}
}

func TestRetentionCompact(t *testing.T) {
	// describe says what a compacted result holds, one word per step.
	describe := func(res *runner.Result) string {
		var parts []string
		for _, s := range res.Steps {
			p := s.Name + ":"
			if q := s.Request; q != nil {
				p += "req"
				if q.Header != nil || q.Body != nil {
					p += "+"
				}
			}
			if r := s.Response; r != nil {
				p += fmt.Sprintf("/%d", r.Status)
				if r.Header != nil || r.Body != nil {
					p += "+"
				}
			}
			if len(s.Checks) > 0 || len(s.Captures) > 0 {
				p += "/checks"
			}
			parts = append(parts, p)
		}
		return fmt.Sprintf("%s state=%v exchanges=%d", strings.Join(parts, " "), res.State != nil, len(res.Exchanges))
	}
	tests := []struct {
		name string
		k    retention
		want string
	}{
		{"summary keeps the steps that did not pass, whole", retention{}, "bad:req+/200+/checks state=false exchanges=0"},
		{"details keeps everything", retention{details: true}, "ok:req+/200+/checks bad:req+/200+/checks later: state=false exchanges=1"},
		{"state keeps the state", retention{state: true}, "bad:req+/200+/checks state=true exchanges=0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := compactFixture()
			if kept := tt.k.compact(res); kept != res {
				t.Fatalf("compact(%+v) returned %p, want the result it compacted", tt.k, kept)
			}
			if got := describe(res); got != tt.want {
				t.Errorf("compact(%+v) left %q, want %q", tt.k, got, tt.want)
			}
			if code := resultCode(res); code != ExitFailed {
				t.Errorf("resultCode after compact = %d, want %d", code, ExitFailed)
			}
		})
	}
}

// TestRetentionPassedKeepsNothing checks that a result whose steps all
// passed compacts to nothing, unless details, the state or an error must
// stay.
func TestRetentionPassedKeepsNothing(t *testing.T) {
	passedRun := func() *runner.Result {
		res := compactFixture()
		res.Steps = res.Steps[:1] // the passed step only
		return res
	}
	tests := []struct {
		name     string
		k        retention
		err      error
		wantKept bool
	}{
		{"passed keeps nothing", retention{}, nil, false},
		{"details keep it", retention{details: true}, nil, true},
		{"state keeps it", retention{state: true}, nil, true},
		{"a run that could not start keeps its error", retention{}, errors.New("var x: env.X is not set"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := passedRun()
			res.Err = tt.err
			kept := tt.k.compact(res)
			if (kept != nil) != tt.wantKept {
				t.Fatalf("compact(%+v) = %v, want kept %v", tt.k, kept, tt.wantKept)
			}
			if kept != nil && tt.err != nil && (kept.Err != tt.err || resultCode(kept) != ExitError) {
				t.Errorf("kept result lost its error: %v", kept.Err)
			}
		})
	}
}

// TestRetentionReports runs a collection several times and checks that
// the reports still get what they document once results are compacted:
// every step in JUnit, passed steps' bodies in the JSON report.
func TestRetentionReports(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/bad" {
			w.WriteHeader(http.StatusNotFound)
		}
		io.WriteString(w, `{"marker":"kept-body"}`)
	}))
	t.Cleanup(srv.Close)
	dir := writeFiles(t, t.TempDir(), map[string]string{"c.yaml": `name: c
steps:
  - name: good
    GET: "{{ base }}/good"
    expect: {status: 200}
  - name: bad
    GET: "{{ base }}/bad"
    expect: {status: 200}
`})
	junit, jsonRep := filepath.Join(dir, "r.xml"), filepath.Join(dir, "r.json")
	out := callsheet(t, nil, "run", "--quiet", "--continue", "--jobs", "1", "--iterations", "3", "--var", "base="+srv.URL,
		"--report-junit", junit, filepath.Join(dir, "c.yaml"))
	if out.code != ExitFailed || !strings.Contains(out.stdout, "3 passed, 3 failed") {
		t.Fatalf("run with --report-junit = %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	x, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(x), `<testcase name="good"`); n != 3 {
		t.Errorf("JUnit report has %d passed testcases, want 3:\n%s", n, x)
	}
	out = callsheet(t, nil, "run", "--quiet", "--continue", "--jobs", "1", "--iterations", "2", "--var", "base="+srv.URL,
		"--report-json", jsonRep, filepath.Join(dir, "c.yaml"))
	if out.code != ExitFailed {
		t.Fatalf("run with --report-json = %d\n%s%s", out.code, out.stdout, out.stderr)
	}
	rep, err := os.Open(jsonRep)
	if err != nil {
		t.Fatal(err)
	}
	defer rep.Close()
	doc, err := report.ReadJSON(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range doc.Collections {
		for _, s := range c.Steps {
			if s.Response == nil || !strings.Contains(s.Response.Body.Text, "kept-body") || len(s.Response.Headers) == 0 || len(s.Checks) == 0 {
				t.Errorf("JSON report, %s / %s: response %+v, checks %d; want the body, headers and checks", c.Name, s.Name, s.Response, len(s.Checks))
			}
		}
	}
}
