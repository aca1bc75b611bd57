package convert

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/internal/lazyregexp"
)

// kv is one header, query parameter or form field of an imported request;
// its value is a YAML node (usually a string template).
type kv struct {
	key   string
	value *yaml.Node
}

// partSpec is one multipart part of an imported request: a text value, or
// a file when path is set.
type partSpec struct {
	field string
	value *yaml.Node
	path  string
	// filename and contentType are written when set.
	filename, contentType string
}

// node is the part as the format writes it: a plain value, or a mapping.
func (p partSpec) node() *yaml.Node {
	value := p.value
	if value == nil {
		// A file part whose source named no file: an empty text part.
		value = str("")
	}
	if p.path == "" && p.filename == "" && p.contentType == "" {
		return value
	}
	m := mapping()
	if p.path != "" {
		add(m, "file", str(p.path))
	} else {
		add(m, "value", value)
	}
	if p.filename != "" {
		add(m, "filename", str(p.filename))
	}
	if p.contentType != "" {
		add(m, "content_type", str(p.contentType))
	}
	return m
}

// reqSpec is an imported request before it becomes a step.
type reqSpec struct {
	name    string
	method  string
	url     string
	query   []kv
	headers []kv
	// One body at most: json, form, multipart (parts in order) or raw.
	json    *yaml.Node
	form    []kv
	parts   []partSpec
	raw     *string
	timeout string
	// noFollow writes follow_redirects: false (curl without -L).
	noFollow bool
	// auth names the auth profile whose token the request carries.
	auth    string
	expect  *yaml.Node
	capture *yaml.Node
}

// node renders the request as a step mapping in the format's key order.
func (r *reqSpec) node() *yaml.Node {
	m := mapping()
	add(m, "name", str(r.name))
	add(m, r.method, str(r.url))
	kvs := func(key string, list []kv) {
		if len(list) > 0 {
			add(m, key, fieldsNode(list))
		}
	}
	kvs("query", r.query)
	kvs("headers", r.headers)
	if r.auth != "" {
		add(m, "auth", str(r.auth))
	}
	switch {
	case r.json != nil:
		add(m, "json", r.json)
	case len(r.form) > 0:
		kvs("form", r.form)
	case len(r.parts) > 0:
		list := make([]kv, len(r.parts))
		for i, p := range r.parts {
			list[i] = kv{p.field, p.node()}
		}
		add(m, "multipart", fieldsNode(list))
	case r.raw != nil:
		add(m, "body", str(*r.raw))
	}
	if r.timeout != "" {
		add(m, "timeout", str(r.timeout))
	}
	if r.noFollow {
		add(m, "follow_redirects", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "false"})
	}
	if r.expect != nil && len(r.expect.Content) > 0 {
		add(m, "expect", r.expect)
	}
	if r.capture != nil && len(r.capture.Content) > 0 {
		add(m, "capture", r.capture)
	}
	return m
}

// fieldsNode writes fields as a mapping, or, when a name repeats, as a list
// of one-entry mappings, which keeps every field and their order.
func fieldsNode(list []kv) *yaml.Node {
	seen := map[string]bool{}
	repeats := false
	for _, p := range list {
		repeats = repeats || seen[p.key]
		seen[p.key] = true
	}
	if !repeats {
		n := mapping()
		for _, p := range list {
			add(n, p.key, p.value)
		}
		return n
	}
	seq := sequence()
	for _, p := range list {
		n := mapping()
		add(n, p.key, p.value)
		seq.Content = append(seq.Content, n)
	}
	return seq
}

// header returns the value of the header name (any case) and its index.
func (r *reqSpec) header(name string) (string, int) {
	for i, h := range r.headers {
		if strings.EqualFold(h.key, name) {
			return h.value.Value, i
		}
	}
	return "", -1
}

// dropHeader removes the header name (any case).
func (r *reqSpec) dropHeader(name string) {
	if _, i := r.header(name); i >= 0 {
		r.headers = append(r.headers[:i], r.headers[i+1:]...)
	}
}

// secretFieldRE matches names of fields whose values are credentials.
var secretFieldRE = lazyregexp.New(`(?i)(secret|passw|token|api[_-]?key|apikey)`)

// field returns the field key: value of a query, form or multipart body,
// with a literal credential (under a name such as password or api_key)
// moved into a secret variable.
func (b *builder) field(key, value string) kv {
	if secretFieldRE.MatchString(key) {
		value = b.secretValue(key, value)
	}
	return kv{key, str(value)}
}

// fields converts parsed query or form fields with field.
func (b *builder) fields(list [][2]string) []kv {
	out := make([]kv, len(list))
	for i, f := range list {
		out[i] = b.field(f[0], f[1])
	}
	return out
}

// secretValue moves a literal credential into a secret variable named
// after the field and returns the template that reads it. Templates and
// empty values are returned as they are.
func (b *builder) secretValue(field, value string) string {
	if value == "" || strings.Contains(value, "{{") {
		return value
	}
	name := varName(strings.ToLower(field))
	for i := 2; ; i++ {
		v := b.varValue(name)
		if v == nil || v.Value == value {
			break
		}
		name = fmt.Sprintf("%s_%d", varName(strings.ToLower(field)), i)
	}
	b.setVar(name, str(value), "secret: replace with \"{{ env.NAME }}\" before committing")
	b.secret(name)
	return "{{ " + name + " }}"
}

// varValue returns the value node of the variable name, or nil.
func (b *builder) varValue(name string) *yaml.Node {
	for _, v := range b.vars {
		if v.name == name {
			return v.value
		}
	}
	return nil
}

// authHeader moves the credentials of an Authorization header value into
// secret variables: `Bearer X` reads {{ token }}, `Basic X` {{ basic_auth }}.
func (b *builder) authHeader(value string) string {
	scheme, cred, ok := strings.Cut(value, " ")
	if !ok || strings.Contains(cred, "{{") {
		return value
	}
	switch strings.ToLower(scheme) {
	case "bearer":
		return scheme + " " + b.secretValue("token", cred)
	case "basic":
		return scheme + " " + b.secretValue("basic_auth", cred)
	}
	return b.secretValue("authorization", value)
}

// exactJSON returns text as a json: value when callsheet, sending that
// value, sends text byte for byte: compact, keys in order, unique keys,
// numbers as written, strings escaped as Go's encoder escapes them. Any
// other JSON (indented, \u escapes, a repeated key) stays a body: so that
// a signature computed over it still holds.
func exactJSON(text string) (*yaml.Node, bool) {
	n, err := jsonNode(text, nil)
	if err != nil {
		return nil, false
	}
	var b strings.Builder
	if !compactJSON(&b, n) || b.String() != text {
		return nil, false
	}
	return n, true
}

// compactJSON writes n, made by jsonNode, as callsheet encodes a json:
// value; false for a mapping with a repeated key, which a collection
// cannot hold.
func compactJSON(b *strings.Builder, n *yaml.Node) bool {
	switch n.Kind {
	case yaml.MappingNode:
		seen := map[string]bool{}
		b.WriteByte('{')
		for i := 0; i < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if seen[k] {
				return false
			}
			seen[k] = true
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, k)
			b.WriteByte(':')
			if !compactJSON(b, n.Content[i+1]) {
				return false
			}
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, it := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if !compactJSON(b, it) {
				return false
			}
		}
		b.WriteByte(']')
	default:
		switch n.Tag {
		case "!!str":
			writeJSONString(b, n.Value)
		case "!!null":
			b.WriteString("null")
		default:
			b.WriteString(n.Value)
		}
	}
	return true
}

// writeJSONString writes s as Go's encoder does without HTML escaping.
func writeJSONString(b *strings.Builder, s string) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	b.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// jsonNode decodes JSON text into a YAML node, keeping the order of object
// keys. Numbers keep their text.
func jsonNode(text string, conv func(string) string) (*yaml.Node, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	n, err := jsonValue(dec, conv)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("extra data after the JSON value")
	}
	return n, nil
}

func jsonValue(dec *json.Decoder, conv func(string) string) (*yaml.Node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			m := mapping()
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, _ := kt.(string)
				v, err := jsonValue(dec, conv)
				if err != nil {
					return nil, err
				}
				m.Content = append(m.Content, str(key), v)
			}
			_, err := dec.Token()
			if len(m.Content) == 0 {
				m.Style = yaml.FlowStyle
			}
			return m, err
		case '[':
			s := sequence()
			for dec.More() {
				v, err := jsonValue(dec, conv)
				if err != nil {
					return nil, err
				}
				s.Content = append(s.Content, v)
			}
			_, err := dec.Token()
			if len(s.Content) == 0 {
				s.Style = yaml.FlowStyle
			}
			return s, err
		}
	case json.Number:
		tag := "!!int"
		if strings.ContainsAny(t.String(), ".eE") {
			tag = "!!float"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: t.String()}, nil
	case string:
		if conv != nil {
			t = conv(t)
		}
		return str(t), nil
	}
	return scalar(tok), nil
}

// bareTemplateRE matches a Postman or callsheet template outside a JSON
// string: {"id": {{id}}}.
var bareTemplateRE = lazyregexp.New(`\{\{[^{}"]+\}\}`)

// quoteBareTemplates wraps templates that stand for JSON values in quotes,
// so that the text parses; a quoted lone template keeps its type in
// callsheet.
func quoteBareTemplates(text string) string {
	var out bytes.Buffer
	inString, escaped := false, false
	for i := 0; i < len(text); i++ {
		c := text[i]
		if inString {
			out.WriteByte(c)
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		if c == '"' {
			inString = true
			out.WriteByte(c)
			continue
		}
		if loc := bareTemplateRE.FindStringIndex(text[i:]); loc != nil && loc[0] == 0 {
			out.WriteString(`"` + text[i:i+loc[1]] + `"`)
			i += loc[1] - 1
			continue
		}
		out.WriteByte(c)
	}
	return out.String()
}

// formFields parses application/x-www-form-urlencoded text into fields, or
// reports false when the text is not shaped like a form.
func formFields(text string) ([][2]string, bool) {
	if text == "" {
		return nil, false
	}
	var out [][2]string
	for _, part := range strings.Split(text, "&") {
		k, v, ok := strings.Cut(part, "=")
		if !ok || k == "" {
			return nil, false
		}
		uk, err1 := url.QueryUnescape(k)
		uv, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			return nil, false
		}
		out = append(out, [2]string{uk, uv})
	}
	return out, true
}

// splitQuery moves the query of rawURL into parameters when encoding them
// again gives the same text, so that the step sends the same URL.
func splitQuery(rawURL string) (string, [][2]string) {
	base, query, ok := strings.Cut(rawURL, "?")
	if !ok || query == "" || strings.Contains(query, "#") {
		return rawURL, nil
	}
	fields, ok := formFields(query)
	if !ok {
		return rawURL, nil
	}
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = url.QueryEscape(f[0]) + "=" + url.QueryEscape(f[1])
	}
	if strings.Join(parts, "&") != query {
		return rawURL, nil
	}
	return base, fields
}
