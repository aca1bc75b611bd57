package openapi

import (
	"encoding/json"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// headerValue checks a response header: present when required, and its
// value (values joined by commas) valid against its schema.
func (c *Checker) headerValue(h *Header, values []string) []Violation {
	if len(values) == 0 {
		if h.Required {
			return []Violation{{Kind: KindHeader, Name: h.Name, Schema: h.Loc, Message: "required but missing"}}
		}
		return nil
	}
	if h.schema == nil {
		return nil
	}
	return c.validate(KindHeader, h.Name, *h.schema, c.typed(*h.schema, []string{strings.Join(values, ",")}, false), false)
}

// paramValue checks a request parameter: present when required, and its
// value valid against its schema.
func (c *Checker) paramValue(p *Parameter, values []string) []Violation {
	name := p.In + " " + p.Name
	if len(values) == 0 {
		if p.Required {
			return []Violation{{Kind: KindParameter, Name: name, Schema: p.Loc, Message: "required but missing"}}
		}
		return nil
	}
	if p.schema == nil {
		return nil
	}
	return c.validate(KindParameter, name, *p.schema, c.typed(*p.schema, values, p.explode), true)
}

// typed reads parameter or header text as the JSON value its schema
// describes: numbers and booleans from their text, arrays from repeated
// values (explode) or a comma-separated list. Text that does not read as
// the type stays a string, for the schema to refuse.
func (c *Checker) typed(s node, values []string, explode bool) any {
	s, err := c.d.src.deref(s)
	if err != nil {
		return values[0]
	}
	types := valueTypes(s)
	if slices.Contains(types, "array") {
		items := values
		if !explode || len(values) == 1 {
			items = strings.Split(values[0], ",")
		}
		out := make([]any, len(items))
		it, _ := c.d.src.deref(s.key("items"))
		for i, v := range items {
			out[i] = scalarOf(valueTypes(it), v)
		}
		return out
	}
	return scalarOf(types, values[0])
}

// scalarOf reads text as the first of types it fits.
func scalarOf(types []string, text string) any {
	for _, t := range types {
		switch t {
		case "integer", "number":
			if isJSONNumber(text) {
				return json.Number(text)
			}
		case "boolean":
			if text == "true" || text == "false" {
				return text == "true"
			}
		case "null":
			if text == "" {
				return nil
			}
		}
	}
	return text
}

// valueTypes returns the types a schema lists.
func valueTypes(s node) []string {
	t := s.key("type")
	if !t.ok() {
		return nil
	}
	if t.n.Kind == yaml.ScalarNode {
		return []string{t.n.Value}
	}
	return t.strings()
}
