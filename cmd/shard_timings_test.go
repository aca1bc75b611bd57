package cmd

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestRunShardTimings runs a folder once with --report-json, sets the
// durations in that report, and checks that --shard K/N --shard-timings
// reads them: the longest file alone in one share, the three short ones
// in the other, where round-robin would deal two and two.
func TestRunShardTimings(t *testing.T) {
	srv := newRecorder(t, 200, `{}`)
	files := map[string]string{}
	for _, n := range []string{"a", "b", "c", "d"} {
		files[n+".yaml"] = passing(n)
	}
	dir := writeFiles(t, t.TempDir(), files)
	base := "base_url=" + srv.URL
	timings := filepath.Join(t.TempDir(), "timings.json")
	if r := callsheet(t, nil, "run", "--var", base, "--report-json", timings, dir); r.code != ExitOK {
		t.Fatalf("first run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	setDurations(t, timings, map[string]float64{"a.yaml": 300, "b.yaml": 100, "c.yaml": 100, "d.yaml": 100})

	for _, tt := range []struct {
		shard string
		want  []string
	}{
		{"1/2", []string{"a=passed"}},
		{"2/2", []string{"b=passed", "c=passed", "d=passed"}},
	} {
		out := filepath.Join(t.TempDir(), "r.json")
		r := callsheet(t, nil, "run", "--var", base, "--shard", tt.shard, "--shard-timings", timings, "--report-json", out, dir)
		if r.code != ExitOK {
			t.Fatalf("--shard %s: exit %d\n%s%s", tt.shard, r.code, r.stdout, r.stderr)
		}
		if got := collectionNames(readJSONReport(t, out)); !slices.Equal(got, tt.want) {
			t.Errorf("--shard %s --shard-timings ran %v, want %v", tt.shard, got, tt.want)
		}
	}

	r := callsheet(t, nil, "run", "--var", base, "--shard", "1/2", "--shard-timings", filepath.Join(dir, "none.json"), dir)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "--shard-timings") || !strings.Contains(r.stderr, "none.json") {
		t.Errorf("--shard-timings of a missing file: exit %d, stderr %q; want %d naming the flag and the file", r.code, r.stderr, ExitUsage)
	}
}

// setDurations rewrites the duration_ms of each collection of the JSON
// report file, by the base name of its file.
func setDurations(t *testing.T, file string, ms map[string]float64) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	cols, _ := doc["collections"].([]any)
	if len(cols) != len(ms) {
		t.Fatalf("report has %d collections, want %d", len(cols), len(ms))
	}
	for _, c := range cols {
		c := c.(map[string]any)
		d, ok := ms[filepath.Base(fmt.Sprint(c["file"]))]
		if !ok {
			t.Fatalf("report names an unexpected file %v", c["file"])
		}
		c["duration_ms"] = d
	}
	if data, err = json.Marshal(doc); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
