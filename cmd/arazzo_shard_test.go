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

// TestArazzoShardTimings runs the four workflows of a document once with
// --report-json, sets their durations in that report, and checks that
// --shard-timings deals them by those durations: the long workflow alone
// in one share, where round-robin deals two and two (a, c and b, d).
func TestArazzoShardTimings(t *testing.T) {
	srv := newRecorder(t, 200, `{}`)
	var doc strings.Builder
	doc.WriteString("arazzo: 1.0.1\ninfo: {title: four, version: \"1\"}\nsourceDescriptions:\n  - {name: base, url: openapi.yaml, type: openapi}\nworkflows:\n")
	for _, id := range []string{"a", "b", "c", "d"} {
		fmt.Fprintf(&doc, "  - workflowId: %s\n    steps:\n      - stepId: get\n        operationId: other\n", id)
	}
	dir := writeFiles(t, t.TempDir(), map[string]string{"four.arazzo.yaml": doc.String(), "openapi.yaml": loopOpenAPI})
	file := filepath.Join(dir, "four.arazzo.yaml")
	base := "base=" + srv.URL
	timings := filepath.Join(t.TempDir(), "timings.json")
	if r := callsheet(t, nil, "run", "--var", base, "--report-json", timings, "--iterations", "2", file); r.code != ExitOK {
		t.Fatalf("first run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	setWorkflowDurations(t, timings, map[string]float64{"a": 150, "b": 50, "c": 50, "d": 50})

	for _, tt := range []struct {
		shard, timings string
		want           []string
	}{
		{"1/2", "", []string{"a=passed", "c=passed"}},
		{"2/2", "", []string{"b=passed", "d=passed"}},
		{"1/2", timings, []string{"a=passed"}},
		{"2/2", timings, []string{"b=passed", "c=passed", "d=passed"}},
	} {
		out := filepath.Join(t.TempDir(), "r.json")
		args := []string{"run", "--var", base, "--shard", tt.shard, "--report-json", out, file}
		if tt.timings != "" {
			args = append(args, "--shard-timings", tt.timings)
		}
		r := callsheet(t, nil, args...)
		if r.code != ExitOK {
			t.Fatalf("%v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
		if got := collectionNames(readJSONReport(t, out)); !slices.Equal(got, tt.want) {
			t.Errorf("--shard %s (timings %q) ran %v, want %v", tt.shard, tt.timings, got, tt.want)
		}
	}
}

// setWorkflowDurations rewrites the duration_ms of each run of the JSON
// report file by its workflowId, the name without its iteration.
func setWorkflowDurations(t *testing.T, file string, ms map[string]float64) {
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
	for _, c := range cols {
		c := c.(map[string]any)
		id, _, _ := strings.Cut(fmt.Sprint(c["name"]), " [")
		d, ok := ms[id]
		if !ok {
			t.Fatalf("report names an unexpected workflow %v", c["name"])
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
