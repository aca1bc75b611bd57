package collections

import (
	"strings"
	"unicode/utf8"

	"github.com/callsheet/callsheet/eval"
)

// suggester gives the did-you-mean of names against a list of candidates
// that only grows (the captures of the steps so far). For each name asked
// about it keeps the best candidate found and how far down the list it
// looked, so asking again compares the name with the new candidates only.
// Its answer is Suggest's over the candidates sorted, with eval.EnvName
// last, as loader.undefined asks it.
type suggester struct {
	cands []string
	best  map[string]*suggestion
}

// suggestion is the best candidate for a name among cands[:seen].
type suggestion struct {
	name string
	dist int
	seen int
}

// newSuggester starts with cands, in any order.
func newSuggester(cands []string) *suggester {
	return &suggester{cands: cands, best: map[string]*suggestion{}}
}

// add makes name a candidate.
func (s *suggester) add(name string) { s.cands = append(s.cands, name) }

// suggest returns the candidate name most likely meant, eval.EnvName when
// env.NAME is, or "".
func (s *suggester) suggest(name string) string {
	b := s.best[name]
	if b == nil {
		b = &suggestion{dist: 3}
		s.best[name] = b
	}
	lower := strings.ToLower(name)
	for _, c := range s.cands[b.seen:] {
		if d, ok := closer(lower, len(name), c, b.dist); ok && (d < b.dist || c < b.name) {
			b.name, b.dist = c, d
		}
	}
	b.seen = len(s.cands)
	if d, ok := closer(lower, len(name), eval.EnvName, b.dist); ok && d < b.dist {
		return eval.EnvName
	}
	return b.name
}

// closer returns the edit distance between lower (a name in lower case,
// n bytes long) and candidate c, and whether it is at most dist and close
// enough for Suggest (twice the distance at most n). Candidates whose
// length alone puts them further are not compared.
func closer(lower string, n int, c string, dist int) (int, bool) {
	c = strings.ToLower(c)
	gap := utf8.RuneCountInString(lower) - utf8.RuneCountInString(c)
	if gap < 0 {
		gap = -gap
	}
	if gap > dist || gap*2 > n {
		return 0, false
	}
	d := editDistance(lower, c)
	return d, d <= dist && d*2 <= n
}
