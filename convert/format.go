package convert

import (
	"errors"
	"fmt"
	"iter"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/collections"
)

// Format rewrites a collection in canonical form: keys in the order
// collections.Mapping.Order gives (keys a mapping does not list follow in
// their own order; top-level x- keys, anchor holders, stay first), strings quoted only when YAML needs it (double quotes, and always
// for templates), two-space indentation. Comments are kept. It works on
// the YAML tree, so it does not validate the collection; a file that is
// not YAML is an error.
func Format(src []byte) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("format: %w", err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, errors.New("format: empty document")
	}
	// Formatting must not change what the file means (anchors must still
	// come before their aliases): keep the values before reordering.
	var a, b any
	if err := doc.Decode(&a); err != nil {
		return nil, fmt.Errorf("format: %w", err)
	}
	canonicalize(doc.Content[0])
	enc, err := encode(&doc, "")
	if err != nil {
		return nil, fmt.Errorf("format: %w", err)
	}
	out := spaceSections(enc)
	if err := yaml.Unmarshal(out, &b); err != nil {
		return nil, fmt.Errorf("format: the canonical order would break the file (%v); reorder its anchors by hand", err)
	}
	if !reflect.DeepEqual(a, b) {
		return nil, errors.New("format: the canonical form would change the file's values (please report this); the file is left as it is")
	}
	return out, nil
}

// canonicalize orders the keys and normalises the quoting of a collection
// tree in place.
func canonicalize(root *yaml.Node) {
	if root.Kind != yaml.MappingNode {
		quoteAll(root)
		return
	}
	reorder(root, collections.CollectionKeys.Order(), true)
	for k, v := range mappingPairs(root) {
		switch k.Value {
		case "defaults":
			reorder(v, collections.DefaultsKeys.Order(), false)
		case "steps":
			if v.Kind == yaml.SequenceNode {
				for _, s := range v.Content {
					canonicalStep(s)
				}
			}
		}
	}
	quoteAll(root)
}

func canonicalStep(s *yaml.Node) {
	if s.Kind != yaml.MappingNode {
		return
	}
	reorder(s, collections.StepKeys.Order(), false)
	for k, v := range mappingPairs(s) {
		switch k.Value {
		case "authorize":
			reorder(v, collections.AuthorizeKeys.Order(), false)
		case "expect":
			reorder(v, collections.ExpectKeys.Order(), false)
			for subject, preds := range mappingPairs(v) {
				canonicalPreds(preds)
				if subject.Value == "headers" || subject.Value == "json" {
					for _, p := range mappingPairs(preds) {
						canonicalPreds(p)
					}
				}
			}
		case "capture":
			for _, c := range mappingPairs(v) {
				reorder(c, collections.CaptureKeys.Order(), false)
			}
		case "multipart":
			for _, f := range mappingPairs(v) {
				if get(f, "file") != nil {
					reorder(f, collections.PartKeys.Order(), false)
				}
			}
		}
	}
}

// canonicalPreds orders a predicate set (a mapping whose keys are all
// predicate names).
func canonicalPreds(n *yaml.Node) {
	if n.Kind != yaml.MappingNode || len(n.Content) == 0 {
		return
	}
	for i := 0; i < len(n.Content); i += 2 {
		if !collections.PredicateKeys.Has(n.Content[i].Value) {
			return
		}
	}
	reorder(n, collections.PredicateKeys.Order(), false)
}

// reorder sorts the pairs of mapping n by their place in order; unknown
// keys follow in their own order, except x- keys when xFirst is set. The
// head comment of the first key stays at the top.
func reorder(n *yaml.Node, order []string, xFirst bool) {
	if n.Kind != yaml.MappingNode || len(n.Content) < 4 {
		return
	}
	type pair struct{ k, v *yaml.Node }
	pairs := make([]pair, 0, len(n.Content)/2)
	for k, v := range mappingPairs(n) {
		pairs = append(pairs, pair{k, v})
	}
	rank := func(p pair) int {
		key := p.k.Value
		if xFirst && strings.HasPrefix(key, "x-") {
			return -1
		}
		if i := slices.Index(order, key); i >= 0 {
			return i
		}
		return len(order)
	}
	top := pairs[0].k.HeadComment
	sorted := slices.Clone(pairs)
	slices.SortStableFunc(sorted, func(a, b pair) int { return rank(a) - rank(b) })
	if sorted[0].k != pairs[0].k && top != "" {
		pairs[0].k.HeadComment = ""
		if sorted[0].k.HeadComment != "" {
			top += "\n\n" + sorted[0].k.HeadComment
		}
		sorted[0].k.HeadComment = top
	}
	// Likewise the comment after the last key stays at the end.
	last, newLast := pairs[len(pairs)-1].k, sorted[len(sorted)-1].k
	if bottom := last.FootComment; newLast != last && bottom != "" {
		last.FootComment = ""
		if newLast.FootComment != "" {
			bottom = newLast.FootComment + "\n\n" + bottom
		}
		newLast.FootComment = bottom
	}
	n.Content = n.Content[:0]
	for _, p := range sorted {
		n.Content = append(n.Content, p.k, p.v)
	}
}

// mappingPairs yields the key and value nodes of mapping n, in order. It reads
// n.Content two by two whatever n's kind, as a loop over it would: callers
// check the kind where it matters.
func mappingPairs(n *yaml.Node) iter.Seq2[*yaml.Node, *yaml.Node] {
	return func(yield func(k, v *yaml.Node) bool) {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if !yield(n.Content[i], n.Content[i+1]) {
				return
			}
		}
	}
}

// quoteAll normalises the quoting of every string scalar under n.
func quoteAll(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode {
		NormalizeQuoting(n)
		return
	}
	if n.Kind == yaml.AliasNode {
		return
	}
	for _, c := range n.Content {
		quoteAll(c)
	}
}

// spaceSections puts one blank line before each top-level key but the
// first and before each step but the first (above their comments), which
// the YAML encoder does not keep.
func spaceSections(src []byte) []byte {
	lines := strings.Split(string(src), "\n")
	var out []string
	inSteps, seenKey, seenStep := false, false, false
	for _, l := range lines {
		topKey := l != "" && l[0] != ' ' && l[0] != '#' && l[0] != '-'
		step := inSteps && strings.HasPrefix(l, "  - ")
		if topKey {
			inSteps = strings.HasPrefix(l, "steps:")
		}
		if (topKey && seenKey && !strings.HasPrefix(l, "description:")) || (step && seenStep) {
			indent := "#"
			if step {
				indent = "  #"
			}
			j := len(out)
			for j > 0 && strings.HasPrefix(out[j-1], indent) {
				j--
			}
			if j > 0 && out[j-1] != "" && !strings.HasSuffix(out[j-1], "steps:") {
				out = append(out[:j], append([]string{""}, out[j:]...)...)
			}
		}
		if topKey {
			seenKey = true
			seenStep = false
		}
		if step {
			seenStep = true
		}
		out = append(out, l)
	}
	return []byte(strings.Join(out, "\n"))
}
