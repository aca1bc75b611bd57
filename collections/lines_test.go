package collections

import (
	"fmt"
	"strings"
	"testing"
)

// TestLinesMatchesScan checks that the index finds the same lines as
// scanning the text, for every line number around each text's ends.
func TestLinesMatchesScan(t *testing.T) {
	for _, src := range []string{
		"",
		"one",
		"one\n",
		"one\ntwo",
		"one\r\ntwo\r\n",
		"\n\n",
		"a\n\nc\n",
		"tab\there\nünïcode\n",
	} {
		l := NewLines([]byte(src))
		for n := -1; n <= strings.Count(src, "\n")+3; n++ {
			wantText, wantOK := rawLine([]byte(src), n)
			gotText, gotOK := l.Line(n)
			if gotText != wantText || gotOK != wantOK {
				t.Errorf("NewLines(%q).Line(%d) = %q, %v; scanning gives %q, %v", src, n, gotText, gotOK, wantText, wantOK)
			}
		}
	}
}

// TestLinesExcerptAndSpan checks that the indexed excerpt and span are the
// ones drawn from the text itself.
func TestLinesExcerptAndSpan(t *testing.T) {
	src := []byte("steps:\n  - name: \"quoted\"\n    GET: http://h/x\n    expect:\n      statuz: 200\n")
	l := NewLines(src)
	for _, pos := range []Pos{{File: "f", Line: 2, Col: 11}, {File: "f", Line: 5, Col: 7}, {File: "f", Line: 6}, {File: "f", Line: 9, Col: 1}} {
		if got, want := l.SpanAt(pos), SpanAt(src, pos); got != want {
			t.Errorf("SpanAt(%v) = %d indexed, %d scanned", pos, got, want)
		}
		mask := strings.ToUpper
		if got, want := l.Excerpt(pos, 3, "note", mask), MaskedExcerpt(src, pos, 3, "note", mask); got != want {
			t.Errorf("Excerpt(%v) indexed:\n%s\nscanned:\n%s", pos, got, want)
		}
	}
}

// BenchmarkRenderManyErrors renders 10,000 load errors of one 10,000-step
// file, the scale the README promises stays linear: ns/error is the same
// whatever the file's length.
func BenchmarkRenderManyErrors(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		var src strings.Builder
		src.WriteString("steps:\n")
		for i := range n {
			fmt.Fprintf(&src, "  - name: s%d\n    GET: http://h/x\n    expect:\n      statuz: 200\n", i)
		}
		_, err := Parse("errors.yaml", []byte(src.String()), Options{})
		if err == nil {
			b.Fatal("the file loaded without errors")
		}
		sources := map[string][]byte{"errors.yaml": []byte(src.String())}
		b.Run(fmt.Sprintf("errors=%d", n), func(b *testing.B) {
			for b.Loop() {
				RenderErrors(err, sources)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/error")
		})
	}
}
