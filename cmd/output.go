package cmd

import (
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"
)

// Output returns the writers for Main of the process's stdout and stderr,
// and flush, which writes out what stdout holds. flush waits for a write
// under way to end, for at most limit if limit > 0 (a process about to
// exit at once does not hang on a reader that stopped reading).
//
// On a terminal, stdout is written as it comes. Elsewhere (a pipe, a file)
// it is held, so that a run costs a few writes rather than several per
// step, and written out when it fills, at the latest holdFor after it
// began holding, before anything is written to a stderr that is not a
// terminal either (so that 2>&1 keeps the order), and at flush.
func Output(stdout, stderr *os.File) (out, errOut io.Writer, flush func(limit time.Duration)) {
	return output(stdout, stderr, holdFor)
}

// output is Output holding stdout for at most hold.
func output(stdout, stderr *os.File, hold time.Duration) (out, errOut io.Writer, flush func(limit time.Duration)) {
	if term.IsTerminal(int(stdout.Fd())) {
		return stdout, stderr, func(time.Duration) {}
	}
	held := newHeldWriter(stdout, heldSize, hold)
	errOut = stderr
	if !term.IsTerminal(int(stderr.Fd())) {
		errOut = flushFirst{held: held, w: stderr}
	}
	return held, errOut, held.flush
}

const (
	// heldSize is how much stdout holds at most.
	heldSize = 32 << 10
	// holdFor is how long stdout holds what it was given at most.
	holdFor = 100 * time.Millisecond
)

// heldWriter holds what is written to it, up to size bytes and for at
// most hold, then writes it to w at once. It is safe for concurrent use.
type heldWriter struct {
	w    io.Writer
	size int
	hold time.Duration

	mu    sync.Mutex
	buf   []byte
	timer *time.Timer
	armed bool // the timer will write buf out
	err   error
}

func newHeldWriter(w io.Writer, size int, hold time.Duration) *heldWriter {
	return &heldWriter{w: w, size: size, hold: hold}
}

// Write holds p, writing out first what was held if p does not fit, and
// p itself if it is larger than the buffer.
func (h *heldWriter) Write(p []byte) (int, error) {
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
func (h *heldWriter) expire() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.armed = false
	h.writeOut()
}

// flush writes out what is held, waiting for a write under way to end:
// for at most limit if limit > 0, in which case it may return before
// what is held is written out.
func (h *heldWriter) flush(limit time.Duration) {
	if limit <= 0 {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.writeOut()
		return
	}
	done := make(chan struct{})
	go func() {
		h.flush(0)
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
func (h *heldWriter) writeOut() error {
	if len(h.buf) == 0 || h.err != nil {
		return h.err
	}
	_, h.err = h.w.Write(h.buf)
	h.buf = h.buf[:0]
	return h.err
}

// flushFirst is a stderr that writes out what stdout holds before each
// write, so that where both go to one place their order is kept.
type flushFirst struct {
	held *heldWriter
	w    io.Writer
}

func (f flushFirst) Write(p []byte) (int, error) {
	f.held.flush(0)
	return f.w.Write(p)
}
