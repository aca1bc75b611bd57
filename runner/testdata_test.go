package runner

import (
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/golden"
)

var update = flag.Bool("update", false, "rewrite testdata/*/*.golden")

// TestTestdata runs every collection under testdata/passed and
// testdata/failed against go-httpbin ({{ base }} is its URL). A passed
// collection must pass every step; a failed one must match its .golden
// summary, rewritten with go test ./runner -update.
func TestTestdata(t *testing.T) {
	base := newHTTPBin(t).URL
	files, err := filepath.Glob("testdata/[pf]*ed/*.yaml") // passed/ and failed/
	if err != nil || len(files) == 0 {
		t.Fatalf("no collections in testdata: %v", err)
	}
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			c, err := collections.Load(file, collections.Options{Defined: []string{"base"}})
			if err != nil {
				t.Fatalf("Load(%s) error = %v", file, err)
			}
			res := runColl(t, nil, c, Options{Vars: map[string]any{"base": base}})
			got := strings.ReplaceAll(summary(res), base, "<base>")
			if filepath.Base(filepath.Dir(file)) == "passed" {
				if n := res.Counts()[Passed]; n != len(res.Steps) || res.Err != nil {
					t.Fatalf("%d of %d steps passed:\n%s", n, len(res.Steps), got)
				}
				return
			}
			golden.Check(t, strings.TrimSuffix(file, ".yaml")+".golden", []byte(got), *update)
		})
	}
}

// summary renders a result as the golden files hold it: each step's
// outcome, then each check as subject, predicate, position, actual and
// expected.
func summary(res *Result) string {
	var b strings.Builder
	if res.Err != nil {
		fmt.Fprintf(&b, "error: %v\n", res.Err)
	}
	for _, s := range res.Steps {
		fmt.Fprintf(&b, "%s: %s", s.Name, s.Outcome)
		if s.Response != nil {
			fmt.Fprintf(&b, " (status %d)", s.Response.Status)
		}
		b.WriteString("\n")
		for _, c := range s.Checks {
			mark := "ok  "
			if !c.Passed {
				mark = "FAIL"
			}
			fmt.Fprintf(&b, "  %s %s %s at %d:%d: actual %s, expected %s", mark, c.Subject, c.Op, c.Pos.Line, c.Pos.Col, c.Actual, c.Expected)
			if c.Message != "" {
				fmt.Fprintf(&b, " (%s)", c.Message)
			}
			b.WriteString("\n")
		}
		if s.Err != nil {
			fmt.Fprintf(&b, "  error: %v\n", s.Err)
		}
	}
	return b.String()
}
