package arazzo

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Sender sends one request and returns the response: the engine's only
// way out. An error means no response was received.
type Sender interface {
	Send(ctx context.Context, req *Request) (*Response, error)
}

// SenderFunc adapts a function to the Sender interface.
type SenderFunc func(ctx context.Context, req *Request) (*Response, error)

// Send calls f.
func (f SenderFunc) Send(ctx context.Context, req *Request) (*Response, error) { return f(ctx, req) }

// Limits of one Run.
const (
	// DefaultMaxStepRuns bounds the step runs of one Run when
	// Engine.MaxStepRuns is 0, so that goto loops end.
	DefaultMaxStepRuns = 10000
	// MaxCallDepth bounds workflows calling workflows.
	MaxCallDepth = 32
	// DefaultMaxRetryDelay caps the delay a Retry-After header asks for
	// when Engine.MaxRetryDelay is 0.
	DefaultMaxRetryDelay = time.Minute
)

// ErrUnsupported is wrapped by the error of a step the engine cannot run:
// a step of an AsyncAPI operation when the Engine has no Messenger, or
// whose AsyncAPI description was not read.
var ErrUnsupported = errors.New("not supported")

// Engine runs the workflows of a Description. The zero value with a
// Sender is ready to use; an Engine may run several workflows at once.
type Engine struct {
	// Sender sends the requests of steps.
	Sender Sender
	// Messenger sends and receives the messages of AsyncAPI steps; nil
	// fails them with ErrUnsupported.
	Messenger Messenger
	// ReceiveTimeout bounds the wait of receive steps that give no
	// timeout; 0 means DefaultReceiveTimeout.
	ReceiveTimeout time.Duration
	// OnStep, when set, is called after each run of a step, with the
	// action it took.
	OnStep func(*StepResult)
	// OnWorkflow, when set, is called when a workflow ends: the one run,
	// those it depends on, and those its steps and actions call.
	OnWorkflow func(*WorkflowResult)
	// Sleep waits before a retry; nil waits on a timer, ending early with
	// the context's error.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now reads the clock for Retry-After dates; nil is time.Now.
	Now func() time.Time
	// MaxStepRuns bounds the step runs of one Run; 0 means
	// DefaultMaxStepRuns.
	MaxStepRuns int
	// MaxRetryDelay caps the delay a Retry-After header asks for; 0 means
	// DefaultMaxRetryDelay.
	MaxRetryDelay time.Duration
}

// Run runs the workflow workflowID of d with the given inputs, after the
// workflows it depends on, and returns its result. Inputs are JSON values
// by name; the workflow reads those its schema declares (all of them when
// it declares no properties), converted to the declared types where a
// string or number was given for the other, with the schema's defaults
// added. The error is for problems found before anything is sent: an
// unknown workflow, or inputs that do not match the schema (*InputError).
func (e *Engine) Run(ctx context.Context, d *Description, workflowID string, inputs map[string]any) (*WorkflowResult, error) {
	if e.Sender == nil {
		return nil, errors.New("arazzo: Engine has no Sender")
	}
	w := d.Document.Workflow(workflowID)
	if w == nil {
		hint := didYouMean(workflowID, workflowIDs(d.Document), "")
		if hint != "" {
			hint = " (" + hint + ")"
		}
		return nil, fmt.Errorf("no workflow %q in %s%s", workflowID, d.Document.File, hint)
	}
	if _, err := prepareInputs(w, inputs, true); err != nil {
		return nil, err
	}
	r := &run{e: e, ctx: ctx, inputs: inputs, done: map[workflowKey]*WorkflowResult{}, completed: map[stepKey]bool{}}
	return r.topLevel(d, w, 0), nil
}

func (e *Engine) maxStepRuns() int {
	if e.MaxStepRuns > 0 {
		return e.MaxStepRuns
	}
	return DefaultMaxStepRuns
}

func (e *Engine) maxRetryDelay() time.Duration {
	if e.MaxRetryDelay > 0 {
		return e.MaxRetryDelay
	}
	return DefaultMaxRetryDelay
}

func (e *Engine) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// sleep waits d or until ctx ends.
func (e *Engine) sleep(ctx context.Context, d time.Duration) error {
	if e.Sleep != nil {
		return e.Sleep(ctx, d)
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
