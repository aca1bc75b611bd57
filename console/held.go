package console

import (
	"io"
	"sync"
	"time"
)

// HeldWriter holds what is written to it, up to size bytes and for at
// most hold, then writes it to w at once. It is safe for concurrent use.
type HeldWriter struct {
	w    io.Writer
	size int
	hold time.Duration

	mu    sync.Mutex
	buf   []byte
	timer *time.Timer
	armed bool // the timer will write buf out
	err   error
}

// NewHeldWriter returns a HeldWriter writing to w.
func NewHeldWriter(w io.Writer, size int, hold time.Duration) *HeldWriter {
	return &HeldWriter{w: w, size: size, hold: hold}
}

// Write holds p, writing out first what was held if p does not fit, and
// p itself if it is larger than the buffer.
func (h *HeldWriter) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.err != nil {
		return 0, h.err
	}
	if len(h.buf)+len(p) > h.size {
		if err := h.writeOut(); err != nil {
			return 0, err
		}
		if len(p) >= h.size {
			return h.w.Write(p)
		}
	}
	if h.buf == nil {
		h.buf = make([]byte, 0, h.size)
	}
	h.buf = append(h.buf, p...)
	if !h.armed {
		h.armed = true
		if h.timer == nil {
			h.timer = time.AfterFunc(h.hold, h.expire)
		} else {
			h.timer.Reset(h.hold)
		}
	}
	return len(p), nil
}

// expire writes out what is held when the timer fires.
func (h *HeldWriter) expire() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.armed = false
	h.writeOut()
}

// Flush writes out what is held, waiting for a write under way to end:
// for at most limit if limit > 0, in which case it may return before
// what is held is written out.
func (h *HeldWriter) Flush(limit time.Duration) {
	if limit <= 0 {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.writeOut()
		return
	}
	done := make(chan struct{})
	go func() {
		h.Flush(0)
		close(done)
	}()
	wait := time.NewTimer(limit)
	defer wait.Stop()
	select {
	case <-done:
	case <-wait.C:
	}
}

// writeOut writes buf to w; h.mu is held. A failed write is kept and
// returned by every later Write.
func (h *HeldWriter) writeOut() error {
	if len(h.buf) == 0 || h.err != nil {
		return h.err
	}
	_, h.err = h.w.Write(h.buf)
	h.buf = h.buf[:0]
	return h.err
}

// Streams returns the writers of a process's stdout and stderr, and
// flush, which writes out what stdout holds (HeldWriter.Flush). On a
// terminal (stdoutTerminal), stdout is written as it comes. Elsewhere (a
// pipe, a file) it is held, up to size bytes and for at most hold, and
// written out before anything is written to a stderr that is not a
// terminal either (FlushFirst), so that 2>&1 keeps the order.
func Streams(stdout, stderr io.Writer, stdoutTerminal, stderrTerminal bool, size int, hold time.Duration) (out, errOut io.Writer, flush func(limit time.Duration)) {
	if stdoutTerminal {
		return stdout, stderr, func(time.Duration) {}
	}
	held := NewHeldWriter(stdout, size, hold)
	errOut = stderr
	if !stderrTerminal {
		errOut = FlushFirst{Held: held, W: stderr}
	}
	return held, errOut, held.Flush
}

// FlushFirst is a stream (stderr) that writes out what Held holds before
// each write to W, so that where both go to one place their order is kept.
type FlushFirst struct {
	Held *HeldWriter
	W    io.Writer
}

// Write flushes Held, then writes p to W.
func (f FlushFirst) Write(p []byte) (int, error) {
	f.Held.Flush(0)
	return f.W.Write(p)
}
