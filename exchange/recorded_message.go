package exchange

import (
	"errors"
	"fmt"
	"time"
)

// RecordedMessage is the message of an AsyncAPI step as a recording keeps
// it, beside the recorded requests. What replay sends or waits on holds
// the secrets as placeholders, as [Recorded] does: the URL, the
// correlation value, and for a send its headers and payload. The message a
// receive got is kept masked, as a recorded response is.
type RecordedMessage struct {
	// Action is send or receive; Protocol, URL, Channel and ContentType
	// are as in Message.
	Action      string `json:"action"`
	Protocol    string `json:"protocol"`
	URL         string `json:"url"`
	Channel     string `json:"channel,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	// Header and Body are the message's headers and payload.
	Header Header `json:"header,omitempty"`
	Body   []byte `json:"body,omitempty"`
	// Correlation is what a receive waited for; nil when it took any
	// message.
	Correlation *Correlation `json:"correlation,omitempty"`
	// Timeout is how long a receive waited at most, as Go writes a
	// duration ("20s"); "" when unknown.
	Timeout string `json:"timeout,omitempty"`
	// Secrets names the secrets the placeholders stand for, sorted.
	Secrets []string `json:"secrets,omitempty"`
	// Masked is set when a secret with no name was masked (as ***) in
	// what replay sends or waits on: the message cannot be sent again.
	Masked bool `json:"masked,omitempty"`
}

// ErrMaskedMessage is the cause of a replay of a message whose recording
// masked a secret it had no name for.
var ErrMaskedMessage = errors.New("the recording masked a secret that has no name: the message cannot be sent or waited for as it was")

// NoteSecrets sets m.Secrets to the secrets whose placeholders m holds.
func (m *RecordedMessage) NoteSecrets() {
	texts := []string{m.URL}
	if m.Correlation != nil {
		texts = append(texts, m.Correlation.Value)
	}
	if m.Action == ActionSend {
		texts = append(texts, string(m.Body))
		for _, f := range m.Header {
			texts = append(texts, f.Value)
		}
	}
	m.Secrets = secretsIn(texts...)
}

// Restore returns the message with its placeholders replaced by the
// values of secrets (as [Recorded.Restore] does): for a send, the message
// to send byte for byte as first sent; for a receive, the URL and
// correlation to wait on, with the recorded message as received.
func (m *RecordedMessage) Restore(secrets map[string]string) (*Message, error) {
	if m.Masked {
		return nil, ErrMaskedMessage
	}
	f := &filler{secrets: secrets}
	out := &Message{Action: m.Action, Protocol: m.Protocol, URL: f.fill(m.URL), Channel: m.Channel, ContentType: m.ContentType,
		Header: m.Header.Clone(), Body: m.Body, Size: int64(len(m.Body))}
	if m.Action == ActionSend {
		for i := range out.Header {
			out.Header[i].Value = f.fill(out.Header[i].Value)
		}
		if m.Body != nil {
			out.Body = []byte(f.fill(string(m.Body)))
			out.Size = int64(len(out.Body))
		}
	}
	if c := m.Correlation; c != nil {
		out.Correlation = &Correlation{Location: c.Location, Value: f.fill(c.Value)}
	}
	if m.Timeout != "" {
		d, err := time.ParseDuration(m.Timeout)
		if err != nil {
			return nil, fmt.Errorf("recorded timeout: %w", err)
		}
		out.Timeout = d
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	return out, nil
}
