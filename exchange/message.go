package exchange

import (
	"bytes"
	"time"
)

// Actions of a Message.
const (
	ActionSend    = "send"
	ActionReceive = "receive"
)

// Message is a message an AsyncAPI step of an Arazzo workflow sent or
// received on a channel. In a result it is masked, and its body may hold
// only the start of the payload.
type Message struct {
	// Action is send or receive.
	Action string `json:"action"`
	// Protocol is the server's protocol (ws, wss, …); URL the server's URL
	// followed by the channel's address; Channel that address.
	Protocol string `json:"protocol"`
	URL      string `json:"url"`
	Channel  string `json:"channel,omitempty"`
	// ContentType is the payload's media type, "" when unknown.
	ContentType string `json:"content_type,omitempty"`
	// Header lists the message's headers in order; nil when it has none.
	Header Header `json:"header,omitempty"`
	// Body is the payload; nil when there is none.
	Body []byte `json:"body,omitempty"`
	// Size is the whole payload's size in bytes.
	Size int64 `json:"size,omitempty"`
	// Truncated says Body holds only the start of the payload.
	Truncated bool `json:"truncated,omitempty"`
	// Correlation is what a received message had to carry to count for
	// its step; nil for a send, or a receive that took any message.
	Correlation *Correlation `json:"correlation,omitempty"`
	// Timeout is how long a receive waited at most; 0 when unknown.
	Timeout time.Duration `json:"-"`
}

// Correlation is what a received message must carry: Value at Location,
// an AsyncAPI runtime expression such as $message.header#/requestId.
type Correlation struct {
	Location string `json:"location"`
	Value    string `json:"value"`
}

// Clone returns a deep copy of m.
func (m *Message) Clone() *Message {
	if m == nil {
		return nil
	}
	c := *m
	c.Header = m.Header.Clone()
	c.Body = bytes.Clone(m.Body)
	if m.Correlation != nil {
		corr := *m.Correlation
		c.Correlation = &corr
	}
	return &c
}
