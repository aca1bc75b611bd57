package cmd

import (
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/report"
)

// readJSONReport reads a JSON report a run wrote.
func readJSONReport(t *testing.T, file string) *report.JSONReport {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := report.ReadJSON(f)
	if err != nil {
		t.Fatalf("ReadJSON(%s): %v", file, err)
	}
	return rep
}

func collectionNames(rep *report.JSONReport) []string {
	var names []string
	for _, c := range rep.Collections {
		names = append(names, c.Name+"="+c.Outcome)
	}
	return names
}

func TestRunReports(t *testing.T) {
	srv := newRecorder(t, 200, `{"name":"<script>x</script>","count":2}`)
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"items.yaml": itemsCollection,
		"ok.yaml":    passing("ok"),
	})
	out := filepath.Join(dir, "out")
	os.Mkdir(out, 0o755)
	res := callsheet(t, map[string]string{"GITHUB_ACTIONS": "true"}, "run", "--continue", "--var", "base_url="+srv.URL,
		"--report-junit", filepath.Join(out, "r.xml"), "--report-json", filepath.Join(out, "r.json"),
		"--report-tap", filepath.Join(out, "r.tap"), "--report-html", filepath.Join(out, "r.html"),
		filepath.Join(dir, "items.yaml"), filepath.Join(dir, "ok.yaml"))
	if res.code != ExitFailed {
		t.Fatalf("exit code = %d, want %d\n%s%s", res.code, ExitFailed, res.stdout, res.stderr)
	}
	rep := readJSONReport(t, filepath.Join(out, "r.json"))
	if got, want := collectionNames(rep), []string{"items=failed", "ok=passed"}; !slices.Equal(got, want) {
		t.Errorf("JSON collections = %v, want %v", got, want)
	}
	x, _ := os.ReadFile(filepath.Join(out, "r.xml"))
	var suites struct {
		Suites []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name     string `xml:"name,attr"`
				Failures []struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(x, &suites); err != nil {
		t.Fatalf("JUnit report: %v", err)
	}
	if len(suites.Suites) != 2 || len(suites.Suites[0].Cases) != 2 || len(suites.Suites[0].Cases[0].Failures) == 0 {
		t.Errorf("JUnit report shape wrong:\n%s", x)
	}
	tap, _ := os.ReadFile(filepath.Join(out, "r.tap"))
	if !strings.HasPrefix(string(tap), "TAP version 14\n1..3\n") || !strings.Contains(string(tap), "not ok 1 - items / create") {
		t.Errorf("TAP report:\n%s", tap)
	}
	page, _ := os.ReadFile(filepath.Join(out, "r.html"))
	if strings.Count(string(page), "<script>") != 1 || !strings.Contains(string(page), "&lt;script&gt;") { // the page's own script only
		t.Errorf("HTML report does not escape the response body")
	}
	if !strings.Contains(res.stdout, "::error file="+filepath.Join(dir, "items.yaml")+",line=") {
		t.Errorf("no GitHub annotation under GITHUB_ACTIONS=true:\n%s", res.stdout)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 4 {
		t.Errorf("report folder holds %d files, want 4 (no temporary left)", len(entries))
	}
}

func TestRunShardRerunSelection(t *testing.T) {
	srv := newRecorder(t, 200, `{}`)
	files := map[string]string{"b_fail.yaml": strings.Replace(passing("b"), "status: 200", "status: 201", 1)}
	for _, n := range []string{"a", "c", "d", "e"} {
		files[n+".yaml"] = passing(n)
	}
	dir := writeFiles(t, t.TempDir(), files)
	base := "base_url=" + srv.URL
	jsonFile := filepath.Join(t.TempDir(), "r.json")

	var all []string
	for k := 1; k <= 2; k++ {
		r := callsheet(t, nil, "run", "--var", base, "--shard", fmt.Sprintf("%d/2", k), "--report-json", jsonFile, dir)
		for _, c := range readJSONReport(t, jsonFile).Collections {
			all = append(all, filepath.Base(c.File))
		}
		if r.code != ExitOK && r.code != ExitFailed {
			t.Fatalf("--shard %d/2: exit %d\n%s", k, r.code, r.stderr)
		}
	}
	slices.Sort(all)
	if want := []string{"a.yaml", "b_fail.yaml", "c.yaml", "d.yaml", "e.yaml"}; !slices.Equal(all, want) {
		t.Errorf("shards 1/2 and 2/2 ran %v, want every file once: %v", all, want)
	}

	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     []string
	}{
		{"rerun failed", []string{"--rerun-failed", jsonFile + ".all"}, ExitFailed, []string{"b=failed"}},
		{"only a step glob", []string{"--only", "get [ae]"}, ExitOK, []string{"a=passed", "e=passed"}},
		{"only a collection file", []string{"--only", "b_*"}, ExitFailed, []string{"b=failed"}},
		{"skip collections", []string{"--skip", "b", "--skip", "c"}, ExitOK, []string{"a=passed", "d=passed", "e=passed"}},
		{"bail stops at the first failure", []string{"--bail", "--jobs", "1"}, ExitFailed, []string{"a=passed", "b=failed", "c=not run", "d=not run", "e=not run"}},
		{"iterations", []string{"--iterations", "2", "--only", "a"}, ExitOK, []string{"a [iteration 1]=passed", "a [iteration 2]=passed"}},
	}
	// A full run's report, for --rerun-failed.
	callsheet(t, nil, "run", "--var", base, "--report-json", jsonFile+".all", dir)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"run", "--var", base, "--report-json", jsonFile}, tt.args...)
			r := callsheet(t, nil, append(args, dir)...)
			if r.code != tt.wantCode {
				t.Errorf("exit code = %d, want %d\n%s%s", r.code, tt.wantCode, r.stdout, r.stderr)
			}
			if got := collectionNames(readJSONReport(t, jsonFile)); !slices.Equal(got, tt.want) {
				t.Errorf("ran %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRunDataAndEnv(t *testing.T) {
	srv := newRecorder(t, 200, `{}`)
	coll := "name: users\nsteps:\n  - name: get\n    GET: \"{{ base_url }}/{{ user }}/{{ n }}\"\n    expect:\n      status: 200\n"
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"users.yaml":       coll,
		"rows.csv":         "user,n\nann,1\nbob,2\n",
		"rows.json":        `[{"user": "cid", "n": 3}]`,
		"env/staging.yaml": "base_url: " + srv.URL + "\nuser: fromenv\nn: 9\n",
		"env/dev.env":      "base_url=" + srv.URL + "\nuser=dotenv\nn=8\n",
	})
	jsonFile := filepath.Join(t.TempDir(), "r.json")
	in := func(n string) string { return filepath.Join(dir, n) }
	t.Setenv("CALLSHEET_VAR_n", "7")
	env := func(k string) (string, bool) { return os.LookupEnv(k) }
	tests := []struct {
		name      string
		args      []string
		wantPaths []string
		wantNames []string
	}{
		{"csv rows in order", []string{"--var", "base_url=" + srv.URL, "--data", in("rows.csv"), "--jobs", "1"}, []string{"/ann/1", "/bob/2"}, []string{"users [row 1]=passed", "users [row 2]=passed"}},
		{"json rows", []string{"--var", "base_url=" + srv.URL, "--data", in("rows.json")}, []string{"/cid/3"}, []string{"users [row 1]=passed"}},
		{"env yaml, CALLSHEET_VAR_ over it, --var over both", []string{"--env", "staging", "--var", "user=cli"}, []string{"/cli/7"}, []string{"users=passed"}},
		{"env dotenv", []string{"--env", "dev"}, []string{"/dotenv/7"}, []string{"users=passed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _, _ := srv.seen()
			var stdout, stderr strings.Builder
			args := append([]string{"callsheet", "run", "--report-json", jsonFile}, tt.args...)
			code := Main(t.Context(), append(args, in("users.yaml")), strings.NewReader(""), &stdout, &stderr, env)
			if code != ExitOK {
				t.Fatalf("exit code %d\n%s%s", code, stdout.String(), stderr.String())
			}
			after, _, _ := srv.seen()
			if got := after[len(before):]; !slices.Equal(got, tt.wantPaths) {
				t.Errorf("requested %v, want %v", got, tt.wantPaths)
			}
			if got := collectionNames(readJSONReport(t, jsonFile)); !slices.Equal(got, tt.wantNames) {
				t.Errorf("report names %v, want %v", got, tt.wantNames)
			}
		})
	}
	r := callsheet(t, nil, "run", "--env", "prod", in("users.yaml"))
	if r.code != ExitUsage || !strings.Contains(r.stderr, "no env/prod.yaml") {
		t.Errorf("--env prod: code %d, stderr %q; want a usage error naming env/prod.yaml", r.code, r.stderr)
	}
}

func TestRunParallelKeepsOrder(t *testing.T) {
	srv := newRecorder(t, 200, `{}`)
	files := map[string]string{}
	var args []string
	for i := range 8 {
		n := fmt.Sprintf("c%d", i)
		files[n+".yaml"] = passing(n)
	}
	dir := writeFiles(t, t.TempDir(), files)
	for i := range 8 {
		args = append(args, filepath.Join(dir, fmt.Sprintf("c%d.yaml", i)))
	}
	serial := callsheet(t, nil, append([]string{"run", "--jobs", "1", "--var", "base_url=" + srv.URL}, args...)...)
	parallel := callsheet(t, nil, append([]string{"run", "--jobs", "4", "--var", "base_url=" + srv.URL}, args...)...)
	if serial.code != ExitOK || parallel.code != ExitOK {
		t.Fatalf("exit codes %d and %d, want 0\n%s", serial.code, parallel.code, parallel.stdout)
	}
	if a, b := normalize(serial.stdout), normalize(parallel.stdout); a != b {
		t.Errorf("--jobs 4 output differs from --jobs 1:\n%s\nwant:\n%s", b, a)
	}
	quiet := callsheet(t, nil, append([]string{"run", "--quiet", "--var", "base_url=" + srv.URL}, args...)...)
	if got := strings.TrimSpace(normalize(quiet.stdout)); got != "8 passed, 0 failed, 0 skipped in DUR" {
		t.Errorf("--quiet printed %q, want only the summary", got)
	}
}

func TestRunTags(t *testing.T) {
	srv := newRecorder(t, 200, `{}`)
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"a.yaml": "name: a\ntags: [smoke]\nsteps:\n  - name: a1\n    GET: \"{{ base_url }}/a1\"\n  - name: a2\n    GET: \"{{ base_url }}/a2\"\n",
		"b.yaml": "name: b\nsteps:\n  - name: b1\n    GET: \"{{ base_url }}/b1\"\n    tags: [slow]\n  - name: b2\n    GET: \"{{ base_url }}/b2\"\n",
		"c.yaml": passing("c"),
	})
	tests := []struct {
		tags []string
		want []string
	}{
		{[]string{"smoke"}, []string{"/a1", "/a2"}},
		{[]string{"slow"}, []string{"/b1"}},
		{[]string{"smoke", "slow"}, []string{"/a1", "/a2", "/b1"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.tags, ","), func(t *testing.T) {
			before, _, _ := srv.seen()
			args := []string{"run", "--jobs", "1", "--var", "base_url=" + srv.URL}
			for _, tag := range tt.tags {
				args = append(args, "--tag", tag)
			}
			if r := callsheet(t, nil, append(args, dir)...); r.code != ExitOK {
				t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			after, _, _ := srv.seen()
			if got := after[len(before):]; !slices.Equal(got, tt.want) {
				t.Errorf("--tag %v requested %v, want %v", tt.tags, got, tt.want)
			}
		})
	}
}

func TestRunFlagErrors(t *testing.T) {
	tests := []struct{ args []string }{
		{[]string{"--shard", "3/2"}},
		{[]string{"--shard", "x"}},
		{[]string{"--data", "missing.csv"}},
		{[]string{"--rerun-failed", "missing.json"}},
		{[]string{"--env", "../x"}},
	}
	dir := writeFiles(t, t.TempDir(), map[string]string{"a.yaml": "name: a\nsteps:\n  - name: x\n    GET: http://127.0.0.1:1/\n"})
	for _, tt := range tests {
		r := callsheet(t, nil, append(append([]string{"run"}, tt.args...), filepath.Join(dir, "a.yaml"))...)
		if r.code != ExitUsage {
			t.Errorf("run %v: exit code %d, want %d\n%s", tt.args, r.code, ExitUsage, r.stderr)
		}
	}
}
