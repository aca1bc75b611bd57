package collections

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/eval"
)

// TestSuggesterAgreesWithSuggest checks that the incremental did-you-mean
// gives what Suggest gives over all the candidates so far, sorted, with
// env last, whatever the order names are asked and candidates added.
func TestSuggesterAgreesWithSuggest(t *testing.T) {
	words := []string{"base", "Base", "token", "tokens", "token1", "tokn", "company_id", "compnay_id", "client_id",
		"client_secret", "env", "en", "id", "ID", "url", "urls", "user", "users", "b", "ba", "bas", "bases", "évent", "Évent"}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		fixed := pick(rng, words, rng.IntN(4))
		s := newSuggester(slices.Clone(fixed))
		cands := slices.Clone(fixed)
		for range 30 {
			if rng.IntN(3) == 0 {
				c := words[rng.IntN(len(words))]
				s.add(c)
				cands = append(cands, c)
				continue
			}
			name := words[rng.IntN(len(words))]
			sorted := slices.Sorted(slices.Values(cands))
			want := Suggest(name, append(sorted, eval.EnvName))
			if got := s.suggest(name); got != want {
				t.Fatalf("round %d: suggest(%q) over %q = %q, Suggest gives %q", round, name, cands, got, want)
			}
		}
	}
}

func pick(rng *rand.Rand, words []string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = words[rng.IntN(len(words))]
	}
	return out
}

// TestUndefinedNamesInALongFile checks the did-you-mean of one undefined
// name read by every step of a long file: none before the first capture,
// the captured name after it.
func TestUndefinedNamesInALongFile(t *testing.T) {
	var src strings.Builder
	src.WriteString("steps:\n")
	for i := range 300 {
		fmt.Fprintf(&src, "  - name: s%d\n    GET: \"http://h/{{ tokne }}\"\n    capture:\n      token: {json: id}\n", i)
	}
	_, err := Parse("long.yaml", []byte(src.String()), Options{})
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 300 {
		t.Fatalf("Parse() error = %v, want 300 errors", err)
	}
	for i, e := range list {
		want := `did you mean "token"?`
		if i == 0 {
			want = "declare it in vars, capture it in an earlier step, or pass --var tokne=…"
		}
		if e.Msg != `undefined variable "tokne"` || e.Hint != want {
			t.Fatalf("error %d: %s (%s), want undefined variable \"tokne\" (%s)", i, e.Msg, e.Hint, want)
		}
	}
}

// BenchmarkUndefinedNames loads files of n steps, each capturing a name of
// its own and reading two names nobody defines: ns/error stays the same
// as n grows (it grew with n when each error sorted and compared every
// capture before it).
func BenchmarkUndefinedNames(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		var src strings.Builder
		src.WriteString("steps:\n")
		for i := range n {
			fmt.Fprintf(&src, "  - name: s%d\n    GET: \"{{ base }}/x?c={{ company_id }}\"\n    capture:\n      token%d: {json: id}\n", i, i)
		}
		b.Run(fmt.Sprintf("steps=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Parse("long.yaml", []byte(src.String()), Options{}); err == nil {
					b.Fatal("no errors")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*2*n), "ns/error")
		})
	}
}
