package convert

import (
	"encoding/json"
	"fmt"
	"mime"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/openapi"
)

// base returns the template of the operation's base URL: a variable per
// distinct server URL, base_url for the first.
func (oi *openAPIImport) base(op *openapi.Operation) string {
	var s openapi.Server
	if len(op.Servers) > 0 {
		s = op.Servers[0]
	}
	if name, ok := oi.bases[s.URL]; ok {
		return "{{ " + name + " }}"
	}
	name := "base_url"
	if n := len(oi.bases); n > 0 {
		name = fmt.Sprintf("base_url_%d", n+1)
	}
	oi.bases[s.URL] = name
	value, comment := oi.serverURL(s)
	var others []string
	for _, o := range op.Servers[min(1, len(op.Servers)):] {
		others = append(others, o.URL)
	}
	if len(others) > 0 {
		comment = strings.TrimPrefix(comment+"; also "+strings.Join(others, ", "), "; ")
	}
	oi.b.setVar(name, str(value), safetext.Line(comment))
	return "{{ " + name + " }}"
}

// serverURL returns a server's URL as a template over its variables,
// which it declares with their defaults, and a comment for it.
func (oi *openAPIImport) serverURL(s openapi.Server) (string, string) {
	u := strings.TrimSuffix(s.URL, "/")
	comment := s.Description
	if !strings.Contains(u, "://") {
		comment = "the description gives no host: set it with --var"
		if s.URL == "" {
			comment = "the description names no server: set it with --var"
		}
		u = "http://localhost" + strings.TrimSuffix("/"+strings.TrimPrefix(u, "/"), "/")
	}
	u = openapi.ReplaceParams(u, func(name string) string {
		v := varName(name)
		if !oi.b.hasVar(v) {
			def := ""
			for _, sv := range s.Variables {
				if sv.Name == name {
					def = sv.Default
				}
			}
			oi.b.setVar(v, str(escapeTemplate(def)), "server variable")
		}
		return "{{ " + v + " }}"
	})
	return u, comment
}

// path returns the operation's path with its parameters as variables,
// declared with their examples.
func (oi *openAPIImport) path(op *openapi.Operation) string {
	return openapi.ReplaceParams(op.Path, func(name string) string {
		v := varName(name)
		if !oi.b.hasVar(v) {
			value, comment := str(""), "path parameter: set it with --var"
			for _, p := range op.Parameters {
				if p.In == "path" && p.Name == name {
					if ex, _ := oi.d.Example(p); ex != nil && ex.Kind == yaml.ScalarNode {
						value, comment = valueNode(ex), "path parameter"
					}
				}
			}
			oi.b.setVar(v, value, comment)
		}
		return "{{ " + v + " }}"
	})
}

// param adds a required query or header parameter with its example.
func (oi *openAPIImport) param(r *reqSpec, p *openapi.Parameter) []string {
	if p.In == "path" {
		return nil
	}
	ex, _ := oi.d.Example(p)
	if p.In == "cookie" {
		return []string{fmt.Sprintf("cookie parameter %s is required: send it in a Cookie header", p.Name)}
	}
	if p.In == "header" && (strings.EqualFold(p.Name, "Accept") || strings.EqualFold(p.Name, "Content-Type") || strings.EqualFold(p.Name, "Authorization")) {
		return nil
	}
	v := valueNode(ex)
	if v.Kind == yaml.MappingNode || p.In == "header" && v.Kind == yaml.SequenceNode {
		return []string{fmt.Sprintf("%s parameter %s is an object: add it by hand", p.In, p.Name)}
	}
	if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str" {
		v = oi.b.field(p.Name, v.Value).value
	}
	if p.In == "query" {
		r.query = append(r.query, kv{p.Name, v})
	} else {
		r.headers = append(r.headers, kv{p.Name, v})
	}
	return nil
}

// mediaRank orders the media types a body may be sent as: JSON first,
// then forms, then the rest.
func mediaRank(mt string) int {
	base, _, err := mime.ParseMediaType(mt)
	if err != nil {
		base = strings.ToLower(mt)
	}
	_, sub, _ := strings.Cut(base, "/")
	switch {
	case sub == "json" || strings.HasSuffix(sub, "+json"):
		return 0
	case base == "application/x-www-form-urlencoded":
		return 1
	case base == "multipart/form-data":
		return 2
	}
	return 3
}

// body adds the example body of the media type the request is best sent
// as.
func (oi *openAPIImport) body(r *reqSpec, rb *openapi.RequestBody) []string {
	if rb == nil || len(rb.Content) == 0 {
		return nil
	}
	m := rb.Content[0]
	for _, c := range rb.Content[1:] {
		if mediaRank(c.Type) < mediaRank(m.Type) {
			m = c
		}
	}
	ex, _ := oi.d.BodyExample(m)
	switch mediaRank(m.Type) {
	case 0:
		r.json = valueNode(ex)
		if base, _, _ := mime.ParseMediaType(m.Type); base != "application/json" {
			r.headers = append(r.headers, kv{"Content-Type", str(m.Type)})
		}
	case 1:
		fields, left := oi.formFields(ex, true)
		r.form = fields
		return left
	case 2:
		fields, left := oi.formFields(ex, false)
		for _, f := range fields {
			r.parts = append(r.parts, partSpec{field: f.key, value: f.value})
		}
		return left
	default:
		if ex == nil || ex.Kind != yaml.ScalarNode {
			return []string{fmt.Sprintf("the %s body has no text example: add it in body: by hand", m.Type)}
		}
		text := escapeTemplate(ex.Value)
		r.raw = &text
		r.headers = append(r.headers, kv{"Content-Type", str(m.Type)})
	}
	return nil
}

// formFields turns an example object into form fields: a list of
// scalars repeats a field of a form (lists is set), and other nested
// values are sent as JSON text.
func (oi *openAPIImport) formFields(ex *yaml.Node, lists bool) ([]kv, []string) {
	if ex == nil || ex.Kind != yaml.MappingNode {
		return nil, []string{"the form body has no example object: add its fields by hand"}
	}
	var out []kv
	for i := 0; i+1 < len(ex.Content); i += 2 {
		k, v := ex.Content[i].Value, valueNode(ex.Content[i+1])
		switch {
		case v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str":
			out = append(out, oi.b.field(k, v.Value))
		case v.Kind == yaml.MappingNode || v.Kind == yaml.SequenceNode && (!lists || !scalars(v)):
			out = append(out, kv{k, str(escapeTemplate(jsonText(v)))})
		default:
			out = append(out, kv{k, v})
		}
	}
	return out, nil
}

// scalars reports whether every item of the sequence n is a scalar.
func scalars(n *yaml.Node) bool {
	for _, c := range n.Content {
		if c.Kind != yaml.ScalarNode {
			return false
		}
	}
	return true
}

// jsonText encodes a YAML value as compact JSON.
func jsonText(n *yaml.Node) string {
	var v any
	if err := n.Decode(&v); err != nil {
		return ""
	}
	b, err := json.Marshal(jsonable(v))
	if err != nil {
		return ""
	}
	return string(b)
}

// jsonable turns the maps yaml.v3 decodes into ones encoding/json takes.
func jsonable(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			x[k] = jsonable(c)
		}
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, c := range x {
			m[fmt.Sprint(k)] = jsonable(c)
		}
		return m
	case []any:
		for i, c := range x {
			x[i] = jsonable(c)
		}
	}
	return v
}

// valueNode returns a copy of an example fit for a collection: strings
// that hold {{ are written so that they are sent as they are.
func valueNode(n *yaml.Node) *yaml.Node {
	if n == nil {
		return scalar(nil)
	}
	out := &yaml.Node{Kind: n.Kind, Tag: n.Tag, Value: n.Value, Style: n.Style &^ (yaml.LiteralStyle | yaml.FoldedStyle)}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" {
		out.Value = escapeTemplate(n.Value)
	}
	for _, c := range n.Content {
		out.Content = append(out.Content, valueNode(c))
	}
	return out
}

// escapeTemplate writes text so that a collection sends it as it is: each
// {{ becomes an expression that gives {{.
func escapeTemplate(s string) string {
	return strings.ReplaceAll(s, "{{", `{{ "{{" }}`)
}

// successStatus returns the status a step expects: the lowest documented
// 2xx code, else 2xx when the class is documented, else the lowest 3xx
// code (then redirects are not followed).
func successStatus(op *openapi.Operation) (status *yaml.Node, noFollow, ok bool) {
	best := 0
	class := false
	for _, r := range op.Responses {
		code, err := strconv.Atoi(r.Status)
		switch {
		case err == nil && code >= 200 && code < 400 && (best == 0 || code < best):
			best = code
		case strings.EqualFold(r.Status, "2XX"):
			class = true
		}
	}
	switch {
	case best >= 200 && best < 300:
		return scalar(int64(best)), false, true
	case class:
		return str("2xx"), false, true
	case best != 0:
		return scalar(int64(best)), true, true
	}
	return nil, false, false
}
