package exchange

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// Field is one header line: a name as written and its value.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Header is an ordered list of header fields. A name may appear more than
// once; lookups ignore the case of names, as HTTP does.
type Header []Field

// Get returns the value of the first field named name, or "".
func (h Header) Get(name string) string {
	for _, f := range h {
		if strings.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// Values returns the values of every field named name, in order.
func (h Header) Values(name string) []string {
	var out []string
	for _, f := range h {
		if strings.EqualFold(f.Name, name) {
			out = append(out, f.Value)
		}
	}
	return out
}

// Has reports whether a field is named name.
func (h Header) Has(name string) bool {
	return slices.ContainsFunc(h, func(f Field) bool { return strings.EqualFold(f.Name, name) })
}

// Add appends a field.
func (h *Header) Add(name, value string) { *h = append(*h, Field{Name: name, Value: value}) }

// Set replaces the fields named name with one field holding value, at the
// place of the first of them, or appends it.
func (h *Header) Set(name, value string) {
	for i, f := range *h {
		if strings.EqualFold(f.Name, name) {
			(*h)[i] = Field{Name: f.Name, Value: value}
			*h = slices.Concat((*h)[:i+1], deleteNamed((*h)[i+1:], name))
			return
		}
	}
	h.Add(name, value)
}

// Del removes every field named name.
func (h *Header) Del(name string) { *h = deleteNamed(*h, name) }

func deleteNamed(h Header, name string) Header {
	return slices.DeleteFunc(h, func(f Field) bool { return strings.EqualFold(f.Name, name) })
}

// Clone returns a copy of h.
func (h Header) Clone() Header { return slices.Clone(h) }

// HTTP returns h as an http.Header whose keys keep the names as written, so
// that net/http sends them as they are, and whose values keep their order.
// Two spellings of one name ("X-Id" and "x-id") stay two keys.
func (h Header) HTTP() http.Header {
	out := make(http.Header, len(h))
	// One array holds the values: a name's first value takes one slot,
	// capped, so that a repeated name's append copies them elsewhere.
	values := make([]string, len(h))
	for i, f := range h {
		if vs, ok := out[f.Name]; ok {
			out[f.Name] = append(vs, f.Value)
			continue
		}
		values[i] = f.Value
		out[f.Name] = values[i : i+1 : i+1]
	}
	return out
}

// FromHTTP lists the fields of h, names in sorted order (the order net/http
// writes them in), each name's values in order.
func FromHTTP(h http.Header) Header {
	if h == nil {
		return nil
	}
	names := make([]string, 0, len(h))
	n := 0
	for name, values := range h {
		names = append(names, name)
		n += len(values)
	}
	slices.Sort(names)
	out := make(Header, 0, n)
	for _, name := range names {
		for _, v := range h[name] {
			out = append(out, Field{Name: name, Value: v})
		}
	}
	return out
}

// UnmarshalJSON reads a list of {"name", "value"} objects, or an object of
// names to lists of values (the form of http.Header, which recordings made
// by earlier versions hold).
func (h *Header) UnmarshalJSON(data []byte) error {
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		var m http.Header
		if err := json.Unmarshal(data, &m); err != nil {
			return err
		}
		*h = FromHTTP(m)
		return nil
	}
	var fields []Field
	if err := json.Unmarshal(data, &fields); err != nil {
		return err
	}
	*h = fields
	return nil
}
