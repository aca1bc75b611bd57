package report

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/runner"
)

// JSONVersion is the version of the JSON report's schema. It changes only
// when a field is removed or changes meaning; new fields may appear
// without a change (readers ignore what they do not know).
const JSONVersion = 1

// JSONReport is the document JSON writes, described field by field in
// docs/report-json.md. Durations are in milliseconds, times in RFC 3339.
type JSONReport struct {
	Version     int              `json:"version"`
	Tool        string           `json:"tool"`
	Start       *time.Time       `json:"start,omitempty"`
	DurationMS  float64          `json:"duration_ms"`
	Summary     JSONSummary      `json:"summary"`
	Collections []JSONCollection `json:"collections"`
}

// JSONSummary counts the steps of all collections by outcome.
type JSONSummary struct {
	Passed int `json:"passed"`
	Failed int `json:"failed"`
	Errors int `json:"errors"`
	NotRun int `json:"not_run"`
	// Skipped counts the steps whose if: was false.
	Skipped int `json:"skipped"`
}

// JSONCollection is the run of one collection.
type JSONCollection struct {
	Name string `json:"name"`
	File string `json:"file"`
	// Outcome is "passed", "failed", "error" or "not run".
	Outcome    string     `json:"outcome"`
	Start      *time.Time `json:"start,omitempty"`
	DurationMS float64    `json:"duration_ms"`
	// Error is set when the collection could not start.
	Error string     `json:"error,omitempty"`
	Steps []JSONStep `json:"steps"`
}

// JSONStep is one step.
type JSONStep struct {
	Name       string        `json:"name"`
	File       string        `json:"file"`
	Line       int           `json:"line"`
	Column     int           `json:"column"`
	Outcome    string        `json:"outcome"`
	DurationMS float64       `json:"duration_ms"`
	Error      string        `json:"error,omitempty"`
	SkipReason string        `json:"skip_reason,omitempty"`
	Request    *JSONRequest  `json:"request,omitempty"`
	Response   *JSONResponse `json:"response,omitempty"`
	Message    *JSONMessage  `json:"message,omitempty"`
	Checks     []JSONCheck   `json:"checks"`
	Captures   []JSONCapture `json:"captures"`
}

// JSONRequest is the request as sent.
type JSONRequest struct {
	Method  string              `json:"method"`
	URL     string              `json:"url"`
	Headers map[string][]string `json:"headers"`
	Body    JSONBody            `json:"body"`
}

// JSONResponse is the response as received.
type JSONResponse struct {
	Status     int                 `json:"status"`
	Headers    map[string][]string `json:"headers"`
	Body       JSONBody            `json:"body"`
	DurationMS float64             `json:"duration_ms"`
}

// JSONMessage is the message an AsyncAPI step sent or received.
type JSONMessage struct {
	Action   string              `json:"action"`
	Protocol string              `json:"protocol"`
	URL      string              `json:"url"`
	Headers  map[string][]string `json:"headers"`
	Body     JSONBody            `json:"body"`
}

// JSONBody is the excerpt of a body the run kept.
type JSONBody struct {
	// Text is the excerpt when it is valid UTF-8; else Base64 holds it.
	Text   string `json:"text,omitempty"`
	Base64 string `json:"base64,omitempty"`
	// Size is the full size in bytes; Truncated says the excerpt is shorter.
	Size      int64 `json:"size"`
	Truncated bool  `json:"truncated"`
}

// JSONCheck is one evaluated predicate.
type JSONCheck struct {
	Subject  string    `json:"subject"`
	Op       string    `json:"op"`
	Line     int       `json:"line"`
	Column   int       `json:"column"`
	Passed   bool      `json:"passed"`
	Expected JSONValue `json:"expected"`
	Actual   JSONValue `json:"actual"`
	Message  string    `json:"message,omitempty"`
	Warning  bool      `json:"warning,omitempty"`
}

// JSONValue is a typed value: Type is null, boolean, integer, number,
// string, array, object, or none when nothing was found.
type JSONValue struct {
	Type  string `json:"type"`
	Value any    `json:"value"`
}

// JSONCapture is one captured value; a secret one reads "***".
type JSONCapture struct {
	Name   string    `json:"name"`
	Secret bool      `json:"secret"`
	Value  JSONValue `json:"value"`
}

// JSON writes results as one JSONReport, indented. It streams: each
// collection is converted and written in turn, so a long run's report
// never sits whole in memory (json_stream.go). Create(FormatJSON, …)
// streams the same bytes.
var JSON Writer = write(FormatJSON)

// ReadJSON decodes a report written by JSON, for --rerun-failed,
// --shard-timings and merging. The numbers in JSONValues are json.Numbers,
// exactly as written.
func ReadJSON(r io.Reader) (*JSONReport, error) {
	var rep JSONReport
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if err := dec.Decode(&rep); err != nil {
		return nil, fmt.Errorf("read JSON report: %w", err)
	}
	if rep.Version != JSONVersion {
		return nil, fmt.Errorf("read JSON report: version %d, want %d", rep.Version, JSONVersion)
	}
	return &rep, nil
}

// jsonCollection converts the run of one collection.
// jsonCollectionHead is r's collection with an empty steps array: the
// outcome is sum's, as r.Steps may hold only some steps.
func jsonCollectionHead(r *runner.Result, sum *collectionSum) JSONCollection {
	jc := JSONCollection{
		Name:       valid(r.Name),
		File:       valid(r.File),
		Outcome:    sum.outcome(r).String(),
		DurationMS: ms(r.Duration),
		Steps:      []JSONStep{},
	}
	if !r.Start.IsZero() {
		start := r.Start.UTC()
		jc.Start = &start
	}
	if r.Err != nil {
		jc.Error = valid(r.Err.Error())
	}
	return jc
}

func jsonStep(s *runner.StepResult) JSONStep {
	js := JSONStep{
		Name:       valid(s.Name),
		File:       valid(s.Pos.File),
		Line:       s.Pos.Line,
		Column:     s.Pos.Col,
		Outcome:    s.Outcome.String(),
		DurationMS: ms(s.Duration),
		Checks:     []JSONCheck{},
		Captures:   []JSONCapture{},
	}
	if s.Err != nil {
		js.Error = valid(s.Err.Error())
	}
	js.SkipReason = valid(s.SkipReason)
	if q := s.Request; q != nil {
		js.Request = &JSONRequest{Method: q.Method, URL: valid(q.URL), Headers: headers(q.Header), Body: body(q.Body, q.BodySize, q.Truncated)}
	}
	if p := s.Response; p != nil {
		js.Response = &JSONResponse{Status: p.Status, Headers: headers(p.Header), Body: body(p.Body, p.Size, p.Truncated), DurationMS: ms(p.Duration)}
	}
	if m := s.Message; m != nil {
		js.Message = &JSONMessage{Action: m.Action, Protocol: valid(m.Protocol), URL: valid(m.URL), Headers: headers(m.Header), Body: body(m.Body, m.Size, m.Truncated)}
	}
	for _, c := range s.Checks {
		js.Checks = append(js.Checks, JSONCheck{
			Subject:  valid(c.Subject),
			Op:       string(c.Op),
			Line:     c.Pos.Line,
			Column:   c.Pos.Col,
			Passed:   c.Passed,
			Expected: typed(c.Expected),
			Actual:   typed(c.Actual),
			Message:  valid(c.Message),
			Warning:  c.Warning,
		})
	}
	for _, c := range s.Captures {
		js.Captures = append(js.Captures, JSONCapture{Name: c.Name, Secret: c.Secret, Value: typed(c.Value)})
	}
	return js
}

func typed(t runner.Typed) JSONValue {
	if t.Missing {
		return JSONValue{Type: "none"}
	}
	if s, ok := t.Value.(string); ok {
		return JSONValue{Type: "string", Value: valid(s)}
	}
	return JSONValue{Type: t.TypeName(), Value: t.Value}
}

// valid replaces invalid UTF-8 with U+FFFD, as encoding/json would, so
// that a report decodes and encodes back to the same bytes.
func valid(s string) string {
	return strings.ToValidUTF8(s, "\uFFFD")
}

// headers groups the values of h by name, as written, in order; encoding/json
// sorts the names. nil stays an empty object.
func headers(h exchange.Header) map[string][]string {
	out := make(map[string][]string, len(h))
	for _, f := range h {
		k := valid(f.Name)
		out[k] = append(out[k], valid(f.Value))
	}
	return out
}

// body is the kept excerpt of a body of size bytes. truncated comes from
// the runner: masking changes an excerpt's length, so comparing it with
// size would mistake a masked body for a cut one (and tell a secret's
// length).
func body(b []byte, size int64, truncated bool) JSONBody {
	jb := JSONBody{Size: size, Truncated: truncated}
	if utf8.Valid(b) {
		jb.Text = string(b)
	} else {
		jb.Base64 = base64.StdEncoding.EncodeToString(b)
	}
	return jb
}

// ms converts d to milliseconds, keeping microseconds.
func ms(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}
