package console

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// countingWriter records what is written to it and in how many writes.
type countingWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	writes int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writes++
	return c.buf.Write(p)
}

func (c *countingWriter) state() (string, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String(), c.writes
}

// TestHeldWriter writes lines to a held stdout and counts the writes that
// reach the stream: none until it fills or is flushed, then one.
func TestHeldWriter(t *testing.T) {
	tests := []struct {
		name       string
		size       int
		lines      []string
		wantWrites int // before flush
		wantHeld   string
	}{
		{"small lines are held", 64, []string{"a\n", "bb\n", "ccc\n"}, 0, "a\nbb\nccc\n"},
		{"a line that does not fit writes out the others", 8, []string{"1234\n", "5678\n"}, 1, "5678\n"},
		{"a line larger than the buffer goes straight out", 8, []string{"ab\n", "0123456789\n", "c\n"}, 2, "c\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w countingWriter
			h := NewHeldWriter(&w, tt.size, time.Hour)
			for _, l := range tt.lines {
				if n, err := h.Write([]byte(l)); n != len(l) || err != nil {
					t.Fatalf("Write(%q) = %d, %v", l, n, err)
				}
			}
			got, writes := w.state()
			if writes != tt.wantWrites {
				t.Errorf("%d writes before flush, want %d", writes, tt.wantWrites)
			}
			all := strings.Join(tt.lines, "")
			if got != strings.TrimSuffix(all, tt.wantHeld) {
				t.Errorf("written before flush %q, want all but %q", got, tt.wantHeld)
			}
			h.Flush(0)
			got, writes = w.state()
			if got != all || writes != tt.wantWrites+1 {
				t.Errorf("after flush: %q in %d writes, want %q in %d", got, writes, all, tt.wantWrites+1)
			}
			h.Flush(0)
			if _, again := w.state(); again != writes {
				t.Errorf("a flush with nothing held wrote")
			}
		})
	}
}

// TestHeldWriterWritesOutInTime leaves a line held: it is written out
// without a flush.
func TestHeldWriterWritesOutInTime(t *testing.T) {
	var w countingWriter
	h := NewHeldWriter(&w, 64, time.Millisecond)
	for i := range 2 {
		line := fmt.Sprintf("line %d\n", i)
		h.Write([]byte(line))
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(time.Millisecond) { // hang guard only
			if got, _ := w.state(); strings.HasSuffix(got, line) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%q still held", line)
			}
		}
	}
}

// TestHeldWriterFlushGivesUp: a flush with a limit returns while a
// write is under way, and writes out once it ends.
func TestHeldWriterFlushGivesUp(t *testing.T) {
	var w countingWriter
	h := NewHeldWriter(&w, 64, time.Hour)
	h.Write([]byte("x"))
	h.mu.Lock() // a write under way
	h.Flush(time.Millisecond)
	_, writes := w.state()
	h.mu.Unlock()
	if writes != 0 {
		t.Errorf("flush wrote while the writer was busy")
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(time.Millisecond) { // hang guard only
		if got, _ := w.state(); got == "x" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("what was held is never written out")
		}
	}
}

// TestHeldWriterConcurrent writes from several goroutines while the
// timer writes out: every line arrives whole.
func TestHeldWriterConcurrent(t *testing.T) {
	var w countingWriter
	h := NewHeldWriter(&w, 256, time.Microsecond)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				fmt.Fprintf(h, "%d-%03d\n", g, i)
			}
		})
	}
	wg.Wait()
	h.Flush(0)
	got, _ := w.state()
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if len(lines) != 8*200 {
		t.Fatalf("%d lines, want %d", len(lines), 8*200)
	}
	for _, l := range lines {
		if len(l) != len("0-000") {
			t.Fatalf("torn line %q", l)
		}
	}
}

func TestStreams(t *testing.T) {
	tests := []struct {
		name                     string
		outTerminal, errTerminal bool
		want                     string // what reaches the one place both go to, before flush
	}{
		{"both to a file", false, false, "one\ntwo\n"},
		{"stdout to a terminal", true, false, "one\ntwo\nthree\n"},
		{"stderr to a terminal", false, true, "two\n"},
	}
	for _, tt := range tests {
		place := &countingWriter{}
		out, errOut, flush := Streams(place, place, tt.outTerminal, tt.errTerminal, 1<<10, time.Hour)
		fmt.Fprintln(out, "one")
		fmt.Fprintln(errOut, "two")
		fmt.Fprintln(out, "three")
		if got, _ := place.state(); got != tt.want {
			t.Errorf("%s: before flush %q, want %q", tt.name, got, tt.want)
		}
		flush(0)
		if got, _ := place.state(); !strings.HasSuffix(got, "three\n") || strings.Count(got, "\n") != 3 {
			t.Errorf("%s: after flush %q, want all three lines", tt.name, got)
		}
	}
}
