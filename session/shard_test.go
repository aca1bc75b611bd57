package session

import (
	"errors"
	"fmt"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

func TestShardPartitionsFiles(t *testing.T) {
	var cols []*collections.Collection
	for i := range 11 {
		cols = append(cols, &collections.Collection{Name: fmt.Sprint(i), File: fmt.Sprintf("c%02d.yaml", i)})
	}
	timings := map[string]float64{"c00.yaml": 5000, "c01.yaml": 10, "c02.yaml": 4000, "c05.yaml": 20, "c09.yaml": 3000}
	for _, tt := range []struct {
		name    string
		timings map[string]float64
	}{{"round robin", nil}, {"balanced by timings", timings}} {
		for n := 1; n <= 5; n++ {
			t.Run(fmt.Sprintf("%s %d shards", tt.name, n), func(t *testing.T) {
				seen := map[string]int{}
				for k := 1; k <= n; k++ {
					again := Shard{K: k, N: n, Timings: tt.timings}.apply(cols)
					for i, c := range (Shard{K: k, N: n, Timings: tt.timings}).apply(cols) {
						seen[c.File]++
						if again[i] != c {
							t.Errorf("Shard %d/%d is not deterministic", k, n)
						}
					}
				}
				for _, c := range cols {
					if seen[c.File] != 1 {
						t.Errorf("file %s is in %d shards, want exactly 1", c.File, seen[c.File])
					}
				}
			})
		}
	}
	// Balanced: the three long files land in three different shards of 3.
	where := map[string]int{}
	for k := 1; k <= 3; k++ {
		for _, c := range (Shard{K: k, N: 3, Timings: timings}).apply(cols) {
			where[c.File] = k
		}
	}
	if a, b, c := where["c00.yaml"], where["c02.yaml"], where["c09.yaml"]; a == b || b == c || a == c {
		t.Errorf("long files in shards %d, %d, %d; want three different shards", a, b, c)
	}
}

func TestParseShard(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Shard
		ok   bool
	}{
		{"1/1", Shard{K: 1, N: 1}, true},
		{"2/4", Shard{K: 2, N: 4}, true},
		{"3/2", Shard{}, false},
		{"0/2", Shard{}, false},
		{"x", Shard{}, false},
		{"1/", Shard{}, false},
	} {
		got, err := ParseShard(tt.in)
		var ie *InputError
		if tt.ok && (err != nil || got.K != tt.want.K || got.N != tt.want.N) || !tt.ok && !errors.As(err, &ie) {
			t.Errorf("ParseShard(%q) = %+v, %v; want %+v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestEarlierRuns(t *testing.T) {
	runs := []FileRun{
		{File: "a.yaml", Outcome: "passed", DurationMS: 10},
		{File: "a.yaml", Outcome: "failed", DurationMS: 5},
		{File: "b.yaml", Outcome: "skipped", DurationMS: 1},
		{File: "c.yaml", Outcome: "not run"},
		{File: "d.yaml", Outcome: "error", DurationMS: 2},
		{File: "e.yaml", Outcome: "passed", DurationMS: 3},
	}
	if got := NotPassed(runs); len(got) != 3 || !got["a.yaml"] || !got["c.yaml"] || !got["d.yaml"] {
		t.Errorf("NotPassed() = %v, want a (one run failed), c and d", got)
	}
	if got := Timings(runs); got["a.yaml"] != 15 || got["e.yaml"] != 3 {
		t.Errorf("Timings() = %v, want a 15 (both runs), e 3", got)
	}
}
