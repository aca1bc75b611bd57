package session

import (
	"context"
	"fmt"

	"github.com/callsheet/callsheet/arazzo"
	"github.com/callsheet/callsheet/asyncapi"
	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/messaging"
)

// hubMessenger sends and receives the messages of a replay through one
// messaging.Hub, so that a message sent again and the reply a later
// receive waits for share a connection, as in the run.
type hubMessenger struct {
	hub *messaging.Hub
}

// Publish sends m through the hub.
func (h *hubMessenger) Publish(ctx context.Context, m *exchange.Message) error {
	out := &messaging.Message{URL: m.URL, Payload: m.Body}
	for _, f := range m.Header {
		out.Header = append(out.Header, messaging.Field{Name: f.Name, Value: f.Value})
	}
	return h.hub.Publish(ctx, out)
}

// Receive waits on the hub for a message on want.URL that carries
// want.Correlation, read as the receive step read it.
func (h *hubMessenger) Receive(ctx context.Context, want *exchange.Message) (*exchange.Message, error) {
	match := func(*arazzo.Message) bool { return true }
	if c := want.Correlation; c != nil {
		src, ptr, err := asyncapi.ParseLocation(c.Location)
		if err != nil {
			return nil, fmt.Errorf("recorded correlation %q: %w", c.Location, err)
		}
		loc := &asyncapi.Correlation{Location: c.Location, Source: src, Pointer: ptr}
		match = func(m *arazzo.Message) bool { return arazzo.Correlates(m, loc, c.Value) }
	}
	in := func(m *messaging.Message) *arazzo.Message {
		out := &arazzo.Message{Action: arazzo.ActionReceive, Protocol: want.Protocol, URL: m.URL, Channel: want.Channel,
			Payload: m.Payload, ContentType: want.ContentType}
		for _, f := range m.Header {
			out.Header = append(out.Header, arazzo.Field{Name: f.Name, Value: f.Value})
		}
		return out
	}
	got, err := h.hub.Receive(ctx, want.URL, func(m *messaging.Message) bool { return match(in(m)) })
	if err != nil {
		return nil, err
	}
	return messageOf(in(got)), nil
}
