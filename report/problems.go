package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/runner"
)

// problem is one reason a step did not pass: a failed check, a capture
// error or a runtime error, with where it was written.
type problem struct {
	Pos collections.Pos
	// Title is one line: `assert status (eq): actual integer <401>`.
	Title string
	// Detail spells out the location and the typed actual and expected
	// values, one per line.
	Detail string
}

// problems lists why s did not pass, in order; nil for a step that passed
// or did not run.
func problems(s *runner.StepResult) []problem {
	if s.Outcome != runner.Failed && s.Outcome != runner.Errored {
		return nil
	}
	var ps []problem
	for _, ch := range s.Checks {
		if ch.Passed || ch.Warning {
			continue
		}
		p := problem{Pos: ch.Pos}
		subject := "assert " + ch.Subject
		if ch.Op != "" {
			subject += " (" + string(ch.Op) + ")"
		}
		want := Expectation(ch, ch.Expected.String())
		p.Title = fmt.Sprintf("%s: actual %s, expected %s", subject, ch.Actual, want)
		var d strings.Builder
		fmt.Fprintf(&d, "%s\n%s\n", ch.Pos, subject)
		if ch.Message != "" {
			d.WriteString(ch.Message + "\n")
		}
		fmt.Fprintf(&d, "actual:   %s\nexpected: %s\n", ch.Actual, want)
		p.Detail = d.String()
		if ch.Message != "" {
			p.Title = subject + ": " + ch.Message
		}
		ps = append(ps, p)
	}
	if s.Err != nil {
		pos := s.Pos
		ps = append(ps, problem{Pos: pos, Title: s.Err.Error(), Detail: pos.String() + "\n" + s.Err.Error() + "\n"})
	}
	if len(ps) == 0 {
		ps = append(ps, problem{Pos: s.Pos, Title: "step " + s.Outcome.String(), Detail: s.Pos.String() + "\n"})
	}
	return ps
}

// Expectation words the expected side of a failed check for its predicate,
// as in `greater than integer <0>`, `between integer <1> and integer <10>`
// or `not a UUID`. want is the expected value as the caller shows it:
// ch.Expected.String(), or an excerpt of it when it is long. It is the one
// wording of expectations, shared by the console and every report.
func Expectation(ch *runner.CheckResult, want string) string {
	expected := ch.Expected.Value
	if prefix, ok := opWords[ch.Op]; ok {
		return prefix + want
	}
	switch ch.Op {
	case runner.OpConforms:
		if s, ok := expected.(string); ok {
			return "conforms to " + s // a place in an OpenAPI description
		}
	case collections.OpBetween:
		if b, ok := expected.([]any); ok && len(b) == 2 {
			return "between " + runner.Typed{Value: b[0]}.String() + " and " + runner.Typed{Value: b[1]}.String()
		}
		return "between " + want
	case collections.OpType:
		if name, ok := expected.(string); ok && !ch.Expected.Missing {
			return "type " + name // a JSON type name, not a string value
		}
		return "type " + want
	case collections.OpIsEmpty:
		switch expected {
		case true:
			return `empty ("", [], {} or null)`
		case false:
			return "not empty"
		}
		return "is_empty " + want
	case collections.OpIsUUID, collections.OpIsISODate, collections.OpIsEmail, collections.OpIsURL:
		switch expected {
		case true:
			return formatNames[ch.Op]
		case false:
			return "not " + formatNames[ch.Op]
		}
		return string(ch.Op) + " " + want
	}
	return want
}

// opWords are the words before the expected value of the predicates
// worded the same whatever it is.
var opWords = map[collections.Op]string{
	collections.OpNe:          "not ",
	collections.OpGt:          "greater than ",
	collections.OpGte:         "greater than or equal to ",
	collections.OpLt:          "less than ",
	collections.OpLte:         "less than or equal to ",
	collections.OpContains:    "contains ",
	collections.OpNotContains: "does not contain ",
	collections.OpStartsWith:  "starts with ",
	collections.OpEndsWith:    "ends with ",
	collections.OpMatches:     "matches ",
	collections.OpNotMatches:  "does not match ",
	collections.OpLength:      "length ",
	collections.OpExists:      "exists ",
	collections.OpOneOf:       "one of ",
	collections.OpStatusIn:    "one of ",
}

// formatNames names the formats of the is_ predicates in expectations.
var formatNames = map[collections.Op]string{
	collections.OpIsUUID:    "a UUID",
	collections.OpIsISODate: "an ISO 8601 date",
	collections.OpIsEmail:   "an e-mail address",
	collections.OpIsURL:     "an absolute URL",
}

// seconds formats d in seconds with millisecond precision, as JUnit wants.
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.3f", d.Seconds())
}
