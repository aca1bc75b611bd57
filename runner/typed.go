package runner

import (
	"fmt"

	"github.com/callsheet/callsheet/eval"
	"github.com/tidwall/gjson"
)

// fromGJSON converts a gjson result to a JSON-typed Go value: nil, bool,
// int64 (an integral literal that fits), float64, string, []any or
// map[string]any.
func fromGJSON(r gjson.Result) (any, error) {
	switch r.Type {
	case gjson.Null:
		return nil, nil
	case gjson.False:
		return false, nil
	case gjson.True:
		return true, nil
	case gjson.String:
		return r.Str, nil
	case gjson.Number:
		return parseNumber(r.Raw)
	case gjson.JSON:
		return eval.DecodeJSON([]byte(r.Raw))
	}
	return nil, fmt.Errorf("unexpected JSON value %q", r.Raw)
}

// parseNumber parses a JSON number literal exactly (eval.ParseNumber):
// an int64 when the integer fits, a *big.Int when it does not, a float64
// when the text is a float64's shortest form, else a eval.Decimal.
// Nothing passes through float64 rounding, so 9007199254740993 and
// 18446744073709551615 stay exact.
func parseNumber(lit string) (any, error) {
	n, err := eval.ParseNumber(lit)
	if err != nil {
		return nil, fmt.Errorf("invalid JSON number: %w", err)
	}
	return n, nil
}

// typeName is the JSON type of a value as predicates name it.
func typeName(v any) string { return Typed{Value: v}.TypeName() }

// equalJSON is JSON-typed deep equality: numbers compare by value (int64 1
// equals float64 1.0), but a string never equals a number and 200 never
// equals "200".
func equalJSON(a, b any) bool {
	if eval.IsNumber(a) || eval.IsNumber(b) { // mutate:ignore "|| -> &&" with one number, the switch below finds them unequal too
		cmp, ok := eval.CompareNumbers(a, b)
		return ok && cmp == 0
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equalJSON(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !equalJSON(xv, yv) {
				return false
			}
		}
		return true
	}
	return false
}
