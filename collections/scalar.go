package collections

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// textValue converts n like value, except that a plain number scalar whose
// text is not the number's own decimal form stays the string the user
// wrote: 1.10, 01234, 0x1F, 0o17, 1e3, +12 and 1_000 are sent as written,
// where YAML would read 1.1, 668, 31, 15, 1000, 12 and 1000. Numbers in
// their plain form (42, -7, 2.5) keep their type, so they still compare
// equal to numbers in JSON responses. Words YAML 1.1 read as booleans
// (NO, yes, off) and dates (2024-01-02) are strings already. Vars and the
// scalars of headers, query and form fields are read this way.
func (l *loader) textValue(n *yaml.Node) *Value {
	r := resolve(n)
	if r.Kind == yaml.ScalarNode && r.Style == 0 && !canonicalNumber(r) {
		pos := l.pos(r)
		return &Value{Pos: pos, Kind: KindString, Template: Literal(r.Value, pos)}
	}
	return l.value(n)
}

// canonicalNumber reports whether scalar n is not a number, or is one
// written in the form strconv formats it in.
func canonicalNumber(n *yaml.Node) bool {
	switch n.ShortTag() {
	case "!!int":
		var i int64
		if err := n.Decode(&i); err != nil {
			return exactCanonical(n.Value) // beyond int64: a *big.Int if plain
		}
		return strconv.FormatInt(i, 10) == n.Value
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return false
		}
		return strconv.FormatFloat(f, 'f', -1, 64) == n.Value || exactCanonical(n.Value)
	}
	return true
}
