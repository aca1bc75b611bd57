package messaging

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/coder/websocket"
)

// Limits of a Hub.
const (
	// MaxQueued is the number of received messages a connection keeps for
	// later receives.
	MaxQueued = 1000
	// DefaultMaxMessage is the largest message a Hub reads when its
	// MaxMessage is 0.
	DefaultMaxMessage = 10 << 20
)

// Protocols are the protocols a Hub sends and receives messages over.
func Protocols() []string { return []string{"ws", "wss"} }

// Field is one header of a message.
type Field struct {
	Name, Value string
}

// Message is a message sent or received.
type Message struct {
	// URL is where the message goes or came from: the server's URL
	// followed by the channel's address.
	URL     string
	Header  []Field
	Payload []byte
}

// Hub holds the connections of one run. Its methods are safe for
// concurrent use.
type Hub struct {
	// Client makes the WebSocket handshakes (TLS settings, proxy); nil is
	// http.DefaultClient. Its Timeout bounds each handshake.
	Client *http.Client
	// MaxMessage caps each message received, in bytes; 0 means
	// DefaultMaxMessage.
	MaxMessage int64

	mu     sync.Mutex
	conns  map[string]*conn
	closed bool
}

// Publish sends m on the connection to m.URL, opening it first if need
// be, and returns once it is written.
func (h *Hub) Publish(ctx context.Context, m *Message) error {
	if len(m.Header) > 0 {
		return fmt.Errorf("%s: WebSocket messages carry no headers; the message has %s", redact(m.URL), m.Header[0].Name)
	}
	c, err := h.conn(ctx, m.URL)
	if err != nil {
		return err
	}
	typ := websocket.MessageText
	if !utf8.Valid(m.Payload) {
		typ = websocket.MessageBinary
	}
	return c.ws.Write(ctx, typ, m.Payload)
}

// Receive returns the first message on the connection to u, queued or
// arriving, that match accepts, opening the connection first if need be.
// It waits until ctx ends, then returns ctx's error.
func (h *Hub) Receive(ctx context.Context, u string, match func(*Message) bool) (*Message, error) {
	c, err := h.conn(ctx, u)
	if err != nil {
		return nil, err
	}
	return c.take(ctx, match)
}

// Close closes every connection; the Hub cannot be used after.
func (h *Hub) Close() error {
	h.mu.Lock()
	conns := h.conns
	h.conns, h.closed = nil, true
	h.mu.Unlock()
	var errs []error
	for _, c := range conns {
		errs = append(errs, c.close())
	}
	return errors.Join(errs...)
}

// conn returns the connection to u, dialing it if there is none.
func (h *Hub) conn(ctx context.Context, u string) (*conn, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, errors.New("messaging: the hub is closed")
	}
	if c := h.conns[u]; c != nil {
		return c, nil
	}
	if !slices.Contains(Protocols(), scheme(u)) {
		return nil, fmt.Errorf("%s: protocol %q is not one of %s", redact(u), scheme(u), strings.Join(Protocols(), ", "))
	}
	c, err := dial(ctx, u, h.Client, h.maxMessage())
	if err != nil {
		return nil, err
	}
	if h.conns == nil {
		h.conns = map[string]*conn{}
	}
	h.conns[u] = c
	return c, nil
}

func (h *Hub) maxMessage() int64 {
	if h.MaxMessage > 0 {
		return h.MaxMessage
	}
	return DefaultMaxMessage
}

// scheme is the scheme of u in lower case.
func scheme(u string) string {
	s, _, _ := strings.Cut(u, "://")
	return strings.ToLower(s)
}

// redact is u with the password of its user information hidden.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	return p.Redacted()
}
