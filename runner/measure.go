package runner

import "time"

// Measure is what a step came to in figures, for a consumer that counts
// steps (a load test): no value of the exchange, so no secret.
type Measure struct {
	// Name is the step's name as its result has it ("list [2]" for a
	// repeat), from the collection.
	Name    string
	Outcome Outcome
	// Responded says a response came; Status and Latency are its.
	Responded bool
	Status    int
	// Latency is the response's duration, or without a response the
	// step's (an authorize step).
	Latency time.Duration
	// ChecksPassed and ChecksFailed count the step's checks.
	ChecksPassed, ChecksFailed int
}

// MeasureOf returns the figures of sr.
func MeasureOf(sr *StepResult) Measure {
	m := Measure{Name: sr.Name, Outcome: sr.Outcome, Latency: sr.Duration}
	if r := sr.Response; r != nil {
		m.Responded, m.Status, m.Latency = true, r.Status, r.Duration
	}
	for _, c := range sr.Checks {
		if c.Passed {
			m.ChecksPassed++
		} else {
			m.ChecksFailed++
		}
	}
	return m
}
