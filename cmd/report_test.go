package cmd

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/report"
)

// shardedSuite writes seven collection files with every outcome: passed,
// failed (then not run), errored (then not run) and skipped steps.
func shardedSuite(t *testing.T) string {
	t.Helper()
	refused := "name: refused\nsteps:\n  - name: ping\n    GET: http://" + closedPort(t) + "/ping\n  - name: after\n    GET: \"{{ base_url }}/after\"\n"
	skip := "name: skip\nsteps:\n  - name: never\n    if: 1 == 2\n    GET: \"{{ base_url }}/never\"\n  - name: then\n    GET: \"{{ base_url }}/then\"\n    expect: {status: 200}\n"
	return writeFiles(t, t.TempDir(), map[string]string{
		"a-pass.yaml":    passing("a"),
		"b-fail.yaml":    itemsCollection,
		"c-refused.yaml": refused,
		"d-skip.yaml":    skip,
		"e-pass.yaml":    passing("e"),
		"f-pass.yaml":    passing("f"),
		"g-pass.yaml":    passing("g"),
	})
}

// unstable matches what differs between two runs of the same collections:
// times, durations and the server's Date header.
var unstable = regexp.MustCompile(`("start": |"duration_ms": |time=|timestamp=)("[^"]*"|[-0-9.e+]+)|"Date": \[\s*"[^"]*"`)

func stable(b []byte) string {
	return unstable.ReplaceAllString(string(b), "${1}X")
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestReportMergeShards runs a suite whole and in three shards, merges the
// shards' JSON reports and checks the merged reports against the whole
// run's: the same collections in the same order with the same steps and
// outcomes (JSON and JUnit but for times, TAP byte for byte), each
// collection with its shard's duration, the run spanning the shards.
func TestReportMergeShards(t *testing.T) {
	srv := newRecorder(t, 200, `{"name":"gadget","count":2}`)
	suite := shardedSuite(t)
	out := t.TempDir()
	in := func(name string) string { return filepath.Join(out, name) }
	common := []string{"run", "--quiet", "--jobs", "2", "--iterations", "2", "--var", "base_url=" + srv.URL}
	whole := callsheet(t, nil, append(common, "--report-json", in("whole.json"), "--report-junit", in("whole.xml"), "--report-tap", in("whole.tap"), suite)...)
	if whole.code != ExitError {
		t.Fatalf("whole run = %d, want %d\n%s%s", whole.code, ExitError, whole.stdout, whole.stderr)
	}
	var shards []string
	for k := 3; k >= 1; k-- { // given out of order
		shard := in(fmt.Sprintf("shard-%d.json", k))
		res := callsheet(t, nil, append(common, "--shard", fmt.Sprintf("%d/3", k), "--report-json", shard, suite)...)
		if res.code == ExitUsage {
			t.Fatalf("shard %d/3 = %d\n%s%s", k, res.code, res.stdout, res.stderr)
		}
		shards = append(shards, shard)
	}
	merged := in("merged/deeper") // created by the merge
	res := callsheet(t, nil, append([]string{"report", "merge", "--json", filepath.Join(merged, "m.json"), "--junit", filepath.Join(merged, "m.xml"),
		"--report-tap", filepath.Join(merged, "m.tap"), "--html", filepath.Join(merged, "m.html")}, shards...)...)
	if res.code != ExitOK {
		t.Fatalf("report merge = %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	wantOut := "merged 3 reports: 14 collection runs; 10 passed, 2 failed, 2 errors, 4 not run, 2 skipped\n"
	if !strings.HasSuffix(res.stdout, wantOut) || strings.Count(res.stdout, "wrote ") != 4 {
		t.Errorf("report merge printed\n%s\nwant 4 lines wrote …, then %q", res.stdout, wantOut)
	}

	for _, f := range []struct{ whole, merged string }{{"whole.json", "m.json"}, {"whole.xml", "m.xml"}} {
		if got, want := stable(readFile(t, filepath.Join(merged, f.merged))), stable(readFile(t, in(f.whole))); got != want {
			t.Errorf("merged %s differs from the whole run's %s but for times:\n%s\nwant\n%s", f.merged, f.whole, got, want)
		}
	}
	if got, want := readFile(t, filepath.Join(merged, "m.tap")), readFile(t, in("whole.tap")); string(got) != string(want) {
		t.Errorf("merged TAP differs from the whole run's:\n%s\nwant\n%s", got, want)
	}

	// Durations and counts come from the shards.
	rep := readJSONReport(t, filepath.Join(merged, "m.json"))
	durations := map[string]float64{}
	var sum report.JSONSummary
	var first, last time.Time
	for _, s := range shards {
		sr := readJSONReport(t, s)
		sum.Passed, sum.Failed, sum.Errors = sum.Passed+sr.Summary.Passed, sum.Failed+sr.Summary.Failed, sum.Errors+sr.Summary.Errors
		sum.NotRun, sum.Skipped = sum.NotRun+sr.Summary.NotRun, sum.Skipped+sr.Summary.Skipped
		for _, c := range sr.Collections {
			durations[c.Name] = c.DurationMS
			// Rounded, as the merge reads it: milliseconds times 1000 can
			// fall just under a whole microsecond in floating point.
			end := c.Start.Add(time.Duration(math.Round(c.DurationMS*1000)) * time.Microsecond)
			if first.IsZero() || c.Start.Before(first) {
				first = *c.Start
			}
			if end.After(last) {
				last = end
			}
		}
	}
	for _, c := range rep.Collections {
		if c.DurationMS != durations[c.Name] {
			t.Errorf("merged %s took %v ms, want its shard's %v ms", c.Name, c.DurationMS, durations[c.Name])
		}
	}
	if rep.Summary != sum || rep.Summary != readJSONReport(t, in("whole.json")).Summary {
		t.Errorf("merged summary %+v, want the shards' sum %+v, as the whole run", rep.Summary, sum)
	}
	if span := float64(last.Sub(first).Microseconds()) / 1000; rep.DurationMS != span || !rep.Start.Equal(first) {
		t.Errorf("merged run spans %v ms from %v, want %v ms from %v", rep.DurationMS, rep.Start, span, first)
	}

	page := string(readFile(t, filepath.Join(merged, "m.html")))
	for _, want := range []string{"<dt>merged from</dt>", "shard-1.json", "<code>callsheet report merge --json", `<span class="passed">10 passed</span>`, "b-fail.yaml"} {
		if !strings.Contains(page, want) {
			t.Errorf("merged HTML does not contain %s", want)
		}
	}
	if got := strings.Count(page, `<section class="collection"`); got != 14 {
		t.Errorf("merged HTML has %d collections, want 14", got)
	}
}

func TestReportMergeErrors(t *testing.T) {
	srv := newRecorder(t, 200, `{}`)
	dir := writeFiles(t, t.TempDir(), map[string]string{"a.yaml": passing("a"), "bad.json": `{"version": 1,`, "old.json": `{"version": 0}`})
	in := func(name string) string { return filepath.Join(dir, name) }
	if res := callsheet(t, nil, "run", "--var", "base_url="+srv.URL, "--report-json", in("a.json"), in("a.yaml")); res.code != ExitOK {
		t.Fatalf("run = %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if err := os.Mkdir(in("taken"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no report", []string{"--json", in("m.json")}, ExitUsage, "missing REPORT.json"},
		{"no output", []string{in("a.json")}, ExitUsage, "no output: name one or more of --json, --junit, --tap and --html FILE"},
		{"a missing report", []string{"--json", in("m.json"), in("nope.json")}, ExitUsage, "nope.json: no such file"},
		{"a report that is not JSON", []string{"--json", in("m.json"), in("bad.json")}, ExitUsage, "bad.json: read JSON report: unexpected EOF"},
		{"another version", []string{"--json", in("m.json"), in("old.json")}, ExitUsage, "old.json: read JSON report: version 0, want 1"},
		{"one report twice", []string{"--json", in("m.json"), in("a.json"), in("a.json")}, ExitUsage, "is in both"},
		{"an output that is a folder", []string{"--json", in("taken"), in("a.json")}, ExitError, "write JSON report " + in("taken")},
		{"an unknown flag", []string{"--jsno", in("m.json"), in("a.json")}, ExitUsage, "did you mean --json?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Cleanup(func() { os.Remove(in("m.json")) })
			res := callsheet(t, nil, append([]string{"report", "merge"}, tt.args...)...)
			if res.code != tt.code || !strings.Contains(res.stderr, tt.want) {
				t.Errorf("report merge %q = %d\n%s\nwant %d and %q", tt.args, res.code, res.stderr, tt.code, tt.want)
			}
			if _, err := os.Stat(in("m.json")); err == nil {
				t.Errorf("report merge %q wrote a report", tt.args)
			}
		})
	}
}

// TestRunHTMLShowsTheRun checks the run's facts at the top of the HTML
// report, with the values of --var masked in the command line.
func TestRunHTMLShowsTheRun(t *testing.T) {
	srv := newRecorder(t, 200, `{}`)
	dir := writeFiles(t, t.TempDir(), map[string]string{"ok.yaml": passing("ok")})
	page := filepath.Join(dir, "r.html")
	secrets := []string{"s3cret-value-123", "zzz-secret-456"}
	res := callsheet(t, nil, "run", "--var", "base_url="+srv.URL, "--var", "token="+secrets[0], "--var="+"api_key="+secrets[1],
		"--report-html", page, filepath.Join(dir, "ok.yaml"))
	if res.code != ExitOK {
		t.Fatalf("run = %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	html := string(readFile(t, page))
	host, _ := os.Hostname()
	for _, want := range []string{
		"<dt>date</dt>",
		"<dt>version</dt><dd>" + version() + "</dd>",
		"<code>callsheet run --var &#39;base_url=***&#39; --var &#39;token=***&#39; &#39;--var=api_key=***&#39; --report-html " + page,
		"<dt>machine</dt><dd>" + host + " (",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML report does not contain %s", want)
		}
	}
	for _, s := range secrets {
		if strings.Contains(html, s) {
			t.Errorf("HTML report holds the --var value %q", s)
		}
	}
}
