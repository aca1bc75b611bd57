package runner

import (
	"fmt"
	"strconv"
)

// diffContext is how many characters a line diff shows before the first
// difference, and diffWidth how many in all.
const (
	diffContext = 20
	diffWidth   = 60
)

// lineDiff describes line n (1-based) of two texts that differ: its column
// of the first difference and, for each side, a window of the line around
// it, so that two long lines differing far from their start do not print
// the same prefix twice:
//
//	line 1, column 52: actual   "…code id=\"authorization_code\">abc123</code>…"
//	line 1, column 52: snapshot "…code id=\"authorization_code\">xyz</code><ul…"
func lineDiff(n int, got, want string) []string {
	g, w := []rune(got), []rune(want)
	col := 0
	for col < len(g) && col < len(w) && g[col] == w[col] {
		col++
	}
	start := max(0, col-diffContext)
	return []string{
		fmt.Sprintf("line %d, column %d: actual   %s", n, col+1, window(g, start)),
		fmt.Sprintf("line %d, column %d: snapshot %s", n, col+1, window(w, start)),
	}
}

// window quotes diffWidth characters of s from start (at most its
// length), marking what is cut with ellipses.
func window(s []rune, start int) string {
	start = min(start, len(s))
	end := min(len(s), start+diffWidth)
	q := strconv.Quote(string(s[start:end]))
	if start > 0 {
		q = q[:1] + "…" + q[1:]
	}
	if end < len(s) {
		q = q[:len(q)-1] + "…" + q[len(q)-1:]
	}
	return q
}
