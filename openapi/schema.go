package openapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"net/url"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"gopkg.in/yaml.v3"
)

// maxValueDepth bounds the nesting of a description's documents.
const maxValueDepth = 500

// schemaDocs gives the schema compiler the description's files as JSON
// values, read in the dialect of its version: OpenAPI 3.0's nullable (and
// the x-nullable extension) adds null to a schema's type; in Swagger 2.0,
// the boolean required of parameter and header objects, which hold their
// own schema, and type file are dropped.
type schemaDocs struct {
	src     *source
	version string
	values  map[string]any
	// budget is how many more nodes converting the current file may
	// make, so that aliases cannot expand without bound.
	budget int
}

// Load implements jsonschema.URLLoader for file:/// URLs of the
// description's files.
func (d *schemaDocs) Load(rawURL string) (any, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "file" {
		return nil, fmt.Errorf("%s: %w", rawURL, errRemoteRef)
	}
	name := strings.TrimPrefix(u.Path, "/")
	if v, ok := d.values[name]; ok {
		return v, nil
	}
	f, err := d.src.open(name)
	if err != nil {
		return nil, err
	}
	d.budget = len(f.data) + 100_000
	v, err := d.value(f.root, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.src.displayName(name), err)
	}
	d.values[name] = v
	return v, nil
}

// value converts a YAML node to a JSON value; numbers keep their digits.
func (d *schemaDocs) value(n *yaml.Node, depth int) (any, error) {
	if depth > maxValueDepth {
		return nil, fmt.Errorf("nested more than %d levels deep", maxValueDepth)
	}
	if d.budget--; d.budget < 0 {
		return nil, errors.New("its aliases expand to too many nodes")
	}
	switch n.Kind {
	case yaml.AliasNode:
		return d.value(n.Alias, depth+1)
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			v, err := d.value(c, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := d.value(n.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			out[n.Content[i].Value] = v
		}
		d.dialect(out)
		return out, nil
	}
	return scalarValue(n), nil
}

// dialect rewrites an object of a 3.0 or 2.0 document for the schema
// compiler (see schemaDocs).
func (d *schemaDocs) dialect(obj map[string]any) {
	if strings.HasPrefix(d.version, "3.1") || strings.HasPrefix(d.version, "3.2") {
		return
	}
	if t, ok := obj["type"].(string); ok && (obj["nullable"] == true || obj["x-nullable"] == true) {
		obj["type"] = []any{t, "null"}
	}
	if d.version == "2.0" {
		if _, ok := obj["required"].(bool); ok {
			delete(obj, "required")
		}
		if obj["type"] == "file" {
			delete(obj, "type")
		}
	}
}

// isJSONNumber reports whether s is a number as JSON writes it.
func isJSONNumber(s string) bool {
	if s == "" || s[0] != '-' && (s[0] < '0' || s[0] > '9') || strings.TrimSpace(s) != s {
		return false
	}
	return json.Valid([]byte(s))
}

// scalarValue converts a scalar by its resolved tag.
func scalarValue(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	case "!!int", "!!float":
		if isJSONNumber(n.Value) {
			return json.Number(n.Value)
		}
		var f big.Float
		if _, ok := f.SetString(strings.ReplaceAll(n.Value, "_", "")); ok {
			return json.Number(f.Text('g', -1))
		}
		var v float64
		if n.Decode(&v) == nil && !math.IsInf(v, 0) && !math.IsNaN(v) {
			return json.Number(fmt.Sprint(v))
		}
	}
	return n.Value
}

// draftOf returns the JSON Schema draft of the description's schemas:
// 2020-12 for OpenAPI 3.1 (or the draft its jsonSchemaDialect names), and
// draft 4, which OpenAPI 3.0 and Swagger 2.0 schemas extend.
func draftOf(version, dialect string) *jsonschema.Draft {
	if !strings.HasPrefix(version, "3.1") && !strings.HasPrefix(version, "3.2") {
		return jsonschema.Draft4
	}
	switch {
	case strings.Contains(dialect, "draft-04"):
		return jsonschema.Draft4
	case strings.Contains(dialect, "draft-06"):
		return jsonschema.Draft6
	case strings.Contains(dialect, "draft-07"):
		return jsonschema.Draft7
	case strings.Contains(dialect, "2019-09"):
		return jsonschema.Draft2019
	}
	return jsonschema.Draft2020
}

// openAPIFormats are the formats OpenAPI adds that are checked: integer
// ranges.
var openAPIFormats = []*jsonschema.Format{
	{Name: "int32", Validate: intRange(32)},
	{Name: "int64", Validate: intRange(64)},
}

// intRange checks that an integer fits in bits (signed).
func intRange(bits uint) func(any) error {
	limit := new(big.Int).Lsh(big.NewInt(1), bits-1)
	return func(v any) error {
		n, ok := v.(json.Number)
		if !ok {
			return nil
		}
		i, ok := new(big.Int).SetString(string(n), 10)
		if !ok {
			return nil // not an integer: the type keyword says so
		}
		if i.Cmp(limit) >= 0 || i.Cmp(new(big.Int).Neg(limit)) < 0 {
			return fmt.Errorf("%s does not fit in %d bits", n, bits)
		}
		return nil
	}
}

// schemaCompiler compiles the description's schemas. A schema without
// any $ref is compiled as a resource of its own, so that the compiler
// does not copy its bookkeeping of the whole document for each; origins
// says where each such resource comes from.
type schemaCompiler struct {
	src     *source
	docs    *schemaDocs
	comp    *jsonschema.Compiler
	origins map[string]ref
}

// compile compiles the schema at r.
func (sc *schemaCompiler) compile(r ref) (*jsonschema.Schema, error) {
	if v, err := sc.docs.valueAt(r); err == nil && !hasRef(v) {
		u := fmt.Sprintf("mem:///%d.json", len(sc.origins))
		if err := sc.comp.AddResource(u, v); err != nil {
			return nil, err
		}
		sc.origins[u] = r
		return sc.comp.Compile(u)
	}
	return sc.comp.Compile(r.url())
}

// valueAt returns the JSON value at r.
func (d *schemaDocs) valueAt(r ref) (any, error) {
	v, err := d.Load("file:///" + r.file)
	if err != nil || r.ptr == "" {
		return v, err
	}
	for _, tok := range strings.Split(r.ptr[1:], "/") {
		tok = unescapeToken(tok)
		switch x := v.(type) {
		case map[string]any:
			v = x[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil, fmt.Errorf("no %s", r.ptr)
			}
			v = x[i]
		default:
			return nil, fmt.Errorf("no %s", r.ptr)
		}
	}
	return v, nil
}

// hasRef reports whether a $ref key occurs anywhere in v.
func hasRef(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["$ref"]; ok {
			return true
		}
		for _, c := range x {
			if hasRef(c) {
				return true
			}
		}
	case []any:
		for _, c := range x {
			if hasRef(c) {
				return true
			}
		}
	}
	return false
}

// place reads a schema URL the compiler reports back into a place in the
// description.
func place(origins map[string]ref, rawURL string) (ref, bool) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ref{}, false
	}
	switch u.Scheme {
	case "file":
		return ref{file: strings.TrimPrefix(u.Path, "/"), ptr: u.Fragment}, true
	case "mem":
		frag := u.Fragment
		u.Fragment = ""
		r, ok := origins[u.String()]
		r.ptr += frag
		return r, ok
	}
	return ref{}, false
}

// compileError places a schema compiler error in the description.
func (sc *schemaCompiler) compileError(at ref, err error) *Error {
	var sve *jsonschema.SchemaValidationError
	if errors.As(err, &sve) {
		var ve *jsonschema.ValidationError
		if errors.As(sve.Err, &ve) {
			leaf := ve
			for len(leaf.Causes) > 0 {
				leaf = leaf.Causes[0]
			}
			r, ok := place(sc.origins, sve.URL)
			if !ok {
				r = at
			}
			for _, tok := range leaf.InstanceLocation {
				r.ptr += "/" + escapeToken(tok)
			}
			return &Error{Location: sc.src.locate(r), Msg: "not a valid schema: " + errorText(message.NewPrinter(language.English), leaf)}
		}
	}
	return &Error{Location: sc.src.locate(at), Msg: "schema: " + err.Error()}
}
