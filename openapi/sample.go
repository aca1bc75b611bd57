package openapi

import (
	"gopkg.in/yaml.v3"
)

// maxSampleDepth bounds how deep made examples nest.
const maxSampleDepth = 8

// formatSamples are the example strings of string formats.
var formatSamples = map[string]string{
	"date-time": "2024-01-01T00:00:00Z",
	"date":      "2024-01-01",
	"time":      "00:00:00Z",
	"email":     "user@example.com",
	"uuid":      "00000000-0000-0000-0000-000000000000",
	"uri":       "https://example.com",
	"url":       "https://example.com",
	"hostname":  "example.com",
	"ipv4":      "192.0.2.1",
	"ipv6":      "2001:db8::1",
	"byte":      "",
	"binary":    "",
	"password":  "",
}

// sample makes an example value of the schema s, for a request: its
// example, default, const or first enum value where it has one, else a
// value of its type built from its properties and items. readOnly
// properties are left out; a schema met again inside itself is left out
// too.
func (d *Description) sample(s *node) *yaml.Node {
	if s == nil {
		return scalarNode("!!null", "null")
	}
	return d.sampleAt(*s, map[ref]bool{}, 0)
}

func (d *Description) sampleAt(s node, seen map[ref]bool, depth int) *yaml.Node {
	s, err := d.src.deref(s)
	if err != nil || !s.ok() || depth > maxSampleDepth {
		return scalarNode("!!null", "null")
	}
	if seen[s.ref()] {
		return nil
	}
	seen[s.ref()] = true
	defer delete(seen, s.ref())
	for _, k := range []string{"example", "default", "const"} {
		if v := s.key(k); v.ok() {
			return copyNode(v.n)
		}
	}
	for _, k := range []string{"examples", "enum"} {
		if v := s.key(k).items(); len(v) > 0 {
			return copyNode(v[0].n)
		}
	}
	for _, k := range []string{"oneOf", "anyOf"} {
		if alts := s.key(k).items(); len(alts) > 0 {
			return d.sampleAt(alts[0], seen, depth+1)
		}
	}
	switch t := schemaType(s); t {
	case "object":
		return d.sampleObject(s, seen, depth)
	case "array":
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		if it := s.key("items"); it.ok() {
			if v := d.sampleAt(it, seen, depth+1); v != nil {
				seq.Content = append(seq.Content, v)
			}
		}
		if len(seq.Content) == 0 {
			seq.Style = yaml.FlowStyle
		}
		return seq
	case "integer", "number":
		if m := s.key("minimum"); m.ok() && m.n.Kind == yaml.ScalarNode {
			return scalarNode(m.n.Tag, m.n.Value)
		}
		return scalarNode("!!int", "0")
	case "boolean":
		return scalarNode("!!bool", "false")
	case "null":
		return scalarNode("!!null", "null")
	default:
		return scalarNode("!!str", formatSample(s.str("format")))
	}
}

// formatSample is the example string of a format.
func formatSample(format string) string {
	if v, ok := formatSamples[format]; ok {
		return v
	}
	return "string"
}

// schemaType returns the type of a schema: its type (the first that is
// not null, when it lists several), else what its keywords imply.
func schemaType(s node) string {
	t := s.key("type")
	if t.ok() && t.n.Kind == yaml.ScalarNode {
		return t.n.Value
	}
	for _, name := range t.strings() {
		if name != "null" {
			return name
		}
	}
	switch {
	case s.key("properties").ok() || s.key("allOf").ok() || s.key("additionalProperties").ok():
		return "object"
	case s.key("items").ok():
		return "array"
	}
	return "string"
}

// sampleObject makes an object from the properties of s and of the
// schemas in its allOf.
func (d *Description) sampleObject(s node, seen map[ref]bool, depth int) *yaml.Node {
	obj := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for _, part := range s.key("allOf").items() {
		if v := d.sampleAt(part, seen, depth+1); v != nil && v.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(v.Content); i += 2 {
				setKey(obj, v.Content[i].Value, v.Content[i+1])
			}
		}
	}
	s.key("properties").pairs(func(name string, p node) {
		if pd, err := d.src.deref(p); err == nil && pd.flag("readOnly") {
			return
		}
		if v := d.sampleAt(p, seen, depth+1); v != nil {
			setKey(obj, name, v)
		}
	})
	if len(obj.Content) == 0 {
		obj.Style = yaml.FlowStyle
	}
	return obj
}

// setKey sets key in the mapping m, replacing an earlier value.
func setKey(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, scalarNode("!!str", key), v)
}

func scalarNode(tag, value string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
}

// maxCopyNodes bounds the nodes of a copied example, which aliases could
// otherwise expand without bound.
const maxCopyNodes = 100_000

// copyNode returns a deep copy of n without its comments, positions and
// anchors, so that callers may change it. A copy that would exceed
// maxCopyNodes nodes is null.
func copyNode(n *yaml.Node) *yaml.Node {
	budget := maxCopyNodes
	if out := copyWithin(n, &budget); budget >= 0 {
		return out
	}
	return scalarNode("!!null", "null")
}

func copyWithin(n *yaml.Node, budget *int) *yaml.Node {
	if n == nil || *budget < 0 {
		return nil
	}
	*budget--
	if n.Kind == yaml.AliasNode {
		return copyWithin(n.Alias, budget)
	}
	out := &yaml.Node{Kind: n.Kind, Style: n.Style, Tag: n.Tag, Value: n.Value}
	for _, c := range n.Content {
		out.Content = append(out.Content, copyWithin(c, budget))
	}
	return out
}
