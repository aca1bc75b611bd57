package console

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/runner"
)

// maxShown is how many characters of a value a failure prints; longer
// values, typically bodies, are cut to an excerpt.
const maxShown = 200

// shownValue formats a typed value for a failure, as Typed.String does,
// cutting a long value to maxShown characters. A long string is cut around
// the part the predicate looked at: its end for ends_with, the first
// occurrence of the expected text for not_contains, else its start.
func shownValue(t runner.Typed, op collections.Op, expected any) string {
	s, isString := t.Value.(string)
	if t.Missing || !isString {
		text := t.String()
		if n := utf8.RuneCountInString(text); n > maxShown {
			return string([]rune(text)[:maxShown]) + fmt.Sprintf("… (%d characters, the first %d shown)", n, maxShown)
		}
		return text
	}
	r := []rune(s)
	if len(r) <= maxShown {
		return t.String()
	}
	start := 0
	switch op {
	case collections.OpEndsWith:
		start = len(r) - maxShown
	case collections.OpNotContains:
		if sub, ok := expected.(string); ok && sub != "" {
			if i := strings.Index(s, sub); i >= 0 {
				start = max(0, min(utf8.RuneCountInString(s[:i])-maxShown/4, len(r)-maxShown))
			}
		}
	}
	q := strconv.Quote(string(r[start : start+maxShown]))
	if start > 0 {
		q = q[:1] + "…" + q[1:]
	}
	if start+maxShown < len(r) {
		q = q[:len(q)-1] + "…" + q[len(q)-1:]
	}
	return fmt.Sprintf("string <%s> (%d characters, %d to %d shown)", q, len(r), start+1, start+maxShown)
}

// isStructuralDiff reports whether a failed check carries the paths that
// differ between an object and the expected one (a JSON subset match),
// which then replace the two values in full.
func isStructuralDiff(ch *runner.CheckResult) bool {
	return ch.Op == collections.OpEq && len(ch.Details) > 0
}

// writeDetails writes the further lines of a failed check: the differing
// paths, the schema violations or the evaluation trace of an assert
// (joined by arrows: `len(res.json) >= 3` -> `len([…2 items]) >= 3` ->
// false). They may quote the response, so they are escaped like it.
func writeDetails(b *strings.Builder, ch *runner.CheckResult) {
	if len(ch.Details) == 0 {
		return
	}
	if strings.HasPrefix(ch.Subject, "expression ") {
		b.WriteString("\n  " + safetext.Line(strings.Join(ch.Details, " -> ")))
		return
	}
	for _, d := range ch.Details {
		b.WriteString("\n    " + safetext.Line(d))
	}
}
