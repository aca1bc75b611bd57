package runner

import (
	"context"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

// TestChainAllocations runs the five requests of chainCollection against
// a loopback server and counts the allocations of the process (the
// server's too): a ceiling well above what a run costs now (683) and
// below what it cost before its hot path was trimmed (892), so that a
// change that brings the old costs back fails.
func TestChainAllocations(t *testing.T) {
	const ceiling = 800
	ts := newChainServer(t)
	vars := map[string]any{"base": ts.URL, "client_id": "bench-client", "client_secret": "bench-secret-4f1c", "company_id": int64(4264807)}
	c, err := collections.Parse("chain.yaml", []byte(chainCollection), collections.Options{Defined: []string{"base", "client_id", "client_secret", "company_id"}})
	if err != nil {
		t.Fatal(err)
	}
	r := New(ts.Client())
	opts := Options{Vars: vars, Retention: Retention{Summaries: true}}
	run := func() {
		if res := r.Run(context.Background(), c, opts); res.Dropped[Passed] != chainSteps {
			t.Fatalf("passed %d of %d steps: %v", res.Dropped[Passed], chainSteps, res.Steps)
		}
	}
	run() // connections made, lazy state built
	if n := testing.AllocsPerRun(50, run); n > ceiling {
		t.Errorf("a run of %d requests made %.0f allocations, want at most %d", chainSteps, n, ceiling)
	}
}
