package expr

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/callsheet/callsheet/internal/lazyregexp"
)

// Comparison rules of simple conditions, as the specification states them:
// strings compare case-insensitively; a numeric string compared with a
// number is read as a number; null equals only null, and ordering against
// null is false. Numbers compare exactly. A boolean compared with a string
// compares with the string's text ("true", "false"). Arrays and objects are
// equal when their members are equal by these rules. Other mixes are equal
// never, and cannot be ordered (an error).

// Compare applies a comparison operator (== != < <= > >=) to two values.
func Compare(op string, l, r any) (bool, error) {
	if op == "==" || op == "!=" {
		eq, err := equal(l, r, 0)
		if err != nil {
			return false, err
		}
		return eq == (op == "=="), nil
	}
	if l == nil || r == nil {
		return false, nil
	}
	c, err := order(l, r)
	if err != nil {
		return false, err
	}
	switch op {
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	case ">=":
		return c >= 0, nil
	}
	return false, fmt.Errorf("unknown operator %q", op)
}

// maxEqualDepth bounds the nesting equal follows.
const maxEqualDepth = 1000

func equal(l, r any, depth int) (bool, error) {
	if depth > maxEqualDepth {
		return false, fmt.Errorf("values are nested too deeply to compare")
	}
	if l == nil || r == nil {
		return l == nil && r == nil, nil
	}
	switch lt := l.(type) {
	case []any:
		rt, ok := r.([]any)
		if !ok || len(lt) != len(rt) {
			return false, nil
		}
		for i := range lt {
			if eq, err := equal(lt[i], rt[i], depth+1); !eq || err != nil {
				return false, err
			}
		}
		return true, nil
	case map[string]any:
		rt, ok := r.(map[string]any)
		if !ok || len(lt) != len(rt) {
			return false, nil
		}
		for k, v := range lt {
			w, ok := rt[k]
			if !ok {
				return false, nil
			}
			if eq, err := equal(v, w, depth+1); !eq || err != nil {
				return false, err
			}
		}
		return true, nil
	}
	c, err := order(l, r)
	return err == nil && c == 0, nil
}

// order compares two scalars, returning -1, 0 or 1.
func order(l, r any) (int, error) {
	ln, lnum := Number(l)
	rn, rnum := Number(r)
	ls, lstr := l.(string)
	rs, rstr := r.(string)
	switch {
	case lnum && rnum:
		return ln.Cmp(rn), nil
	case lnum && rstr:
		if n, ok := parseNumber(strings.TrimSpace(rs)); ok {
			return ln.Cmp(n), nil
		}
	case lstr && rnum:
		if n, ok := parseNumber(strings.TrimSpace(ls)); ok {
			return n.Cmp(rn), nil
		}
	case lstr && rstr:
		return strings.Compare(strings.ToLower(ls), strings.ToLower(rs)), nil
	}
	lb, lbool := l.(bool)
	rb, rbool := r.(bool)
	switch {
	case lbool && rbool:
		if lb == rb {
			return 0, nil
		}
		return 0, fmt.Errorf("booleans are not ordered")
	case lbool && rstr && strings.EqualFold(rs, strconv.FormatBool(lb)):
		return 0, nil
	case lstr && rbool && strings.EqualFold(ls, strconv.FormatBool(rb)):
		return 0, nil
	}
	return 0, fmt.Errorf("cannot compare %s with %s", Literal(l), Literal(r))
}

// maxExponent bounds the exponents of numbers compared exactly.
const maxExponent = 1000

var jsonNumberRE = lazyregexp.New(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

func isJSONNumber(s string) bool { return jsonNumberRE.MatchString(s) }

// parseNumber reads a JSON number exactly.
func parseNumber(s string) (*big.Rat, bool) {
	if !isJSONNumber(s) {
		return nil, false
	}
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		exp, err := strconv.Atoi(s[i+1:])
		if err != nil || exp > maxExponent || exp < -maxExponent {
			return nil, false
		}
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

// Number returns v as an exact number when it is one: json.Number, a Go
// integer or a finite float.
func Number(v any) (*big.Rat, bool) {
	switch t := v.(type) {
	case json.Number:
		return parseNumber(t.String())
	case int:
		return new(big.Rat).SetInt64(int64(t)), true
	case int32:
		return new(big.Rat).SetInt64(int64(t)), true
	case int64:
		return new(big.Rat).SetInt64(t), true
	case uint64:
		return new(big.Rat).SetInt(new(big.Int).SetUint64(t)), true
	case float32:
		return Number(float64(t))
	case float64:
		if math.IsInf(t, 0) || math.IsNaN(t) {
			return nil, false
		}
		return new(big.Rat).SetFloat64(t), true
	}
	return nil, false
}

// Literal renders a value as a condition literal, for traces: strings in
// single quotes, other values as JSON.
func Literal(v any) string {
	if s, ok := v.(string); ok {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	t, err := Text(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return t
}
