package collections

import (
	"math/big"
	"strconv"

	"github.com/callsheet/callsheet/eval"
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

// exactLiteral keeps a number literal that YAML read as a float64 (an
// integer beyond int64, or a decimal float64 cannot hold) exactly, when its
// text is a decimal: the digits become a *big.Int or a Decimal.
func (v *Value) exactLiteral(text string) {
	x, err := eval.ParseNumber(text)
	if err != nil {
		return // .inf, 0x…, 1_000.5: YAML's reading stands
	}
	switch n := x.(type) {
	case int64:
		v.Kind, v.Int = KindInt, n
	case *big.Int:
		v.Kind, v.Exact = KindInt, n
	case eval.Decimal:
		v.Exact = n
	}
}

// exactUint is an unsigned 64-bit literal beyond int64, as a *big.Int.
func exactUint(u uint64) *big.Int { return new(big.Int).SetUint64(u) }

// exactCanonical reports whether text is a number float64 cannot hold
// (a *big.Int or a Decimal) written in the plain form Stringify prints.
func exactCanonical(text string) bool {
	x, err := eval.ParseNumber(text)
	if err != nil {
		return false
	}
	switch x.(type) {
	case *big.Int, eval.Decimal:
		return eval.Stringify(x) == text
	}
	return false
}

// isBigInteger reports whether text is an integer literal beyond int64,
// which YAML tags as a float.
func isBigInteger(text string) bool {
	x, err := eval.ParseNumber(text)
	if err != nil {
		return false
	}
	n, ok := x.(*big.Int)
	return ok && n.Sign() >= 0
}
