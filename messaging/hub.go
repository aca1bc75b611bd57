package messaging

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
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
func Protocols() []string { return []string{"ws", "wss", "kafka"} }

// link is a connection that messages go out and come in through.
type link interface {
	// publish sends m and returns once it is written (for Kafka, once the
	// broker acknowledged it).
	publish(ctx context.Context, m *Message) error
	// take removes and returns the first message received that match
	// accepts, waiting for one until ctx ends or the link does.
	take(ctx context.Context, match func(*Message) bool) (*Message, error)
	close() error
}

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

	mu    sync.Mutex
	links map[string]link
	// start is when the hub was first used: Kafka links read the
	// records of their topic from then on.
	start  time.Time
	closed bool
}

// Publish sends m on the connection to m.URL, opening it first if need
// be, and returns once it is written.
func (h *Hub) Publish(ctx context.Context, m *Message) error {
	if len(m.Header) > 0 && isWebSocket(m.URL) {
		return fmt.Errorf("%s: WebSocket messages carry no headers; the message has %s", redact(m.URL), m.Header[0].Name)
	}
	l, err := h.link(ctx, m.URL)
	if err != nil {
		return err
	}
	return l.publish(ctx, m)
}

// Receive returns the first message on the connection to u, queued or
// arriving, that match accepts, opening the connection first if need be.
// It waits until ctx ends, then returns ctx's error.
func (h *Hub) Receive(ctx context.Context, u string, match func(*Message) bool) (*Message, error) {
	l, err := h.link(ctx, u)
	if err != nil {
		return nil, err
	}
	return l.take(ctx, match)
}

// Close closes every connection; the Hub cannot be used after.
func (h *Hub) Close() error {
	h.mu.Lock()
	links := h.links
	h.links, h.closed = nil, true
	h.mu.Unlock()
	var errs []error
	for _, l := range links {
		errs = append(errs, l.close())
	}
	return errors.Join(errs...)
}

// link returns the link to u, opening it if there is none.
func (h *Hub) link(ctx context.Context, u string) (link, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, errors.New("messaging: the hub is closed")
	}
	if h.start.IsZero() {
		h.start = time.Now()
	}
	if l := h.links[u]; l != nil {
		return l, nil
	}
	var l link
	var err error
	switch {
	case isWebSocket(u):
		l, err = dial(ctx, u, h.Client, h.maxMessage())
	case scheme(u) == "kafka":
		l, err = dialKafka(u, h.start, h.maxMessage())
	default:
		err = fmt.Errorf("%s: protocol %q is not one of %s", redact(u), scheme(u), strings.Join(Protocols(), ", "))
	}
	if err != nil {
		return nil, err
	}
	if h.links == nil {
		h.links = map[string]link{}
	}
	h.links[u] = l
	return l, nil
}

// isWebSocket reports whether u is a ws:// or wss:// URL.
func isWebSocket(u string) bool {
	s := scheme(u)
	return s == "ws" || s == "wss"
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
