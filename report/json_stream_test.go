package report

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/callsheet/callsheet/runner"
)

// wholeJSONReport converts results to the JSON report's document at
// once, the reference the streamed bytes are compared with.
func wholeJSONReport(results []*runner.Result) *JSONReport {
	f := newJSONFormat()
	sums := make([]*collectionSum, len(results))
	for i, r := range results {
		p, err := partOf(f, r)
		if err != nil {
			panic(err)
		}
		sums[i] = &p.sum
		f.add(r, sums[i])
	}
	rep := f.report()
	for i, r := range results {
		jc := jsonCollectionHead(r, sums[i])
		for _, s := range r.Steps {
			jc.Steps = append(jc.Steps, jsonStep(s))
		}
		rep.Collections = append(rep.Collections, jc)
	}
	return rep
}

func TestJSONStreamsTheEncodedDocument(t *testing.T) {
	tests := []struct {
		name    string
		results []*runner.Result
	}{
		{"no collections", nil},
		{"fixture", fixture()},
		{"several with markup", append(fixture(), &runner.Result{Name: "<b>&", File: "x.yaml", Start: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}, &runner.Result{Name: "empty"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetIndent("", "  ")
			if err := enc.Encode(wholeJSONReport(tt.results)); err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := JSON(&got, tt.results); err != nil {
				t.Fatalf("JSON() error = %v", err)
			}
			if got.String() != want.String() {
				t.Errorf("JSON() wrote\n%s\nwant (json.Encoder of the whole document)\n%s", got.String(), want.String())
			}
		})
	}
}
