package collections

import (
	"bytes"
	"strings"
)

// Lines indexes where each line of a source text starts, so that line n is
// found without scanning the text before it: excerpts of many errors in
// one file cost a line each, not a file each.
type Lines struct {
	src    []byte
	starts []int // byte offset of each line's first byte
}

// NewLines indexes src. A nil or empty src has no lines.
func NewLines(src []byte) *Lines {
	l := &Lines{src: src}
	if len(src) == 0 {
		return l
	}
	l.starts = make([]int, 1, bytes.Count(src, []byte{'\n'})+1)
	for i := 0; ; {
		nl := bytes.IndexByte(src[i:], '\n')
		if nl < 0 {
			return l
		}
		i += nl + 1
		l.starts = append(l.starts, i)
	}
}

// Line returns line n (from 1) as written, without its terminator, and
// whether the source has it. After a final newline there is one more,
// empty, line, as an editor shows.
func (l *Lines) Line(n int) (string, bool) {
	if n < 1 || n > len(l.starts) {
		return "", false
	}
	end := len(l.src)
	if n < len(l.starts) {
		end = l.starts[n] - 1
	}
	return strings.TrimSuffix(string(l.src[l.starts[n-1]:end]), "\r"), true
}
