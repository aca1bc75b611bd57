package collections

import (
	"fmt"
	"sort"
	"strings"
)

// Error is a problem found in a collection file, at a position.
type Error struct {
	Pos Pos
	// Len is the number of characters the problem spans on its line (for the
	// caret excerpt); 0 means one caret.
	Len int
	// Msg says what is wrong, lower case, without trailing punctuation.
	Msg string
	// Hint is an optional suggestion such as `did you mean "expect"?`.
	Hint string
}

// Error formats the error as file:line:col: msg (hint).
func (e *Error) Error() string {
	if e.Hint != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Pos, e.Msg, e.Hint)
	}
	return fmt.Sprintf("%s: %s", e.Pos, e.Msg)
}

// ErrorList is a list of collection errors, reported together.
type ErrorList []*Error

// Sort orders the errors by file, line and column.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// Error joins the errors, one per line.
func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Err returns nil for an empty list, else the sorted list itself.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return l
}

// Suggest returns the candidate closest to name when it is close enough to
// be a likely typo (edit distance at most 2, and less than half the name),
// else "".
func Suggest(name string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		d := editDistance(strings.ToLower(name), strings.ToLower(c))
		if d < bestDist && d*2 <= len(name) {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
