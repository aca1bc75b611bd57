package collections

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/callsheet/callsheet/eval"
)

// AppendJSON renders v against scope and appends it to buf as JSON text, as
// written: mappings keep their key order, and a number keeps the text it
// was written with when that is a JSON number (1.50 stays 1.50,
// 9007199254740993 stays exact). A string is a template: a string that is
// exactly one {{ expression }} sends the expression's value with its JSON
// type, any other string is sent as a JSON string.
func (v *Value) AppendJSON(buf []byte, scope *eval.Scope) ([]byte, error) {
	if v == nil {
		return append(buf, "null"...), nil
	}
	switch v.Kind {
	case KindNull:
		return append(buf, "null"...), nil
	case KindBool:
		return strconv.AppendBool(buf, v.Bool), nil
	case KindInt, KindFloat:
		if isJSONNumber(v.Literal) {
			return append(buf, v.Literal...), nil
		}
		x, _ := v.Render(scope) // a number renders without error
		return appendJSONValue(buf, x, v.Pos)
	case KindString:
		x, err := v.Template.Eval(scope)
		if err != nil {
			return nil, err
		}
		return appendJSONValue(buf, x, v.Pos)
	case KindList:
		buf = append(buf, '[')
		for i, it := range v.Items {
			if i > 0 {
				buf = append(buf, ',')
			}
			var err error
			if buf, err = it.AppendJSON(buf, scope); err != nil {
				return nil, err
			}
		}
		return append(buf, ']'), nil
	case KindMap:
		buf = append(buf, '{')
		for i, k := range v.Keys {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf, _ = appendJSONValue(buf, k, v.Pos) // a string always encodes
			buf = append(buf, ':')
			var err error
			if buf, err = v.Fields[i].AppendJSON(buf, scope); err != nil {
				return nil, err
			}
		}
		return append(buf, '}'), nil
	}
	return nil, fmt.Errorf("%s: unknown value kind %d", v.Pos, v.Kind)
}

// appendJSONValue appends a rendered value as JSON, without escaping <, >
// and &: the body says what the collection says.
func appendJSONValue(buf []byte, x any, pos Pos) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(x); err != nil {
		return nil, fmt.Errorf("%s: encode JSON: %w", pos, err)
	}
	return append(buf, bytes.TrimSuffix(b.Bytes(), []byte("\n"))...), nil
}

// isJSONNumber reports whether s is a number in JSON's grammar (RFC 8259
// section 6): no sign but a leading minus, no leading zeros, no bare dot.
func isJSONNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		i = skipDigits(s, i)
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		j := skipDigits(s, i+1)
		if j == i+1 {
			return false
		}
		i = j
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := skipDigits(s, i)
		if j == i {
			return false
		}
		i = j
	}
	return i == len(s)
}

func skipDigits(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}
