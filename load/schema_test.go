package load

import (
	"bytes"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var schemaFile = filepath.Join("..", "docs", "load-summary.schema.json")

// TestSummaryMatchesSchema validates the summary of a real run, one with
// thresholds and failures, and a merge against the documented schema.
func TestSummaryMatchesSchema(t *testing.T) {
	sch, err := jsonschema.NewCompiler().Compile(schemaFile)
	if err != nil {
		t.Fatalf("compile %s: %v", schemaFile, err)
	}
	srv := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	ran := run(t, srv, "steps:\n  - GET: \"{{ base }}/x\"\n", Scenario{Executor: ConstantArrivalRate, Rate: 50, Duration: 100 * time.Millisecond})
	th, _ := ParseThreshold("me: p99 < 1s")
	a, b := fed(t, Segment{K: 1, N: 2}, events(50), []Threshold{th}), fed(t, Segment{K: 2, N: 2}, events(60), []Threshold{th})
	a.Aborted = "interrupted"
	merged, err := Merge([]*Summary{a, b}, []Threshold{th})
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*Summary{"a run": ran, "a segment": a, "a merge": merged} {
		var buf bytes.Buffer
		if err := s.WriteJSON(&buf); err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(doc); err != nil {
			t.Errorf("%s does not match %s: %v", name, schemaFile, err)
		}
	}
}
