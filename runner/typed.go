package runner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

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
		return decodeJSON([]byte(r.Raw))
	}
	return nil, fmt.Errorf("unexpected JSON value %q", r.Raw)
}

// parseNumber parses a JSON number literal: an integral literal (no
// fraction, no exponent) that fits in int64 is an int64, anything else a
// float64. Integers never pass through float64, so 9007199254740993 stays
// exact.
func parseNumber(lit string) (any, error) {
	lit = strings.TrimSpace(lit)
	if !strings.ContainsAny(lit, ".eE") {
		if n, err := strconv.ParseInt(lit, 10, 64); err == nil {
			return n, nil
		}
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil {
		return nil, fmt.Errorf("invalid JSON number %q", lit)
	}
	return f, nil
}

// decodeJSON decodes a JSON document with numbers typed as parseNumber
// types them.
func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return normalizeNumbers(v)
}

// normalizeNumbers replaces the json.Numbers inside v.
func normalizeNumbers(v any) (any, error) {
	switch t := v.(type) {
	case json.Number:
		return parseNumber(string(t))
	case []any:
		for i, it := range t {
			n, err := normalizeNumbers(it)
			if err != nil {
				return nil, err
			}
			t[i] = n
		}
	case map[string]any:
		for k, it := range t {
			n, err := normalizeNumbers(it)
			if err != nil {
				return nil, err
			}
			t[k] = n
		}
	}
	return v, nil
}

// typeName is the JSON type of a value as predicates name it.
func typeName(v any) string { return Typed{Value: v}.TypeName() }

// isNumber reports whether v is a number.
func isNumber(v any) bool {
	switch v.(type) {
	case int64, int, float64:
		return true
	}
	return false
}

// bigFloat converts a number exactly; ok is false for non-numbers and NaN.
func bigFloat(v any) (*big.Float, bool) {
	switch n := v.(type) {
	case int64:
		return new(big.Float).SetInt64(n), true
	case int:
		return new(big.Float).SetInt64(int64(n)), true
	case float64:
		if math.IsNaN(n) {
			return nil, false
		}
		return new(big.Float).SetFloat64(n), true
	}
	return nil, false
}

// compareNumbers compares two numbers exactly, whatever their Go types:
// -1, 0 or +1. ok is false when either is not a number.
func compareNumbers(a, b any) (cmp int, ok bool) {
	x, okA := bigFloat(a)
	y, okB := bigFloat(b)
	if !okA || !okB {
		return 0, false
	}
	return x.Cmp(y), true
}

// equalJSON is JSON-typed deep equality: numbers compare by value (int64 1
// equals float64 1.0), but a string never equals a number and 200 never
// equals "200".
func equalJSON(a, b any) bool {
	if isNumber(a) || isNumber(b) {
		cmp, ok := compareNumbers(a, b)
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

// isIntegral reports whether v is a number without a fractional part.
func isIntegral(v any) bool {
	switch n := v.(type) {
	case int64, int:
		return true
	case float64:
		return !math.IsInf(n, 0) && n == math.Trunc(n)
	}
	return false
}
