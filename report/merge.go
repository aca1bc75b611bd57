package report

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/runner"
)

// Merge joins the JSON reports of the shards of one run (run --shard
// K/N) into the results of the whole run, for any writer. Each collection
// file runs in one shard only, so a file in two reports is an error;
// names[i] names reports[i] in it. The collections are ordered by file
// path, as a run of a folder orders them, and the runs of one file
// (iterations, data rows) keep the order of their report. The whole run
// spans from the earliest start to the latest end of its collections.
func Merge(reports []*JSONReport, names []string) ([]*runner.Result, error) {
	var all []*runner.Result
	from := map[string]int{} // file → the report that holds it
	for i, rep := range reports {
		results, err := rep.Results()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", names[i], err)
		}
		for _, r := range results {
			if j, ok := from[r.File]; ok && j != i {
				return nil, fmt.Errorf("collection file %s is in both %s and %s: give each shard's report once", r.File, names[j], names[i])
			}
			from[r.File] = i
		}
		all = append(all, results...)
	}
	slices.SortStableFunc(all, func(a, b *runner.Result) int { return strings.Compare(a.File, b.File) })
	return all, nil
}

// Results returns the results the report was written from, as far as it
// keeps them, so that a writer renders them again: JSON writes the same
// bytes. The report does not keep a response's protocol, the order of
// headers of different names (they come back sorted by name), the details
// of a failed check, the position of a capture or the bytes of text that
// were not UTF-8 (they became U+FFFD). Numbers in values are exact when
// the report was read by ReadJSON.
func (rep *JSONReport) Results() ([]*runner.Result, error) {
	out := make([]*runner.Result, 0, len(rep.Collections))
	for _, jc := range rep.Collections {
		d, err := fromMS(jc.DurationMS)
		if err != nil {
			return nil, fmt.Errorf("collection %q (%s): %w", jc.Name, jc.File, err)
		}
		r := &runner.Result{Name: jc.Name, File: jc.File, Duration: d}
		if jc.Start != nil {
			r.Start = *jc.Start
		}
		if jc.Error != "" {
			r.Err = errors.New(jc.Error)
		}
		for _, js := range jc.Steps {
			s, err := stepOf(js)
			if err != nil {
				return nil, fmt.Errorf("collection %q (%s), step %q: %w", jc.Name, jc.File, js.Name, err)
			}
			r.Steps = append(r.Steps, s)
		}
		out = append(out, r)
	}
	return out, nil
}

// outcomes are the outcomes by their names in a report.
var outcomes = func() map[string]runner.Outcome {
	m := map[string]runner.Outcome{}
	for _, o := range []runner.Outcome{runner.NotRun, runner.Passed, runner.Failed, runner.Errored, runner.Skipped} {
		m[o.String()] = o
	}
	return m
}()

// stepOf is the step a JSONStep was written from.
func stepOf(js JSONStep) (*runner.StepResult, error) {
	o, ok := outcomes[js.Outcome]
	if !ok {
		return nil, fmt.Errorf("unknown outcome %q", js.Outcome)
	}
	d, err := fromMS(js.DurationMS)
	if err != nil {
		return nil, err
	}
	s := &runner.StepResult{
		Name:       js.Name,
		Pos:        collections.Pos{File: js.File, Line: js.Line, Col: js.Column},
		Outcome:    o,
		Duration:   d,
		SkipReason: js.SkipReason,
	}
	if js.Error != "" {
		s.Err = errors.New(js.Error)
	}
	if q := js.Request; q != nil {
		s.Request = &exchange.Request{Method: q.Method, URL: q.URL, Header: headerOf(q.Headers), BodySize: q.Body.Size, Truncated: q.Body.Truncated}
		if s.Request.Body, err = bodyOf(q.Body); err != nil {
			return nil, fmt.Errorf("request body: %w", err)
		}
	}
	if p := js.Response; p != nil {
		s.Response = &exchange.Response{Status: p.Status, Header: headerOf(p.Headers), Size: p.Body.Size, Truncated: p.Body.Truncated}
		if s.Response.Duration, err = fromMS(p.DurationMS); err != nil {
			return nil, fmt.Errorf("response: %w", err)
		}
		if s.Response.Body, err = bodyOf(p.Body); err != nil {
			return nil, fmt.Errorf("response body: %w", err)
		}
	}
	for _, c := range js.Checks {
		ch := &runner.CheckResult{Pos: collections.Pos{File: js.File, Line: c.Line, Col: c.Column}, Subject: c.Subject, Op: collections.Op(c.Op), Passed: c.Passed, Message: c.Message}
		if ch.Expected, err = typedOf(c.Expected); err != nil {
			return nil, fmt.Errorf("check %s: expected: %w", c.Subject, err)
		}
		if ch.Actual, err = typedOf(c.Actual); err != nil {
			return nil, fmt.Errorf("check %s: actual: %w", c.Subject, err)
		}
		s.Checks = append(s.Checks, ch)
	}
	for _, c := range js.Captures {
		v, err := typedOf(c.Value)
		if err != nil {
			return nil, fmt.Errorf("capture %s: %w", c.Name, err)
		}
		s.Captures = append(s.Captures, &runner.CaptureResult{Name: c.Name, Secret: c.Secret, Value: v})
	}
	return s, nil
}

// maxMS bounds the milliseconds a time.Duration holds.
const maxMS = float64(math.MaxInt64 / int64(time.Millisecond))

// fromMS is the duration of ms milliseconds, to the microsecond a report
// keeps.
func fromMS(ms float64) (time.Duration, error) {
	if ms > maxMS || ms < -maxMS {
		return 0, fmt.Errorf("duration_ms %g is out of range", ms)
	}
	return time.Duration(math.Round(ms*1000)) * time.Microsecond, nil
}

// headerOf lists the fields of h, by name, each name's values in order.
func headerOf(h map[string][]string) exchange.Header {
	out := exchange.Header{}
	for _, name := range slices.Sorted(maps.Keys(h)) {
		for _, v := range h[name] {
			out = append(out, exchange.Field{Name: name, Value: v})
		}
	}
	return out
}

func bodyOf(b JSONBody) ([]byte, error) {
	if b.Base64 != "" {
		return base64.StdEncoding.DecodeString(b.Base64)
	}
	if b.Text == "" {
		return nil, nil
	}
	return []byte(b.Text), nil
}

// typedOf is the typed value v was written from. Its value, re-encoded,
// is decoded with exact numbers; a number that reads as an integer is
// made a number again when v says so (2.0 is written 2).
func typedOf(v JSONValue) (runner.Typed, error) {
	if v.Type == "none" {
		return runner.Typed{Missing: true}, nil
	}
	raw, err := json.Marshal(v.Value)
	if err != nil {
		return runner.Typed{}, err
	}
	val, err := eval.DecodeJSON(raw)
	if err != nil {
		return runner.Typed{}, err
	}
	switch val.(type) {
	case int64, *big.Int:
		if v.Type == "number" {
			if val, err = eval.ParseNumber(string(raw) + ".0"); err != nil {
				return runner.Typed{}, err
			}
		}
	}
	t := runner.Typed{Value: val}
	if got := t.TypeName(); got != v.Type {
		return runner.Typed{}, fmt.Errorf("value %s is %s, but its type says %s", raw, got, v.Type)
	}
	return t, nil
}
