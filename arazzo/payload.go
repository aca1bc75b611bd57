package arazzo

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/theory/jsonpath/spec"

	"github.com/callsheet/callsheet/arazzo/expr"
)

// buildBody evaluates a request body: its payload, then its
// replacements, encoded for its content type (the operation's when the
// body gives none). A string payload is sent as it reads once its {$…}
// expressions are replaced; a structured one is encoded as JSON or as a
// form. It returns nil for a step without a payload.
func buildBody(sc *stepContext, rb *RequestBody, op *Operation) ([]byte, string, error) {
	if rb == nil || rb.Payload == nil {
		return nil, "", nil
	}
	ct := rb.ContentType
	if ct == "" {
		ct = op.ContentType
	}
	v, err := rb.Payload.eval(sc)
	if err != nil {
		return nil, "", fmt.Errorf("payload: %w", err)
	}
	_, isText := v.(string)
	if ct == "" && !isText {
		ct = "application/json"
	}
	for _, r := range rb.Replacements {
		if v, err = r.apply(sc, clone(v), ct); err != nil {
			return nil, "", fmt.Errorf("replacement %s (%s): %w", r.Target, r.Pos, err)
		}
	}
	body, err := encodeBody(v, ct)
	return body, ct, err
}

// encodeBody encodes a payload for its content type.
func encodeBody(v any, ct string) ([]byte, error) {
	if s, ok := v.(string); ok {
		return []byte(s), nil
	}
	mt := strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
	switch {
	case isJSON(ct):
		return encodeJSON(v)
	case mt == "application/x-www-form-urlencoded":
		return encodeForm(v)
	}
	return nil, fmt.Errorf("a %s payload must be written as text; structured payloads are encoded as JSON or as a form", mt)
}

// encodeForm encodes an object as application/x-www-form-urlencoded, its
// members in order; an array member repeats its name.
func encodeForm(v any) ([]byte, error) {
	o, ok := v.(*object)
	if !ok {
		m, isMap := v.(map[string]any)
		if !isMap {
			return nil, fmt.Errorf("a form payload must be an object, not %s", expr.TypeName(plain(v)))
		}
		o = &object{keys: sortedKeys(m), vals: m}
	}
	var pairs []string
	for _, k := range o.keys {
		items, isList := o.vals[k].([]any)
		if !isList {
			items = []any{o.vals[k]}
		}
		for _, it := range items {
			text, err := expr.Text(plain(it))
			if err != nil {
				return nil, err
			}
			pairs = append(pairs, url.QueryEscape(k)+"="+url.QueryEscape(text))
		}
	}
	return []byte(strings.Join(pairs, "&")), nil
}

// apply sets the replacement's value in the payload: at a JSON pointer or
// at every node a JSONPath selects in a JSON payload (a JSON text payload
// is decoded first), or at every node an XPath selects in an XML one.
func (r *Replacement) apply(sc *stepContext, payload any, ct string) (any, error) {
	val, err := r.Value.eval(sc)
	if err != nil {
		return nil, err
	}
	typ := r.TargetType
	if typ == "" {
		typ = defaultTargetType(ct)
	}
	if typ == CriterionXPath {
		text, ok := payload.(string)
		if !ok {
			return nil, errors.New("an XPath target needs an XML payload written as text")
		}
		s, err := expr.Text(plain(val))
		if err != nil {
			return nil, err
		}
		return setXPath(text, r.Target, s)
	}
	if text, ok := payload.(string); ok {
		if payload, err = decodeJSON([]byte(text)); err != nil {
			return nil, fmt.Errorf("the payload is not JSON: %w", err)
		}
	}
	if typ == SelectorJSONPointer {
		return setPointer(payload, r.pointer, clone(val))
	}
	located := r.path.SelectLocated(plain(payload))
	if len(located) == 0 {
		return nil, errors.New("the target selects nothing")
	}
	for _, n := range located {
		if payload, err = setPointer(payload, pathTokens(n.Path), clone(val)); err != nil {
			return nil, err
		}
	}
	return payload, nil
}

// pathTokens turns a normalized JSONPath path into JSON pointer tokens.
func pathTokens(p spec.NormalizedPath) []string {
	out := make([]string, len(p))
	for i, sel := range p {
		switch s := sel.(type) {
		case spec.Name:
			out[i] = string(s)
		case spec.Index:
			out[i] = strconv.Itoa(int(s))
		}
	}
	return out
}

// setPointer sets the value at a JSON pointer, adding an object member
// that is missing and appending to an array at "-", and returns the new
// root.
func setPointer(node any, tokens []string, val any) (any, error) {
	if len(tokens) == 0 {
		return val, nil
	}
	tok, rest := tokens[0], tokens[1:]
	switch n := node.(type) {
	case *object:
		child, ok := n.get(tok)
		if !ok && len(rest) > 0 {
			return nil, fmt.Errorf("no member %q", tok)
		}
		c, err := setPointer(child, rest, val)
		n.set(tok, c)
		return n, err
	case map[string]any:
		child, ok := n[tok]
		if !ok && len(rest) > 0 {
			return nil, fmt.Errorf("no member %q", tok)
		}
		c, err := setPointer(child, rest, val)
		n[tok] = c
		return n, err
	case []any:
		if tok == "-" && len(rest) == 0 {
			return append(n, val), nil
		}
		i, err := strconv.Atoi(tok)
		if err != nil || i < 0 || i >= len(n) {
			return nil, fmt.Errorf("no element %q in an array of %d", tok, len(n))
		}
		c, err := setPointer(n[i], rest, val)
		n[i] = c
		return n, err
	}
	return nil, fmt.Errorf("%s has no member %q", expr.TypeName(plain(node)), tok)
}
