package messaging

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/coder/websocket"
)

// conn is one WebSocket connection and the messages it received that no
// receive took yet.
type conn struct {
	url string
	ws  *websocket.Conn
	// stop ends the connection's context, and with it the reader.
	stop context.CancelFunc
	done chan struct{}

	mu    sync.Mutex
	queue []*Message
	// arrived is closed, and replaced, when a message arrives or reading
	// ends.
	arrived chan struct{}
	// err is why reading ended, nil while it goes on.
	err error
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
	c := &conn{url: u, ws: ws, stop: stop, done: make(chan struct{}), arrived: make(chan struct{})}
	go c.read(life)
	return c, nil
}

// read queues every message received until the connection ends.
func (c *conn) read(ctx context.Context) {
	defer close(c.done)
	for {
		_, data, err := c.ws.Read(ctx)
		c.mu.Lock()
		if err != nil {
			c.err = fmt.Errorf("connection to %s ended: %w", redact(c.url), err)
		} else {
			c.queue = append(c.queue, &Message{URL: c.url, Payload: data})
			if len(c.queue) > MaxQueued {
				c.queue = c.queue[len(c.queue)-MaxQueued:]
			}
		}
		close(c.arrived)
		c.arrived = make(chan struct{})
		c.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// take removes and returns the first queued message match accepts,
// waiting for one until ctx ends or the connection does.
func (c *conn) take(ctx context.Context, match func(*Message) bool) (*Message, error) {
	for {
		c.mu.Lock()
		for i, m := range c.queue {
			if match(m) {
				c.queue = append(c.queue[:i:i], c.queue[i+1:]...)
				c.mu.Unlock()
				return m, nil
			}
		}
		err, arrived := c.err, c.arrived
		c.mu.Unlock()
		if err != nil {
			return nil, err
		}
		select {
		case <-arrived:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
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
