package runner

import (
	"sort"

	"github.com/tidwall/gjson"
)

// blankPaths returns a copy of the JSON document doc in which every value
// matched by one of the gjson paths is replaced by null, so a snapshot
// comparison ignores it. Paths take the full gjson syntax, including
// "items.#.id" (every element) and queries such as `items.#(kind=="a")#.id`.
func blankPaths(doc []byte, paths []string) []byte {
	type span struct{ from, to int }
	var spans []span
	add := func(r gjson.Result, at int) {
		if r.Raw == "" || at < 0 || at+len(r.Raw) > len(doc) || string(doc[at:at+len(r.Raw)]) != r.Raw {
			return // not a slice of doc (a modifier built it): nothing to blank
		}
		spans = append(spans, span{at, at + len(r.Raw)})
	}
	for _, p := range paths {
		r := gjson.GetBytes(doc, p)
		if !r.Exists() {
			continue
		}
		if len(r.Indexes) > 0 {
			elems := r.Array()
			for i, at := range r.Indexes {
				if i < len(elems) {
					add(elems[i], at)
				}
			}
			continue
		}
		add(r, r.Index)
	}
	if len(spans) == 0 {
		return doc
	}
	// Keep the outermost spans (a blanked value may contain another path),
	// then replace from the end so earlier offsets stay valid.
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].from != spans[j].from {
			return spans[i].from < spans[j].from
		}
		return spans[i].to > spans[j].to
	})
	outer := spans[:1]
	for _, s := range spans[1:] {
		if s.from >= outer[len(outer)-1].to {
			outer = append(outer, s)
		}
	}
	out := append([]byte(nil), doc...)
	for i := len(outer) - 1; i >= 0; i-- {
		s := outer[i]
		out = append(out[:s.from], append([]byte("null"), out[s.to:]...)...)
	}
	return out
}
