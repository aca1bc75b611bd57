package console

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/runner"
)

// spinner are the frames of the live progress lines.
var spinner = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// Terminal control sequences of the live progress lines.
const (
	cursorUp  = "\x1b[1A"
	eraseLine = "\x1b[2K"
)

// progress draws, below the output printed so far, one updating line per
// collection running, such as `⠋ users  step 3/7  get [2]`. It is used
// only when stdout is a terminal and several collections run at once;
// every other write to the terminal goes through print, which erases the
// lines first and draws them again after. It is safe for concurrent use;
// a nil *progress does nothing.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	st    Style
	lines []*progressLine // running collections, in start order
	drawn int             // lines on screen now
	frame int
}

// progressLine is the state of one running collection.
type progressLine struct {
	name  string
	index map[*collections.Step]int // top-level steps by position
	total int
	at    int    // the step running, from 1
	last  string // the name of the last result
}

// start adds the line of a collection starting.
func (p *progress) start(name string, c *collections.Collection) *progressLine {
	if p == nil {
		return nil
	}
	l := &progressLine{name: name, index: map[*collections.Step]int{}, total: len(c.Steps) + len(c.Finally)}
	for i, s := range append(append([]*collections.Step{}, c.Steps...), c.Finally...) {
		l.index[s] = i + 1
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lines = append(p.lines, l)
	p.redraw()
	return l
}

// step records the result of a step of l's collection.
func (p *progress) step(l *progressLine, sr *runner.StepResult) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if i, ok := l.index[sr.Step]; ok {
		l.at = i
	}
	l.last = sr.Name
	p.redraw()
}

// end removes the line of a collection that ended.
func (p *progress) end(l *progressLine) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, x := range p.lines {
		if x == l {
			p.lines = append(p.lines[:i], p.lines[i+1:]...)
			break
		}
	}
	p.redraw()
}

// print runs write, which prints to the terminal, with the live lines
// erased, then draws them again. Without progress it just runs write.
func (p *progress) print(write func()) {
	if p == nil {
		write()
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.erase()
	write()
	p.draw()
}

// redraw erases the live lines and draws them anew, the spinner one frame
// on. The caller holds p.mu.
func (p *progress) redraw() {
	p.frame++
	p.erase()
	p.draw()
}

// erase removes the lines drawn. The caller holds p.mu.
func (p *progress) erase() {
	if p.drawn > 0 {
		io.WriteString(p.w, "\r"+eraseLine+strings.Repeat(cursorUp+eraseLine, p.drawn))
	}
	p.drawn = 0
}

// draw writes one line per running collection, ending with a newline
// each, and counts them. The caller holds p.mu.
func (p *progress) draw() {
	var b strings.Builder
	for i, l := range p.lines {
		at := max(l.at, 1)
		line := fmt.Sprintf("%s %s  %s", p.st.Yellow(spinner[(p.frame+i)%len(spinner)]), safetext.Line(l.name), p.st.Dim(fmt.Sprintf("step %d/%d", min(at, l.total), l.total)))
		if l.last != "" {
			line += "  " + p.st.Dim(safetext.Line(l.last))
		}
		b.WriteString(line + "\n")
	}
	io.WriteString(p.w, b.String())
	p.drawn = len(p.lines)
}
