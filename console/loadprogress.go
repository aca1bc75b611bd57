package console

import (
	"fmt"
	"io"
	"time"

	"github.com/callsheet/callsheet/load"
)

// LoadProgress shows a load test's progress on W: one line rewritten in
// place on a terminal (TTY), else a plain line every plainEvery; nothing
// when Off.
type LoadProgress struct {
	W       io.Writer
	TTY     bool
	Off     bool
	shown   bool
	lastOut time.Duration
}

// plainEvery is how often progress is printed without a terminal.
const plainEvery = 10 * time.Second

// Show shows p.
func (l *LoadProgress) Show(p load.Progress) {
	switch {
	case l.Off:
	case l.TTY:
		fmt.Fprintf(l.W, "\r\x1b[K%s", load.ProgressLine(p))
		l.shown = true
	case p.Elapsed-l.lastOut >= plainEvery:
		fmt.Fprintln(l.W, load.ProgressLine(p))
		l.lastOut = p.Elapsed
	}
}

// End clears the live line.
func (l *LoadProgress) End() {
	if l.shown {
		fmt.Fprint(l.W, "\r\x1b[K")
	}
}
