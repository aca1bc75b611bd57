package asyncapi

import (
	"strings"

	"github.com/callsheet/callsheet/collections"
)

// Pos is a position in a document: file, 1-based line and column.
type Pos = collections.Pos

// Actions of operations.
const (
	Send    = "send"
	Receive = "receive"
)

// Document is one AsyncAPI description.
type Document struct {
	File string
	// Version is the asyncapi field as written; Major is 2 or 3.
	Version string
	Major   int
	// DefaultContentType applies to messages that give none.
	DefaultContentType string
	Servers            []*Server
	Channels           []*Channel
	Operations         []*Operation
}

// Server is a Server Object.
type Server struct {
	Pos  Pos
	Name string
	// Host is host[:port]; Pathname is "" or starts with /.
	Host, Pathname string
	// Protocol is as written, in lower case: ws, wss, kafka, mqtt, ….
	Protocol    string
	ProtocolPos Pos
}

// URL is the server's URL: protocol://host followed by the pathname.
func (s *Server) URL() string {
	return s.Protocol + "://" + s.Host + s.Pathname
}

// Channel is a Channel Object.
type Channel struct {
	Pos Pos
	// Key is the channel's name under channels (in 2.x, its address).
	Key string
	// Address is the channel's address, with its {parameters}; "" when
	// null.
	Address string
	// Servers are those the channel is on: the ones it names, else all of
	// the document's.
	Servers  []*Server
	Messages []*Message
}

// Operation is an Operation Object (in 2.x, a channel's publish or
// subscribe).
type Operation struct {
	Pos Pos
	ID  string
	// Action is send or receive, for the application the document
	// describes.
	Action   string
	Channel  *Channel
	Messages []*Message
}

// Message is a Message Object.
type Message struct {
	Pos  Pos
	Name string
	// ContentType is the message's, else the document's default.
	ContentType string
	// Headers and Payload are the schemas as JSON values; nil when absent.
	Headers, Payload any
	// Correlation is nil when the message has no correlationId.
	Correlation *Correlation
}

// Sources of correlation locations.
const (
	InHeader  = "header"
	InPayload = "payload"
)

// Correlation is a Correlation ID Object: where a message carries the
// value that links it to others.
type Correlation struct {
	Pos Pos
	// Location is as written, such as $message.header#/requestId.
	Location string
	// Source is header or payload; Pointer the decoded JSON pointer into
	// it, empty for the whole.
	Source  string
	Pointer []string
}

// OperationByID returns the operation whose operationId (in 3.0, whose
// key under operations) is id.
func (d *Document) OperationByID(id string) (*Operation, bool) {
	for _, op := range d.Operations {
		if op.ID == id {
			return op, true
		}
	}
	return nil, false
}

// OperationIDs lists the operationIds, for suggestions.
func (d *Document) OperationIDs() []string {
	var out []string
	for _, op := range d.Operations {
		out = append(out, op.ID)
	}
	return out
}

// ChannelAt returns the channel at a JSON pointer into the document,
// /channels/<key> (~1 for / in a 2.x address).
func (d *Document) ChannelAt(pointer string) (*Channel, bool) {
	toks, ok := strings.CutPrefix(pointer, "/channels/")
	if !ok || strings.Contains(toks, "/") {
		return nil, false
	}
	key := unescape(toks)
	for _, ch := range d.Channels {
		if ch.Key == key {
			return ch, true
		}
	}
	return nil, false
}

// ChannelKeys lists the keys of the channels, for suggestions.
func (d *Document) ChannelKeys() []string {
	var out []string
	for _, ch := range d.Channels {
		out = append(out, ch.Key)
	}
	return out
}

// Correlated returns the correlationId of the first of msgs that has
// one, nil when none has.
func Correlated(msgs []*Message) *Correlation {
	for _, m := range msgs {
		if m.Correlation != nil {
			return m.Correlation
		}
	}
	return nil
}

// unescape decodes one JSON pointer token.
func unescape(tok string) string {
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
}
