package session

import (
	"context"
	"slices"
	"strings"

	"github.com/callsheet/callsheet/arazzo"
	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/messaging"
)

// The AsyncAPI steps of a workflow send and receive their messages
// through a messaging.Hub that lives as long as the workflow's run, so
// that a message sent by one step and the reply a later step waits for
// share a connection. The message of a step run is its result's Message,
// masked and cut as request bodies are.

// Publish sends m through the run's hub.
// A secret goes over plain ws:// or kafka:// only to loopback, unless
// --allow-insecure-http.
func (a *flowRun) Publish(ctx context.Context, m *arazzo.Message) error {
	if err := a.x.CheckMessage(m.URL, messageOf(m).Header, m.Payload); err != nil {
		return err
	}
	out := &messaging.Message{URL: m.URL, Payload: m.Payload}
	for _, f := range m.Header {
		out.Header = append(out.Header, messaging.Field{Name: f.Name, Value: f.Value})
	}
	return a.hub.Publish(ctx, out)
}

// Receive waits on the run's hub for a message that sub accepts.
func (a *flowRun) Receive(ctx context.Context, sub *arazzo.Subscription) (*arazzo.Message, error) {
	in := func(m *messaging.Message) *arazzo.Message {
		out := &arazzo.Message{Action: arazzo.ActionReceive, Protocol: sub.Protocol, URL: m.URL, Channel: sub.Channel,
			Payload: m.Payload, ContentType: sub.ContentType, Step: sub.Step}
		for _, f := range m.Header {
			out.Header = append(out.Header, arazzo.Field{Name: f.Name, Value: f.Value})
		}
		return out
	}
	a.waited = sub
	got, err := a.hub.Receive(ctx, sub.URL, func(m *messaging.Message) bool { return sub.Match(in(m)) })
	if err != nil {
		return nil, err
	}
	return in(got), nil
}

// messageOf is m as the runner's results hold it.
func messageOf(m *arazzo.Message) *exchange.Message {
	out := &exchange.Message{Action: m.Action, Protocol: m.Protocol, URL: m.URL, Channel: m.Channel, ContentType: m.ContentType,
		Body: m.Payload, Size: int64(len(m.Payload))}
	for _, f := range m.Header {
		out.Header = append(out.Header, exchange.Field{Name: f.Name, Value: f.Value})
	}
	return out
}

// waited adds to m, a message received, what its step waited for (sub,
// nil for a message sent): the correlation and the timeout, which a
// replay waits with again.
func waited(m *exchange.Message, sub *arazzo.Subscription) {
	if sub == nil || m.Action != arazzo.ActionReceive {
		return
	}
	m.Timeout = sub.Timeout
	if sub.Correlation != nil {
		m.Correlation = &exchange.Correlation{Location: sub.Correlation.Location, Value: sub.CorrelationID}
	}
}

// isMessageURL reports whether v is the URL of a server that callsheet
// sends messages to (ws://…, wss://…).
func isMessageURL(v string) bool {
	scheme, _, found := strings.Cut(v, "://")
	return found && slices.Contains(messaging.Protocols(), strings.ToLower(scheme))
}
