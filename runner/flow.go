package runner

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/mask"
)

// maxRetryAfter bounds the wait a Retry-After header may ask for.
const maxRetryAfter = 5 * time.Minute

// FailError is the error of a fail: step: the collection stopped on
// purpose with Message.
type FailError struct {
	Message string
}

// Error returns "fail: " and the message.
func (e *FailError) Error() string { return "fail: " + e.Message }

// MaskedCopy returns a copy of e whose message is masked by m.
func (e *FailError) MaskedCopy(m *mask.Masker) error {
	return &FailError{Message: m.String(e.Message)}
}

// flowStep runs one step with its control flow: after a fail: step nothing
// more runs; delay: waits first; a fail: step fails with its message and
// stops the collection; retry: and until: run the step again until its
// checks pass and until: holds, waiting between tries (the interval grown
// by the backoff, or what a 429 or 503 response's Retry-After asks).
// Transport errors are retried too; a step that errored otherwise is not.
func (rn *run) flowStep(ctx context.Context, s *collections.Step) *StepResult {
	f := s.Flow
	if rn.halted {
		return notRun(s)
	}
	if f.Delay > 0 {
		if err := rn.sleep(ctx, f.Delay); err != nil {
			sr := &StepResult{Name: s.Name, Pos: s.Pos, Step: s}
			return rn.errored(sr, fmt.Errorf("delay: %w", err))
		}
	}
	if s.Fail() != nil {
		return rn.fail(s)
	}
	retry := f.Retry
	if retry == nil && f.Until != nil {
		retry = &collections.DefaultUntil
	}
	wait := time.Duration(0)
	if retry != nil {
		wait = retry.Interval
	}
	for attempt := 0; ; attempt++ {
		sr, subj := rn.step(ctx, s)
		again := sr.Outcome == Failed || transportError(sr)
		if sr.Outcome == Passed && f.Until != nil {
			done, err := rn.until(f.Until, subj)
			if err != nil {
				return rn.errored(sr, err)
			}
			again = !done
			if !done && (retry == nil || attempt >= retry.Count) {
				sr.Outcome = Failed
				sr.Err = fmt.Errorf("until: %s still false after %d tries", f.Until.Source, attempt+1)
			}
		}
		if !again || retry == nil || attempt >= retry.Count || ctx.Err() != nil {
			return sr
		}
		d := wait
		if ra, ok := rn.retryAfter(sr); ok {
			d = ra
		}
		if err := rn.sleep(ctx, d); err != nil {
			return sr
		}
		wait = time.Duration(math.Min(float64(wait)*retry.Backoff, float64(time.Hour)))
	}
}

// fail is the result of a fail: step: Failed with its rendered message,
// or Skipped when its if: is false.
func (rn *run) fail(s *collections.Step) *StepResult {
	sr := &StepResult{Name: s.Name, Pos: s.Pos, Step: s}
	if rn.skip(s, sr) {
		return sr
	}
	sr.Outcome = Failed
	msg, err := s.Fail().Message.Render(rn.scope)
	if err != nil {
		return rn.errored(sr, fmt.Errorf("fail: %w", err))
	}
	rn.halted = true
	sr.Err = rn.mask.Err(&FailError{Message: msg})
	return sr
}

// until evaluates an until: expression with the step's response as res,
// the same value assert: expressions see: the whole body as received, not
// the excerpt a result keeps.
func (rn *run) until(e *collections.Expr, subj *subject) (bool, error) {
	res := map[string]any{"status": nil, "headers": map[string]any{}, "body": "", "json": nil}
	if subj != nil {
		res = responseValue(subj)
	}
	restore := rn.scope.With(collections.ResName, res)
	defer restore()
	v, err := e.Eval(rn.scope)
	if err != nil {
		return false, fmt.Errorf("until: %w", err)
	}
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("until: %s must be true or false, not %s", e.Source, Typed{Value: v})
	}
	return b, nil
}

// transportError reports whether sr errored because the request got no
// response (connection refused or reset, timeout), which a retry may fix.
func transportError(sr *StepResult) bool {
	return sr.Outcome == Errored && sr.Request != nil && sr.Response == nil &&
		!errors.Is(sr.Err, context.Canceled)
}

// retryAfter reads the Retry-After header of a 429 or 503 response:
// seconds or an HTTP date, at most maxRetryAfter.
func (rn *run) retryAfter(sr *StepResult) (time.Duration, bool) {
	p := sr.Response
	if p == nil || (p.Status != http.StatusTooManyRequests && p.Status != http.StatusServiceUnavailable) {
		return 0, false
	}
	v := strings.TrimSpace(p.Header.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = max(t.Sub(rn.now()), 0)
	} else {
		return 0, false
	}
	return min(d, maxRetryAfter), true
}

// sleep waits d with Options.Sleep, or a timer; it returns early with the
// context's error when ctx is done.
func (rn *run) sleep(ctx context.Context, d time.Duration) error {
	if rn.opts.Sleep != nil {
		return rn.opts.Sleep(ctx, d)
	}
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// finally runs the collection's finally: steps, every one whatever
// happened before, even when the run was cancelled (each request is still
// bounded by its timeout). Each result is reported through OnStep;
// finally reports whether all passed or were skipped.
func (rn *run) finally(ctx context.Context, c *collections.Collection) bool {
	if len(c.Finally) == 0 {
		return true
	}
	ctx = context.WithoutCancel(ctx)
	rn.halted = false
	all := true
	for _, s := range c.Finally {
		all = rn.runStep(ctx, s) && all
		rn.halted = false
	}
	return all
}

// runStep runs step s: once, once per iteration of its repeat: or
// for_each:, or, for an include: step, the included steps. Each result is
// reported through OnStep as it ends (emit); runStep reports whether all
// passed or were skipped, and holds none of them.
func (rn *run) runStep(ctx context.Context, s *collections.Step) bool {
	if !s.Flow.Iterates() {
		return rn.once(ctx, s, s.Name)
	}
	return rn.iterate(ctx, s)
}

// once runs s one time, its result (or results, for an include:) named
// name, and reports whether it passed.
func (rn *run) once(ctx context.Context, s *collections.Step, name string) bool {
	if s.Include() != nil {
		return rn.include(ctx, s, name)
	}
	sr := rn.flowStep(ctx, s)
	sr.Name = name
	return passed(rn.emit(sr))
}

// iterate runs s once per iteration, with index (from 0) and, under
// for_each:, item in scope, naming each run "name [1]", "name [2]", ….
// After a run that does not pass, the remaining ones are not run (unless
// Options.Continue). An empty for_each: list skips the step. It reports
// whether every run passed.
func (rn *run) iterate(ctx context.Context, s *collections.Step) bool {
	items, err := rn.items(s)
	if err != nil {
		sr := &StepResult{Name: s.Name, Pos: s.Pos, Step: s}
		return passed(rn.emit(rn.errored(sr, err)))
	}
	if len(items) == 0 {
		sr := &StepResult{Name: s.Name, Pos: s.Pos, Step: s, Outcome: Skipped, SkipReason: "for_each: the list is empty"}
		return passed(rn.emit(sr))
	}
	all := true
	stopped := false
	for i, item := range items {
		name := fmt.Sprintf("%s [%d]", s.Name, i+1)
		if stopped {
			sr := notRun(s)
			sr.Name = name
			rn.emit(sr)
			all = false
			continue
		}
		restoreIndex := rn.scope.With(collections.IndexName, int64(i))
		restoreItem := func() {}
		if s.Flow.ForEach != nil {
			restoreItem = rn.scope.With(collections.ItemName, item)
		}
		ok := rn.once(ctx, s, name)
		restoreItem()
		restoreIndex()
		all = all && ok
		stopped = ctx.Err() != nil || rn.halted || (!ok && !rn.opts.Continue)
	}
	return all
}

// items returns what a step iterates over: repeat: nils, or the list of
// for_each: evaluated in the scope.
func (rn *run) items(s *collections.Step) ([]any, error) {
	if s.Flow.ForEach == nil {
		return make([]any, s.Flow.Repeat), nil
	}
	v, err := s.Flow.ForEach.Render(rn.scope)
	if err != nil {
		return nil, fmt.Errorf("for_each: %w", err)
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("for_each: want a list, not %s", rn.mask.String(Typed{Value: v}.String()))
	}
	return list, nil
}

// passed reports whether sr passed or was skipped.
func passed(sr *StepResult) bool {
	return sr.Outcome == Passed || sr.Outcome == Skipped
}

// skip evaluates the step's if: expression. It reports true when the step
// must not run: the expression was false (sr is Skipped, with the reason)
// or failed (sr is Errored).
func (rn *run) skip(s *collections.Step, sr *StepResult) bool {
	if s.If == nil {
		return false
	}
	v, err := s.If.Eval(rn.scope)
	if err != nil {
		rn.errored(sr, fmt.Errorf("if: %w", err))
		return true
	}
	b, ok := v.(bool)
	if !ok {
		rn.errored(sr, fmt.Errorf("if: %s must be true or false, not %s", s.If.Source, Typed{Value: v}))
		return true
	}
	if !b {
		sr.Outcome = Skipped
		sr.SkipReason = fmt.Sprintf("if: %s is false", s.If.Source)
		return true
	}
	return false
}
