package runner

import (
	"fmt"
	"math/big"
	"strconv"
	"time"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/mask"
)

// Outcome is how a step ended.
type Outcome int

// The step outcomes.
const (
	// NotRun marks a step that was not reached (an earlier step failed).
	NotRun Outcome = iota
	// Passed means the request was sent and every check held.
	Passed
	// Failed means the request was sent and a check or capture failed.
	Failed
	// Errored means the step could not complete: connection refused,
	// timeout, TLS failure, undefined variable at run time.
	Errored
	// Skipped means the step's if: expression was false;
	// StepResult.SkipReason says why.
	Skipped
)

// String returns "not run", "passed", "failed" or "error".
func (o Outcome) String() string {
	switch o {
	case Passed:
		return "passed"
	case Failed:
		return "failed"
	case Errored:
		return "error"
	case Skipped:
		return "skipped"
	}
	return "not run"
}

// Result is what one run of a collection produced. Every string in it is
// already masked: secrets never appear in a Result.
type Result struct {
	Name string
	File string
	// Err is set when the run could not start (a variable failed to
	// evaluate); Steps are then all NotRun.
	Err      error
	Steps    []*StepResult
	Start    time.Time
	Duration time.Duration
	// State is the scope the run ended with. It holds secret values in
	// clear: never print or report it (see State).
	State *State `json:"-"`
	// Exchanges are the recorded exchanges, with Options.Record.
	Exchanges []*Exchange `json:"-"`
	// Dropped counts, by outcome, the passed and skipped steps that
	// Options.Summaries left out of Steps.
	Dropped map[Outcome]int `json:"-"`
	// Unseen counts, by outcome, the passed and skipped steps that
	// Options.CountPassed gave to no consumer.
	Unseen map[Outcome]int `json:"-"`
}

// Counts returns how many steps ended with each outcome, those left out
// of Steps included.
func (r *Result) Counts() map[Outcome]int {
	counts := map[Outcome]int{}
	for _, s := range r.Steps {
		counts[s.Outcome]++
	}
	for _, m := range []map[Outcome]int{r.Dropped, r.Unseen} {
		for o, n := range m {
			counts[o] += n
		}
	}
	return counts
}

// StepResult is the outcome of one step.
type StepResult struct {
	Name string
	Pos  collections.Pos
	// Step is the step as loaded, for positions and source excerpts.
	Step    *collections.Step
	Outcome Outcome
	// Request is the request as sent, masked; nil when nothing was sent.
	// Its body is the start of the body, at most Options.BodyLimit bytes,
	// and nil for a step that passed unless Options.KeepBodies.
	Request *exchange.Request
	// Response is the response as received, masked, its body kept as the
	// request's; nil when nothing was received.
	Response *exchange.Response
	// Message is the message an AsyncAPI step of an Arazzo workflow sent or
	// received, masked, its body kept as a request's; nil for other steps.
	Message *exchange.Message
	// Exchange is the request as sent and its response, whole, as a
	// recording keeps them: the named secrets as placeholders, the rest
	// masked. Set with Options.Exchanges, once the step is final.
	Exchange *Exchange
	Checks   []*CheckResult
	Captures []*CaptureResult
	// Err is the runtime error of an Errored step, or the capture error of a
	// Failed one; its text is masked.
	Err      error
	Duration time.Duration
	// SkipReason explains a Skipped step, such as
	// `if: env_name == "prod" is false`.
	SkipReason string
	// mask is the masker of the run that emitted the step (MaskText).
	mask *mask.Masker
}

// MaskText masks in text every secret the step's run knows, in the forms
// the run masks them in: for text shown beside the result that the result
// does not hold, such as the collection's source lines (a literal value of
// a secret variable included). It returns text unchanged for a step no
// run emitted.
func (s *StepResult) MaskText(text string) string {
	if s.mask == nil {
		return text
	}
	return s.mask.String(text)
}

// CheckResult is one evaluated predicate.
type CheckResult struct {
	Pos collections.Pos
	// Subject names what was checked: "status", "header Content-Type",
	// "json token_type", "body".
	Subject  string
	Op       collections.Op
	Expected Typed
	Actual   Typed
	Passed   bool
	// Warning marks a failed check that does not fail its step: what a
	// request differs from its OpenAPI description in (contract.go).
	Warning bool
	// Message explains a failure that is not a plain mismatch, such as
	// "response body is not valid JSON".
	Message string
	// Details are further lines explaining a failure: the paths that
	// differ in a JSON subset match or a snapshot, the schema violations,
	// or the evaluation trace of an assert expression.
	Details []string
}

// CaptureResult is one captured value.
type CaptureResult struct {
	Pos    collections.Pos
	Name   string
	Value  Typed
	Secret bool
}

// Typed is a value with its JSON type, as shown in failures.
type Typed struct {
	// Value is nil, bool, int64, *big.Int (an integer beyond int64),
	// float64, eval.Decimal (a decimal float64 cannot hold exactly),
	// string, []any or map[string]any;
	// a secret string is already replaced by the mask.
	Value any
	// Missing is true when nothing was found (actual: none).
	Missing bool
}

// TypeName returns the JSON type of the value: null, boolean, integer,
// number, string, array or object.
func (t Typed) TypeName() string {
	switch t.Value.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case int64, int, *big.Int:
		return "integer"
	case float64, eval.Decimal:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", t.Value)
}

// String formats the value as `integer <401>`, `string <"bearer">` or `none`.
func (t Typed) String() string {
	if t.Missing {
		return "none"
	}
	switch v := t.Value.(type) {
	case nil:
		return "null"
	case string:
		return "string <" + strconv.Quote(v) + ">"
	default:
		return t.TypeName() + " <" + eval.Stringify(v) + ">"
	}
}
