package runner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/callsheet/callsheet/exchange"
)

// ResponseDiff is what changed between a recorded response and a new one.
type ResponseDiff struct {
	// OldStatus and NewStatus differ when the status changed.
	OldStatus, NewStatus int
	// Headers lists the headers that changed, by name; Date is left out,
	// since it changes every time.
	Headers []Change
	// Body lists the changes of a JSON body, by gjson path ("items.0.id";
	// "" for the whole document), or one change at path "" when either body
	// is not JSON.
	Body []Change
}

// Change is one difference. Old is nil when the value was added, New when it
// was removed.
type Change struct {
	Path string
	Old  any
	New  any
	// Added and Removed say which side is absent.
	Added, Removed bool
}

// String formats the change as `path: old -> new`, `+ path: new` or
// `- path: old`.
func (c Change) String() string {
	switch {
	case c.Added:
		return fmt.Sprintf("+ %s: %s", c.label(), diffValue(c.New))
	case c.Removed:
		return fmt.Sprintf("- %s: %s", c.label(), diffValue(c.Old))
	}
	return fmt.Sprintf("~ %s: %s -> %s", c.label(), diffValue(c.Old), diffValue(c.New))
}

func (c Change) label() string {
	if c.Path == "" {
		return "(body)"
	}
	return c.Path
}

// diffValue formats a value compactly, as JSON.
func diffValue(v any) string {
	if s, ok := v.(rawText); ok {
		return string(s)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// rawText is a value printed as it is (a summary of a non-JSON body).
type rawText string

// Empty reports whether nothing changed.
func (d *ResponseDiff) Empty() bool {
	return d.OldStatus == d.NewStatus && len(d.Headers) == 0 && len(d.Body) == 0
}

// DiffResponses compares a recorded response with a new one: status,
// headers (except Date) and body, structurally when both bodies are JSON.
func DiffResponses(old, cur *exchange.Response) *ResponseDiff {
	d := &ResponseDiff{OldStatus: old.Status, NewStatus: cur.Status}
	d.Headers = diffHeaders(byName(old.Header), byName(cur.Header))
	d.Body = diffBodies(old.Body, cur.Body)
	return d
}

// byName groups the values of h by canonical name.
func byName(h exchange.Header) http.Header {
	out := http.Header{}
	for _, f := range h {
		out.Add(f.Name, f.Value)
	}
	return out
}

// diffHeaders lists the headers whose values differ, sorted by name.
func diffHeaders(old, cur http.Header) []Change {
	names := map[string]bool{}
	for n := range old {
		names[http.CanonicalHeaderKey(n)] = true
	}
	for n := range cur {
		names[http.CanonicalHeaderKey(n)] = true
	}
	delete(names, "Date")
	var out []Change
	for _, n := range slices.Sorted(maps.Keys(names)) {
		ov, ok1 := old[n]
		nv, ok2 := cur[n]
		switch {
		case !ok1:
			out = append(out, Change{Path: n, New: rawText(strings.Join(nv, ", ")), Added: true})
		case !ok2:
			out = append(out, Change{Path: n, Old: rawText(strings.Join(ov, ", ")), Removed: true})
		case !slices.Equal(ov, nv):
			out = append(out, Change{Path: n, Old: rawText(strings.Join(ov, ", ")), New: rawText(strings.Join(nv, ", "))})
		}
	}
	return out
}

// diffBodies compares two bodies: structurally, path by path, when both are
// JSON; otherwise as one change of the whole body when the bytes differ.
func diffBodies(old, cur []byte) []Change {
	if bytes.Equal(old, cur) {
		return nil
	}
	ov, err1 := decodeDiffJSON(old)
	nv, err2 := decodeDiffJSON(cur)
	if err1 != nil || err2 != nil {
		return []Change{{Old: rawText(fmt.Sprintf("%d bytes", len(old))), New: rawText(fmt.Sprintf("%d bytes (not JSON)", len(cur)))}}
	}
	var out []Change
	diffJSON("", ov, nv, &out)
	return out
}

// decodeDiffJSON decodes a JSON document keeping numbers exact.
func decodeDiffJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("more than one JSON value")
	}
	return v, nil
}

// diffJSON appends the differences of old and cur at path to out: objects
// key by key (sorted), arrays index by index, anything else by value.
func diffJSON(path string, old, cur any, out *[]Change) {
	switch o := old.(type) {
	case map[string]any:
		if n, ok := cur.(map[string]any); ok {
			keys := map[string]bool{}
			for k := range o {
				keys[k] = true
			}
			for k := range n {
				keys[k] = true
			}
			for _, k := range slices.Sorted(maps.Keys(keys)) {
				p := joinPath(path, escapePathKey(k))
				ov, ok1 := o[k]
				nv, ok2 := n[k]
				switch {
				case !ok1:
					*out = append(*out, Change{Path: p, New: nv, Added: true})
				case !ok2:
					*out = append(*out, Change{Path: p, Old: ov, Removed: true})
				default:
					diffJSON(p, ov, nv, out)
				}
			}
			return
		}
	case []any:
		if n, ok := cur.([]any); ok {
			for i := range max(len(o), len(n)) {
				p := joinPath(path, strconv.Itoa(i))
				switch {
				case i >= len(o):
					*out = append(*out, Change{Path: p, New: n[i], Added: true})
				case i >= len(n):
					*out = append(*out, Change{Path: p, Old: o[i], Removed: true})
				default:
					diffJSON(p, o[i], n[i], out)
				}
			}
			return
		}
	}
	if !reflect.DeepEqual(old, cur) {
		*out = append(*out, Change{Path: path, Old: old, New: cur})
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// escapePathKey escapes the characters gjson gives a meaning to in a key.
func escapePathKey(k string) string {
	var b strings.Builder
	for _, r := range k {
		if strings.ContainsRune(`.*?|#@\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
