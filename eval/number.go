package eval

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Numbers are exact. A number literal, in a collection or in a JSON
// response, becomes one of four Go types:
//
//   - int64, an integer that fits in 64 signed bits (the common case);
//   - *big.Int, an integer that does not, such as the unsigned 64-bit id
//     18446744073709551615;
//   - float64, a decimal whose text is the shortest form of a float64, so
//     that the float64 stands for exactly the decimal written (0.1, 2.5,
//     1e-7);
//   - Decimal, any other decimal, kept exactly as written
//     (0.1000000000000000055511151231257827, 1e400).
//
// CompareNumbers compares any two of them by their decimal values, exactly:
// 18446744073709551615 never equals 18446744073709551614, and
// 0.1000000000000000055511151231257827 never equals 0.1.

// maxExponent bounds the decimal exponent of an exact number, so that a
// literal such as 1e999999999 cannot make the comparison allocate a
// billion digits.
const maxExponent = 10000

// maxNumberLen bounds the length of a number's text: parsing decimal
// digits into a big number takes time quadratic in their count.
const maxNumberLen = 10000

// Decimal is an exact decimal number that float64 cannot hold: its decimal
// text is not the shortest form of any float64. It prints, and encodes in
// JSON, as exactly the digits of its value. The zero Decimal is 0.
// Decimals are immutable and safe to share.
type Decimal struct {
	r *big.Rat
}

// Rat returns a copy of the value as a rational number.
func (d Decimal) Rat() *big.Rat {
	if d.r == nil {
		return new(big.Rat)
	}
	return new(big.Rat).Set(d.r)
}

// String formats the value in plain decimal notation, exactly:
// 0.1000000000000000055511151231257827, or all the digits of 1e400.
func (d Decimal) String() string {
	if d.r == nil {
		return "0"
	}
	return formatRat(d.r)
}

// MarshalJSON encodes the value as a JSON number with all its digits.
func (d Decimal) MarshalJSON() ([]byte, error) {
	return []byte(d.String()), nil
}

// formatRat writes a rational whose denominator divides a power of ten as
// a plain decimal; any other rational (which no literal produces) as a/b.
func formatRat(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	den := new(big.Int).Set(r.Denom())
	two, five := big.NewInt(2), big.NewInt(5)
	var m big.Int
	twos, fives := 0, 0
	for m.Mod(den, two).Sign() == 0 {
		den.Quo(den, two)
		twos++
	}
	for m.Mod(den, five).Sign() == 0 {
		den.Quo(den, five)
		fives++
	}
	if den.Cmp(big.NewInt(1)) != 0 {
		return r.RatString()
	}
	return r.FloatString(max(twos, fives))
}

// ErrNumberRange is returned by ParseNumber for a number whose decimal
// exponent is beyond ±10000, or whose text is longer than 10000 characters.
var ErrNumberRange = errors.New("number out of range")

// ParseNumber parses the text of a decimal number (JSON's grammar, with an
// optional leading + and leading zeros allowed) into the exact type the
// package doc of Decimal describes: int64, *big.Int, float64 or Decimal.
func ParseNumber(text string) (any, error) {
	text = strings.TrimSpace(text)
	if len(text) > maxNumberLen {
		return nil, fmt.Errorf("%w: %d characters", ErrNumberRange, len(text))
	}
	neg, digits, exp, ok := decimalParts(text)
	if !ok {
		return nil, fmt.Errorf("invalid number %q", text)
	}
	if !strings.ContainsAny(text, ".eE") {
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return n, nil
		}
		n, ok := new(big.Int).SetString(strings.TrimPrefix(text, "+"), 10)
		if !ok {
			return nil, fmt.Errorf("invalid number %q", text)
		}
		return n, nil
	}
	if f, err := strconv.ParseFloat(text, 64); err == nil {
		fneg, fdigits, fexp, _ := decimalParts(strconv.FormatFloat(f, 'e', -1, 64))
		if fdigits == digits && (digits == "" || fneg == neg && fexp == exp) {
			return f, nil
		}
	}
	if digits == "" {
		return 0.0, nil // 0.000e5 and friends
	}
	if exp > maxExponent || exp < -maxExponent {
		return nil, fmt.Errorf("%w: %q", ErrNumberRange, text)
	}
	r, ok := new(big.Rat).SetString(strings.TrimPrefix(text, "+"))
	if !ok {
		return nil, fmt.Errorf("invalid number %q", text)
	}
	return Decimal{r: r}, nil
}

// decimalParts splits a decimal literal into its sign, its significant
// digits without leading or trailing zeros (empty for zero), and the
// exponent e such that the value is 0.digits × 10^e. ok is false when s is
// not a decimal literal.
func decimalParts(s string) (neg bool, digits string, exp int, ok bool) {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	mant, expText, hasExp := strings.Cut(strings.ToLower(s), "e")
	if hasExp {
		e, err := strconv.Atoi(strings.TrimPrefix(expText, "+"))
		if err != nil || expText == "" || strings.HasPrefix(expText, "+-") {
			return false, "", 0, false
		}
		exp = e
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart == "" || !allDigits(intPart) || !allDigits(frac) || strings.Contains(mant, ".") && frac == "" {
		return false, "", 0, false
	}
	all := intPart + frac
	lead := len(all) - len(strings.TrimLeft(all, "0"))
	digits = strings.TrimRight(all[lead:], "0")
	if digits == "" {
		return false, "", 0, true
	}
	if exp > math.MaxInt32 || exp < math.MinInt32 {
		return false, "", 0, false
	}
	return neg, digits, exp + len(intPart) - lead, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// IsNumber reports whether v is a number: an int, int64, *big.Int, float64
// or Decimal.
func IsNumber(v any) bool {
	switch n := v.(type) {
	case int, int64, float64, Decimal:
		return true
	case *big.Int:
		return n != nil
	}
	return false
}

// IsIntegral reports whether v is a number without a fractional part.
func IsIntegral(v any) bool {
	switch n := v.(type) {
	case int, int64:
		return true
	case *big.Int:
		return n != nil
	case float64:
		return !math.IsInf(n, 0) && n == math.Trunc(n)
	case Decimal:
		return n.r == nil || n.r.IsInt()
	}
	return false
}

// CompareNumbers compares two numbers of any of the types IsNumber accepts,
// exactly, by their decimal values: -1, 0 or +1. A float64 stands for its
// shortest decimal form (the literal it was read from). ok is false when
// either is not a number, or is NaN.
func CompareNumbers(a, b any) (cmp int, ok bool) {
	if x, isInt := smallInt(a); isInt {
		if y, isInt := smallInt(b); isInt {
			return cmpOrdered(x, y), true
		}
	}
	if x, isFloat := a.(float64); isFloat {
		if y, isFloat := b.(float64); isFloat {
			if math.IsNaN(x) || math.IsNaN(y) {
				return 0, false
			}
			return cmpOrdered(x, y), true
		}
	}
	if !IsNumber(a) || !IsNumber(b) {
		return 0, false
	}
	if c, done, ok := cmpInfinite(a, b); done {
		return c, ok
	}
	return exactRat(a).Cmp(exactRat(b)), true
}

func cmpOrdered[T int64 | float64](x, y T) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// smallInt returns an int or int64 as an int64.
func smallInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	}
	return 0, false
}

// cmpInfinite compares when either side is a float64 infinity or NaN;
// done is false when both are finite.
func cmpInfinite(a, b any) (cmp int, done, ok bool) {
	fa, isA := a.(float64)
	fb, isB := b.(float64)
	if isA && math.IsNaN(fa) || isB && math.IsNaN(fb) {
		return 0, true, false
	}
	infA := isA && math.IsInf(fa, 0)
	infB := isB && math.IsInf(fb, 0)
	switch {
	case infA && infB:
		return cmpOrdered(fa, fb), true, true
	case infA:
		if fa > 0 {
			return 1, true, true
		}
		return -1, true, true
	case infB:
		if fb > 0 {
			return -1, true, true
		}
		return 1, true, true
	}
	return 0, false, true
}

// exactRat converts a finite number to a rational; a float64 by its
// shortest decimal form.
func exactRat(v any) *big.Rat {
	switch n := v.(type) {
	case int64:
		return new(big.Rat).SetInt64(n)
	case int:
		return new(big.Rat).SetInt64(int64(n))
	case *big.Int:
		return new(big.Rat).SetInt(n)
	case float64:
		r, ok := new(big.Rat).SetString(strconv.FormatFloat(n, 'e', -1, 64))
		if !ok {
			return new(big.Rat).SetFloat64(n)
		}
		return r
	case Decimal:
		if n.r == nil {
			return new(big.Rat)
		}
		return n.r
	}
	return new(big.Rat)
}

// DecodeJSON decodes one JSON document, which nothing but white space may
// follow, with every number typed exactly as ParseNumber types it (so
// 18446744073709551615 stays a *big.Int).
func DecodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("invalid JSON: data after the document at offset %d", dec.InputOffset())
	}
	return NormalizeNumbers(v)
}

// NormalizeNumbers replaces, in place and deeply, the json.Number values of
// a document decoded with UseNumber by the exact types of ParseNumber.
func NormalizeNumbers(v any) (any, error) {
	switch t := v.(type) {
	case json.Number:
		return ParseNumber(string(t))
	case []any:
		for i, it := range t {
			n, err := NormalizeNumbers(it)
			if err != nil {
				return nil, err
			}
			t[i] = n
		}
	case map[string]any:
		for k, it := range t {
			n, err := NormalizeNumbers(it)
			if err != nil {
				return nil, err
			}
			t[k] = n
		}
	}
	return v, nil
}
