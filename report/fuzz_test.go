package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/runner"
)

// fuzzResult builds a result whose every string comes from the fuzzer:
// a passed, a failed, an errored and a not-run step.
func fuzzResult(name, text string, body []byte, n int64) *runner.Result {
	pos := collections.Pos{File: name + ".yaml", Line: 3, Col: 5}
	return &runner.Result{
		Name:     name,
		File:     name + ".yaml",
		Start:    time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		Duration: time.Duration(n),
		Steps: []*runner.StepResult{
			{
				Name: text, Pos: pos, Outcome: runner.Passed,
				Request:  &exchange.Request{Method: "GET", URL: "http://h/" + text, Header: exchange.Header{{Name: "X", Value: text}}, Body: body, BodySize: int64(len(body))},
				Response: &exchange.Response{Status: 200, Header: exchange.Header{{Name: text, Value: text}}, Body: body, Size: int64(len(body))},
			},
			{
				Name: name, Pos: pos, Outcome: runner.Failed,
				Response: &exchange.Response{Status: int(n % 1000), Body: body},
				Checks: []*runner.CheckResult{{
					Pos: pos, Subject: "json " + text, Op: collections.OpEq,
					Expected: runner.Typed{Value: text}, Actual: runner.Typed{Value: n}, Message: text,
				}},
			},
			{Name: text + name, Pos: pos, Outcome: runner.Errored, Err: &runner.StepError{Step: text, Pos: pos, Method: "GET", URL: text, Err: errors.New(text)}},
			{Name: "", Pos: pos, Outcome: runner.NotRun},
		},
	}
}

// FuzzWriters checks that whatever the step results hold (control
// characters, invalid UTF-8, markup, huge numbers), the JUnit writer
// produces well-formed XML and the JSON writer valid JSON that ReadJSON
// reads back.
func FuzzWriters(f *testing.F) {
	f.Add("c", "step", []byte(`{"a":1}`), int64(12))
	f.Add("<x>&", "]]>\x00\x1b[31m\xff", []byte("\xff\xfe\x00binary"), int64(-1))
	f.Add("\u202e", "::set-output name=x::1\n##vso[x]", []byte("caf\xe9"), int64(1<<62))
	f.Fuzz(func(t *testing.T, name, text string, body []byte, n int64) {
		results := []*runner.Result{fuzzResult(name, text, body, n), {Name: text, File: name, Err: errors.New(text)}}

		var x bytes.Buffer
		if err := JUnit(&x, results); err != nil {
			t.Fatalf("JUnit error: %v", err)
		}
		dec := xml.NewDecoder(&x)
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("JUnit wrote malformed XML: %v\n%s", err, x.String())
			}
		}

		var j bytes.Buffer
		if err := JSON(&j, results); err != nil {
			t.Fatalf("JSON error: %v", err)
		}
		if !json.Valid(j.Bytes()) {
			t.Fatalf("JSON wrote invalid JSON:\n%s", j.String())
		}
		if _, err := ReadJSON(bytes.NewReader(j.Bytes())); err != nil {
			t.Fatalf("ReadJSON of the JSON report: %v", err)
		}
	})
}
