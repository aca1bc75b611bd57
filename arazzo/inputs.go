package arazzo

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/callsheet/callsheet/arazzo/expr"
)

// prepareInputs makes the inputs of a run of w from the values given:
// with filter, only those its schema declares as properties (all when it
// declares none); converted to the declared types where text or a number
// was given for the other (so --var and environment values fit);
// completed with the schema's defaults; and validated.
func prepareInputs(w *Workflow, given map[string]any, filter bool) (map[string]any, error) {
	out := map[string]any{}
	in := w.Inputs
	if in == nil {
		if !filter {
			for k, v := range given {
				out[k] = plain(v)
			}
		}
		return out, nil
	}
	for k, v := range given {
		if !filter || in.Properties == nil || slices.Contains(in.Properties, k) {
			out[k] = plain(v)
		}
	}
	for name, schema := range in.props {
		v, ok := out[name]
		if !ok {
			if def, has := schema["default"]; has {
				out[name] = def
			}
			continue
		}
		out[name] = coerce(v, schema["type"])
	}
	return out, in.validate(w.ID, out)
}

// coerce converts v to the JSON Schema type typ when v is text or a number
// written for the other: "42" for an integer, 42 for a string, "true" for
// a boolean, JSON text for an object or array. Other values are left for
// the schema to judge.
func coerce(v any, typ any) any {
	t, _ := typ.(string)
	s, isText := v.(string)
	switch {
	case t == "string" && !isText:
		if _, isNum := expr.Number(v); isNum || isBool(v) {
			if text, err := expr.Text(v); err == nil {
				return text
			}
		}
	case (t == "integer" || t == "number") && isText:
		if isJSONNumberText(strings.TrimSpace(s)) {
			return json.Number(strings.TrimSpace(s))
		}
	case t == "boolean" && isText:
		if b, err := strconv.ParseBool(s); err == nil && (s == "true" || s == "false") {
			return b
		}
	case (t == "object" || t == "array") && isText:
		if x, err := decodeJSON([]byte(s)); err == nil {
			return x
		}
	}
	return v
}

func isBool(v any) bool {
	_, ok := v.(bool)
	return ok
}
