package runner

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/mask"
)

// Messenger sends and receives the messages a replay sends again and
// waits for again.
type Messenger interface {
	// Publish sends m and returns once it is sent.
	Publish(ctx context.Context, m *exchange.Message) error
	// Receive waits until a message arrives on want.URL that carries
	// want.Correlation (any message when it is nil), or ctx ends (an
	// error then).
	Receive(ctx context.Context, want *exchange.Message) (*exchange.Message, error)
}

// ReplayMessage sends a recorded send message again through mg, its
// payload and headers byte for byte as first sent with the secrets'
// values put back, or waits through mg for a message like the one a
// recorded receive got: on the same URL, with the same correlation value.
// The wait is bounded by the recorded step's timeout, else by wait. It
// returns the message sent or received, masked with the secrets and
// where the recording masked its message.
func ReplayMessage(ctx context.Context, mg Messenger, rec *exchange.RecordedMessage, secrets map[string]any, wait time.Duration) (*exchange.Message, error) {
	texts := make(map[string]string, len(secrets))
	m := mask.New()
	for k, v := range secrets {
		texts[k] = eval.Stringify(v)
		addValue(m, v)
	}
	msg, err := rec.Restore(texts)
	if err != nil {
		return nil, err
	}
	if msg.Action == exchange.ActionSend {
		if err := mg.Publish(ctx, msg); err != nil {
			return nil, m.Err(fmt.Errorf("send to %s: %w", msg.URL, err))
		}
		return maskMessage(m, msg), nil
	}
	if msg.Timeout > 0 {
		wait = msg.Timeout
	}
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	got, err := mg.Receive(ctx, msg)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("no matching message within %s: %w", wait, err)
		}
		return nil, m.Err(fmt.Errorf("receive on %s: %w", msg.URL, err))
	}
	maskLikeRecording(m, &exchange.Response{Header: rec.Header, Body: rec.Body}, got.Header, got.Body)
	got.Correlation, got.Timeout = msg.Correlation, msg.Timeout
	return maskMessage(m, got), nil
}

// maskMessage returns a masked copy of msg.
func maskMessage(m *mask.Masker, msg *exchange.Message) *exchange.Message {
	out := msg.Clone()
	out.URL = m.String(out.URL)
	out.Header = maskHeader(m, out.Header)
	out.Body = m.Bytes(out.Body)
	if c := out.Correlation; c != nil {
		c.Value = m.String(c.Value)
	}
	return out
}

// DiffMessages is how the message a replayed receive got differs from the
// one its recording got: headers and a JSON diff of the payloads, as
// DiffResponses compares responses.
func DiffMessages(rec *exchange.RecordedMessage, got *exchange.Message) *ResponseDiff {
	return DiffResponses(&exchange.Response{Header: rec.Header, Body: rec.Body}, &exchange.Response{Header: got.Header, Body: got.Body})
}
