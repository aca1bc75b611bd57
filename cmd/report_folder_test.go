package cmd

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReportFoldersCreated checks that report folders are created as
// needed, and that a folder that cannot be made is named, never a
// temporary file.
func TestReportFoldersCreated(t *testing.T) {
	srv := newRecorder(t, 200, `{}`)
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"ok.yaml": "steps:\n  - GET: \"{{ base_url }}/\"\n",
		"blocker": "a file where a folder would go\n",
	})
	col := filepath.Join(dir, "ok.yaml")
	var args []string
	var files []string
	for _, flag := range []string{"--report-junit", "--report-json", "--report-tap", "--report-html", "--har"} {
		f := filepath.Join(dir, "out", strings.TrimPrefix(flag, "--"), "report")
		args, files = append(args, flag, f), append(files, f)
	}
	got := callsheet(t, nil, append(append([]string{"run", "--var", "base_url=" + srv.URL}, args...), col)...)
	if got.code != ExitOK {
		t.Fatalf("run with reports in new folders = exit %d\n%s%s", got.code, got.stdout, got.stderr)
	}
	for _, f := range files {
		if info, err := os.Stat(f); err != nil || info.Size() == 0 {
			t.Errorf("report %s: %v, want it written", f, err)
		}
	}

	tempName := regexp.MustCompile(`\.part|\.tmp|callsheet-part|\.\w+\.\d+`)
	for _, flag := range []string{"--report-junit", "--report-json", "--report-tap", "--report-html", "--har"} {
		bad := filepath.Join(dir, "blocker", "report.out")
		got := callsheet(t, nil, "run", "--var", "base_url="+srv.URL, flag, bad, col)
		if got.code == ExitOK || !strings.Contains(got.stderr, bad+": not a directory") {
			t.Errorf("run %s %s = exit %d, stderr %q; want an error naming the report and why", flag, bad, got.code, got.stderr)
		}
		if m := tempName.FindString(got.stderr); m != "" {
			t.Errorf("run %s %s: stderr names a temporary file (%q):\n%s", flag, bad, m, got.stderr)
		}
	}
}
