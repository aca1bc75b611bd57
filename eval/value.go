package eval

import (
	"bytes"
	"encoding/json"
	"math"
	"math/big"
	"strconv"
	"time"
)

// Stringify formats a rendered value as text: strings as they are, numbers
// without exponent where possible, null as the empty string, lists and maps
// as JSON.
func Stringify(x any) string {
	switch t := x.(type) {
	case nil:
		return ""
	case string:
		return t
	case time.Time:
		return t.Format(time.RFC3339Nano)
	case bool:
		return strconv.FormatBool(t)
	case int:
		return strconv.Itoa(t)
	case int64:
		return strconv.FormatInt(t, 10)
	case *big.Int:
		return t.String()
	case Decimal:
		return t.String()
	case float64:
		if t == math.Trunc(t) && math.Abs(t) < 1e15 {
			return strconv.FormatFloat(t, 'f', -1, 64)
		}
		return strconv.FormatFloat(t, 'g', -1, 64)
	default:
		return JSONText(t)
	}
}

// JSONText encodes x as compact JSON without HTML escaping (a "<" stays a
// "<"), or returns "<unencodable>".
func JSONText(x any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(x); err != nil {
		return "<unencodable>"
	}
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}
