package messaging

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"unicode/utf8"

	"github.com/coder/websocket"
)

// conn is one WebSocket connection and the messages it received that no
// receive took yet.
type conn struct {
	*inbox
	url string
	ws  *websocket.Conn
	// stop ends the connection's context, and with it the reader.
	stop context.CancelFunc
	done chan struct{}
}

// dial opens a connection to u and starts reading it. The connection
// outlives ctx, which bounds the handshake only.
func dial(ctx context.Context, u string, client *http.Client, limit int64) (*conn, error) {
	life, stop := context.WithCancel(context.WithoutCancel(ctx))
	unbind := context.AfterFunc(ctx, stop)
	ws, _, err := websocket.Dial(life, u, &websocket.DialOptions{HTTPClient: client})
	if !unbind() || err != nil {
		stop()
		if err == nil {
			ws.CloseNow()
			err = ctx.Err()
		}
		return nil, fmt.Errorf("connect to %s: %w", redact(u), err)
	}
	ws.SetReadLimit(limit)
	c := &conn{inbox: newInbox(), url: u, ws: ws, stop: stop, done: make(chan struct{})}
	go c.read(life)
	return c, nil
}

// read queues every message received until the connection ends.
func (c *conn) read(ctx context.Context) {
	defer close(c.done)
	for {
		_, data, err := c.ws.Read(ctx)
		if err != nil {
			c.end(fmt.Errorf("connection to %s ended: %w", redact(c.url), err))
			return
		}
		c.put(&Message{URL: c.url, Payload: data})
	}
}

// publish writes m's payload as one message: a text frame when it is valid
// UTF-8, else a binary one.
func (c *conn) publish(ctx context.Context, m *Message) error {
	typ := websocket.MessageText
	if !utf8.Valid(m.Payload) {
		typ = websocket.MessageBinary
	}
	return c.ws.Write(ctx, typ, m.Payload)
}

// close closes the connection normally and waits for the reader to end.
func (c *conn) close() error {
	err := c.ws.Close(websocket.StatusNormalClosure, "")
	c.stop()
	<-c.done
	var ce websocket.CloseError
	if err != nil && (errors.As(err, &ce) || errors.Is(err, context.Canceled)) {
		err = nil
	}
	return err
}
