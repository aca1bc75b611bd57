package runner

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/mask"
)

// step runs one step once: its action (render the request and send it,
// or obtain an authorization code), then its checks, then its captures.
// It returns the result, masked, and what the checks read.
func (rn *run) step(ctx context.Context, s *collections.Step) (*StepResult, *subject) {
	sr := &StepResult{Name: s.Name, Pos: s.Pos, Step: s}
	defer rn.finish(sr, rn.now())
	if rn.skip(s, sr) {
		return sr, nil
	}
	subj, err := rn.act(ctx, s, sr)
	if err != nil {
		return rn.errored(sr, err), nil
	}
	if sr.Checks, err = rn.check.checks(s.Expect, subj); err != nil {
		return rn.errored(sr, err), nil
	}
	sr.Checks = append(sr.Checks, rn.contract.check(rn.coll, s, sr.Request, subj)...)
	sr.Outcome = outcome(sr.Checks)
	if sr.Captures, err = rn.capture.captures(s.Captures, subj); err != nil {
		sr.Outcome, sr.Err = Failed, err
	} else if rn.opts.Strict && len(sr.Checks) == 0 && s.Authorize() == nil {
		sr.Outcome, sr.Err = Failed, ErrNoCheck
	}
	return sr, subj
}

// act does what the step's action says, recording what it sent and
// received in sr, and returns what the checks and captures read.
func (rn *run) act(ctx context.Context, s *collections.Step, sr *StepResult) (*subject, error) {
	switch a := s.Action.(type) {
	case *collections.Request:
		req, err := rn.render.request(a)
		sr.Request = req
		if err != nil {
			return nil, err
		}
		return rn.send.send(ctx, s, req, sr)
	case *collections.Authorize:
		return rn.authorize(ctx, a, sr)
	}
	return nil, fmt.Errorf("%s: a step whose action is %T has no request", s.Pos, s.Action)
}

// outcome is Passed when every check passed, else Failed.
func outcome(checks []*CheckResult) Outcome {
	for _, c := range checks {
		if !c.Passed && !c.Warning {
			return Failed
		}
	}
	return Passed
}

// ErrNoCheck is the error of a step that Options.Strict fails because it
// checks nothing.
var ErrNoCheck = errors.New("the step checks nothing: a strict run fails it (add expect:)")

// finish ends sr, which started at start: it keeps the unmasked exchange
// for the recorder and cuts the bodies to the body limit and masks them;
// the rest of sr is masked when it is emitted. It runs after the captures,
// so secrets captured by the step are masked in its own response. The
// bodies of a step that passed are dropped unmasked when nothing keeps
// them.
func (rn *run) finish(sr *StepResult, start time.Time) {
	sr.Duration = rn.now().Sub(start)
	rn.rec.keep(sr)
	limit := rn.opts.BodyLimit
	if limit == 0 {
		limit = defaultBodyLimit
	}
	keep := rn.opts.KeepBodies || sr.Outcome != Passed || sr.Step.Flow.Until != nil // until: may fail it yet
	excerpt := func(b []byte) []byte {
		if !keep {
			return nil
		}
		return rn.mask.Prefix(b, limit)
	}
	if r := sr.Request; r != nil {
		r.Truncated = r.Truncated || len(r.Body) > limit
		r.Body = excerpt(r.Body)
	}
	if r := sr.Response; r != nil {
		r.Truncated = r.Truncated || len(r.Body) > limit
		r.Body = excerpt(r.Body)
	}
	if m := sr.Message; m != nil {
		m.Truncated = m.Truncated || len(m.Body) > limit
		m.Body = excerpt(m.Body)
	}
}

// errored marks sr as Errored with err wrapped in a StepError, masked:
// until:, include: and for_each: call it after the step finished (the
// rest of sr is masked as it is emitted).
func (rn *run) errored(sr *StepResult, err error) *StepResult {
	se := &StepError{Step: sr.Name, Pos: sr.Pos, Err: err}
	if sr.Request != nil {
		se.Method, se.URL = sr.Request.Method, rn.mask.String(sr.Request.URL)
	}
	sr.Outcome = Errored
	sr.Err = rn.mask.Err(se)
	return sr
}

// notRun is the result of a step that was not reached.
func notRun(s *collections.Step) *StepResult {
	return &StepResult{Name: s.Name, Pos: s.Pos, Step: s, Outcome: NotRun}
}

// StepError is the runtime error of an Errored step: a connection refused,
// a timeout, a TLS failure, an undefined variable, a body over the limit. It
// reads
//
//	step "me" (first-call.yaml:31:5): GET https://host/rest/v1.0/me: <cause>
//
// Err keeps the cause's chain, so errors.Is(err, context.DeadlineExceeded)
// and errors.As(err, &urlErr) work on a StepError. A result holds it
// masked (mask.Masker.Err): errors.As then hands back its MaskedCopy.
type StepError struct {
	// Step is the step's name and Pos its position.
	Step string
	Pos  collections.Pos
	// Method and URL describe the request, masked; empty when the error came
	// before the URL was known.
	Method string
	URL    string
	Err    error
}

// Error formats the error with the step, its position and the request. A
// *url.Error cause prints only its inner error, since the request is
// already named.
func (e *StepError) Error() string {
	cause := e.Err
	if ue, ok := cause.(*url.Error); ok {
		cause = ue.Err
	}
	where := fmt.Sprintf("step %q (%s)", e.Step, e.Pos)
	if e.URL != "" {
		where += ": " + e.Method + " " + e.URL
	}
	return where + ": " + cause.Error()
}

// Unwrap returns the cause.
func (e *StepError) Unwrap() error { return e.Err }

// MaskedCopy returns a copy of e whose URL and cause are masked by m.
func (e *StepError) MaskedCopy(m *mask.Masker) error {
	c := *e
	c.URL, c.Err = m.String(e.URL), m.Err(e.Err)
	return &c
}
