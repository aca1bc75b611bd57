package arazzo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/callsheet/callsheet/arazzo/expr"
	"github.com/callsheet/callsheet/asyncapi"
)

// Step actions of AsyncAPI steps.
const (
	ActionSend    = "send"
	ActionReceive = "receive"
)

// DefaultReceiveTimeout bounds the wait of a receive step that gives no
// timeout, when Engine.ReceiveTimeout is 0.
const DefaultReceiveTimeout = 30 * time.Second

// Messenger sends and receives the messages of AsyncAPI steps: the
// engine's way out for them, as Sender is for HTTP requests.
type Messenger interface {
	// Publish sends m and returns once it is sent.
	Publish(ctx context.Context, m *Message) error
	// Receive waits until a message that sub.Match accepts arrives on the
	// channel, or ctx ends (an error then).
	Receive(ctx context.Context, sub *Subscription) (*Message, error)
}

// Message is a message an AsyncAPI step sends or receives: plain data,
// which reports print as it is.
type Message struct {
	// Action is send or receive.
	Action string
	// Protocol is the server's protocol in lower case (ws, kafka, …); URL
	// the server's URL followed by the channel's address, its parameters
	// put in; Channel that address.
	Protocol, URL, Channel string
	// Header lists the message's headers in order; a name may repeat.
	Header []Field
	// Payload is the message's content; ContentType its media type, ""
	// when unknown.
	Payload     []byte
	ContentType string
	// Step is the step that sends or receives the message.
	Step *Step
}

// Get returns the value of the first header named name (case-insensitive)
// and whether there is one.
func (m *Message) Get(name string) (string, bool) {
	for _, f := range m.Header {
		if http.CanonicalHeaderKey(f.Name) == http.CanonicalHeaderKey(name) {
			return f.Value, true
		}
	}
	return "", false
}

// Subscription is what a receive step waits for.
type Subscription struct {
	Step *Step
	// Protocol, URL and Channel are as in Message.
	Protocol, URL, Channel string
	// ContentType is the media type the AsyncAPI description gives the
	// channel's messages, "" when it gives none.
	ContentType string
	// Match reports whether a message counts for the step: one whose
	// correlation value equals the step's correlationId, any message when
	// the step has none.
	Match func(*Message) bool
	// Correlation is where a message carries its correlation value, and
	// CorrelationID the value the step waits for; nil and "" when the step
	// has no correlationId.
	Correlation   *asyncapi.Correlation
	CorrelationID string
	// Timeout is how long the step waits.
	Timeout time.Duration
}

// AsyncOperation is the AsyncAPI operation or channel a step names,
// resolved.
type AsyncOperation struct {
	// Source is the source description's name.
	Source string
	// Operation is nil for a step with a channelPath.
	Operation *asyncapi.Operation
	Channel   *asyncapi.Channel
	// Server is the first of the channel's servers; ServerURL its URL, or
	// the override Sources.Servers gives; Protocol the scheme of that URL.
	Server    *asyncapi.Server
	ServerURL string
	Protocol  string
	// Messages are the operation's messages, else the channel's.
	Messages []*asyncapi.Message
}

// contentType is the media type of the channel's first message that
// gives one.
func (c *AsyncOperation) contentType() string {
	for _, m := range c.Messages {
		if m.ContentType != "" {
			return m.ContentType
		}
	}
	return ""
}

func (e *Engine) receiveTimeout() time.Duration {
	if e.ReceiveTimeout > 0 {
		return e.ReceiveTimeout
	}
	return DefaultReceiveTimeout
}

// message sends or receives the message of an AsyncAPI step, filling the
// result and context. It reports whether an error is fatal.
func (r *run) message(ctx context.Context, st *workflowState, s *Step, sr *StepResult, sc *stepContext) bool {
	if r.e.Messenger == nil {
		sr.Err = fmt.Errorf("step %q sends or receives messages: %w without a Messenger", s.ID, ErrUnsupported)
		return true
	}
	ch := st.d.channels[s]
	b := &requestBuilder{path: ch.Channel.Address, sc: sc}
	sc.pathParams = map[string]string{}
	for _, p := range mergeParameters(st.w.Parameters, s.Parameters) {
		v, err := p.Value.eval(sc)
		if err == nil {
			err = b.add(p, plain(v))
		}
		if err != nil {
			sr.Err = fmt.Errorf("step %q: parameter %q (%s): %w", s.ID, p.Name, p.Pos, err)
			return true
		}
	}
	if s.Action == ActionSend {
		return r.publish(ctx, s, ch, b, sr, sc)
	}
	return r.receive(ctx, s, ch, b, sr, sc)
}

// publish sends the step's payload with its header parameters.
func (r *run) publish(ctx context.Context, s *Step, ch *AsyncOperation, b *requestBuilder, sr *StepResult, sc *stepContext) bool {
	body, ct, err := buildBody(sc, s.RequestBody, &Operation{ContentType: ch.contentType()})
	if err != nil {
		sr.Err = fmt.Errorf("step %q: requestBody (%s): %w", s.ID, s.RequestBody.Pos, err)
		return true
	}
	m := &Message{Action: ActionSend, Protocol: ch.Protocol, URL: joinAddress(ch.ServerURL, b.path), Channel: b.path,
		Header: b.header, Payload: body, ContentType: ct, Step: s}
	sr.Message, sc.msg = m, m
	if err := r.e.Messenger.Publish(ctx, m); err != nil {
		sr.Err = fmt.Errorf("step %q: send to %s: %w", s.ID, m.URL, err)
	}
	return false
}

// receive waits for a message on the channel that carries the step's
// correlationId, up to the step's timeout (DefaultReceiveTimeout when it
// gives none).
func (r *run) receive(ctx context.Context, s *Step, ch *AsyncOperation, b *requestBuilder, sr *StepResult, sc *stepContext) bool {
	sub := &Subscription{Step: s, Protocol: ch.Protocol, URL: joinAddress(ch.ServerURL, b.path), Channel: b.path,
		ContentType: ch.contentType(), Match: func(*Message) bool { return true }}
	if s.CorrelationID != nil {
		v, err := s.CorrelationID.eval(sc)
		var want string
		if err == nil {
			want, err = expr.Text(plain(v))
		}
		if err != nil {
			sr.Err = fmt.Errorf("step %q: correlationId (%s): %w", s.ID, s.CorrelationID.Pos, err)
			return true
		}
		loc := asyncapi.Correlated(ch.Messages)
		sub.Match = func(m *Message) bool { return Correlates(m, loc, want) }
		sub.Correlation, sub.CorrelationID = loc, want
	}
	timeout := s.Timeout
	if timeout == 0 {
		timeout = r.e.receiveTimeout()
	}
	sub.Timeout = timeout
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	m, err := r.e.Messenger.Receive(ctx, sub)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("no matching message within %s: %w", timeout, err)
		}
		sr.Err = fmt.Errorf("step %q: receive on %s: %w", s.ID, sub.URL, err)
		return false
	}
	m.Step = s
	sr.Message, sc.msg = m, m
	return false
}

// joinAddress is a server's URL followed by a channel's address, with one
// slash between them.
func joinAddress(server, address string) string {
	if address == "" {
		return server
	}
	return strings.TrimRight(server, "/") + "/" + strings.TrimLeft(address, "/")
}

// Correlates reports whether m carries want at the correlation location
// loc, compared as text; false when loc is nil.
func Correlates(m *Message, loc *asyncapi.Correlation, want string) bool {
	if loc == nil {
		return false
	}
	v, ok := correlationValue(m, loc)
	if !ok {
		return false
	}
	got, err := expr.Text(v)
	return err == nil && got == want
}

// correlationValue reads the value at loc in m.
func correlationValue(m *Message, loc *asyncapi.Correlation) (any, bool) {
	ptr := loc.Pointer
	var v any
	if loc.Source == asyncapi.InHeader {
		if len(ptr) == 0 {
			return nil, false
		}
		h, ok := m.Get(ptr[0])
		if !ok {
			return nil, false
		}
		if v, ptr = h, ptr[1:]; len(ptr) > 0 {
			v = bodyValue("", []byte(h))
		}
	} else {
		v = bodyValue(m.ContentType, m.Payload)
	}
	v, err := expr.Resolve(v, ptr)
	return v, err == nil && v != nil
}
