package messaging

import (
	"context"
	"sync"
)

// inbox queues the messages a link received until a receive takes them,
// at most MaxQueued of them (the oldest are dropped past that).
type inbox struct {
	mu    sync.Mutex
	queue []*Message
	// arrived is closed, and replaced, when a message arrives or the link
	// ends.
	arrived chan struct{}
	// err is why the link ended, nil while it goes on.
	err error
}

func newInbox() *inbox { return &inbox{arrived: make(chan struct{})} }

// put queues m.
func (b *inbox) put(m *Message) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.queue = append(b.queue, m)
	if len(b.queue) > MaxQueued {
		b.queue = b.queue[len(b.queue)-MaxQueued:]
	}
	b.wake()
}

// end records why the link ended; receives see it once the queue holds
// nothing they accept.
func (b *inbox) end(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.err = err
	b.wake()
}

func (b *inbox) wake() {
	close(b.arrived)
	b.arrived = make(chan struct{})
}

// take removes and returns the first queued message match accepts,
// waiting for one until ctx ends or the link does.
func (b *inbox) take(ctx context.Context, match func(*Message) bool) (*Message, error) {
	for {
		b.mu.Lock()
		for i, m := range b.queue {
			if match(m) {
				b.queue = append(b.queue[:i:i], b.queue[i+1:]...)
				b.mu.Unlock()
				return m, nil
			}
		}
		err, arrived := b.err, b.arrived
		b.mu.Unlock()
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
