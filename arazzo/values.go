package arazzo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"

	"github.com/callsheet/callsheet/arazzo/expr"
)

// object is a JSON object written in the document, which keeps its keys
// in document order so that a payload is sent as written.
type object struct {
	keys []string
	vals map[string]any
}

func (o *object) get(k string) (any, bool) {
	v, ok := o.vals[k]
	return v, ok
}

func (o *object) set(k string, v any) {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

// MarshalJSON writes the object with its keys in order.
func (o *object) MarshalJSON() ([]byte, error) { return encodeJSON(o) }

// eval evaluates a value written in the document.
func (v *Value) eval(c expr.Context) (any, error) {
	switch v.Kind {
	case Literal:
		return v.Literal, nil
	case Expression:
		if v.Expr != nil {
			return v.Expr.Eval(c)
		}
	case Template:
		if v.Template != nil {
			return v.Template.Render(c)
		}
	case SelectorValue:
		if v.Selector != nil {
			return v.Selector.eval(c)
		}
	case List:
		out := make([]any, 0, len(v.Items))
		for _, it := range v.Items {
			x, err := it.eval(c)
			if err != nil {
				return nil, err
			}
			out = append(out, x)
		}
		return out, nil
	case Object:
		o := &object{vals: map[string]any{}}
		for i, k := range v.Keys {
			x, err := v.Fields[i].eval(c)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			o.set(k, x)
		}
		return o, nil
	}
	return nil, errors.New("value cannot be evaluated")
}

// plain turns a value into plain JSON values (map[string]any for
// objects) that expressions can read, copying what it changes.
func plain(v any) any {
	switch t := v.(type) {
	case *object:
		m := make(map[string]any, len(t.keys))
		for _, k := range t.keys {
			m[k] = plain(t.vals[k])
		}
		return m
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = plain(x)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = plain(x)
		}
		return out
	case nil, bool, string, json.Number, int, int64, float64:
		return v
	}
	data, err := json.Marshal(v)
	if err != nil {
		return v
	}
	if x, err := decodeJSON(data); err == nil {
		return x
	}
	return v
}

// clone copies the objects and arrays of a value, so that replacements do
// not change the values they were read from.
func clone(v any) any {
	switch t := v.(type) {
	case *object:
		o := &object{keys: append([]string(nil), t.keys...), vals: make(map[string]any, len(t.vals))}
		for k, x := range t.vals {
			o.vals[k] = clone(x)
		}
		return o
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = clone(x)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = clone(x)
		}
		return out
	}
	return v
}

// encodeJSON writes a value as JSON: objects written in the document in
// their order, other objects with sorted keys, and no escaping of <, > and
// & beyond what JSON needs.
func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := writeJSON(&b, v, 0); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// maxJSONDepth bounds the nesting encodeJSON follows.
const maxJSONDepth = 1000

func writeJSON(b *bytes.Buffer, v any, depth int) error {
	if depth > maxJSONDepth {
		return errors.New("value is nested too deeply")
	}
	switch t := v.(type) {
	case *object:
		return writeMembers(b, t.keys, t.vals, depth)
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return writeMembers(b, keys, t, depth)
	case []any:
		b.WriteByte('[')
		for i, x := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, x, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte(']')
		return nil
	case string:
		writeString(b, t)
		return nil
	case json.Number:
		if _, err := strconv.ParseFloat(t.String(), 64); err != nil || !isJSONNumberText(t.String()) {
			return fmt.Errorf("invalid number %q", t)
		}
		b.WriteString(t.String())
		return nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b.Write(data)
	return nil
}

func writeMembers(b *bytes.Buffer, keys []string, vals map[string]any, depth int) error {
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		writeString(b, k)
		b.WriteByte(':')
		if err := writeJSON(b, vals[k], depth+1); err != nil {
			return err
		}
	}
	b.WriteByte('}')
	return nil
}

// writeString writes a JSON string without HTML escaping.
func writeString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	b.Truncate(b.Len() - 1)
}
