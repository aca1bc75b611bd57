package expr

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ErrUndefined is wrapped by the errors of expressions that name nothing:
// an input that was not given, a header the response lacks, a JSON
// pointer to a missing member.
var ErrUndefined = errors.New("undefined")

// Context supplies the values runtime expressions read. Values are JSON
// values as encoding/json decodes them (nil, bool, string, json.Number or
// another number type, []any, map[string]any).
type Context interface {
	// Lookup returns the value ref names; ref has no JSON pointer and no
	// property path. When nothing has that name the error wraps
	// ErrUndefined.
	Lookup(ref *Expr) (any, error)
}

// Eval evaluates e: it looks up its root in ctx, then follows its JSON
// pointer or property path. An input, output or step output name with
// dots that names nothing as a whole is read as a name followed by a
// property path: $inputs.user.id is member id of input user when there is
// no input "user.id".
func (e *Expr) Eval(ctx Context) (any, error) {
	v, path, err := lookup(e, ctx)
	if err != nil {
		return nil, err
	}
	if e.HasPointer {
		if v, err = Resolve(v, e.Pointer); err != nil {
			return nil, fmt.Errorf("%s: %w", e, err)
		}
	}
	if v, err = Follow(v, path); err != nil {
		return nil, fmt.Errorf("%s: %w", e, err)
	}
	return v, nil
}

// lookup finds the root value of e, splitting a dotted name when the whole
// name is undefined, and returns the property path still to follow.
func lookup(e *Expr, ctx Context) (any, []Accessor, error) {
	ref := e.Ref()
	v, err := ctx.Lookup(ref)
	if err == nil || !errors.Is(err, ErrUndefined) || !dottedKind(e.Kind) {
		return v, e.Path, err
	}
	name := e.Name
	for cut := strings.LastIndexByte(name, '.'); cut > 0; cut = strings.LastIndexByte(name[:cut], '.') {
		ref.Name = name[:cut]
		pv, perr := ctx.Lookup(ref)
		if perr == nil {
			var path []Accessor
			for _, part := range strings.Split(name[cut+1:], ".") {
				path = append(path, Accessor{Name: part})
			}
			return pv, append(path, e.Path...), nil
		}
		if !errors.Is(perr, ErrUndefined) {
			return nil, nil, perr
		}
	}
	return nil, nil, err
}

// dottedKind reports whether names of kind k may hold dots.
func dottedKind(k Kind) bool {
	return k == Inputs || k == Outputs || k == Steps || k == Workflows
}

// Resolve follows a JSON pointer's decoded tokens into v.
func Resolve(v any, tokens []string) (any, error) {
	for i, tok := range tokens {
		next, err := child(v, tok, false)
		if err != nil {
			return nil, fmt.Errorf("at %s: %w", PointerString(tokens[:i+1]), err)
		}
		v = next
	}
	return v, nil
}

// Follow applies a property path to v.
func Follow(v any, path []Accessor) (any, error) {
	for i, a := range path {
		key := a.Name
		if a.IsIndex {
			key = strconv.Itoa(a.Index)
		}
		next, err := child(v, key, a.IsIndex)
		if err != nil {
			return nil, fmt.Errorf("at %s: %w", PathString(path[:i+1]), err)
		}
		v = next
	}
	return v, nil
}

// child returns member key of an object, or element key of an array. With
// index only arrays are indexed.
func child(v any, key string, index bool) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		if index {
			return nil, fmt.Errorf("an object has no index [%s]", key)
		}
		c, ok := t[key]
		if !ok {
			return nil, fmt.Errorf("no member %q: %w", key, ErrUndefined)
		}
		return c, nil
	case []any:
		n, err := strconv.Atoi(key)
		if err != nil || !isDigits(key) || len(key) > 1 && key[0] == '0' {
			return nil, fmt.Errorf("%q is not an array index", key)
		}
		if n >= len(t) {
			return nil, fmt.Errorf("index %d is past the end of an array of %d: %w", n, len(t), ErrUndefined)
		}
		return t[n], nil
	}
	return nil, fmt.Errorf("%s has no member %q", TypeName(v), key)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// TypeName names the JSON type of v for messages.
func TypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	if _, ok := Number(v); ok {
		return "a number"
	}
	return fmt.Sprintf("a %T", v)
}

// Text converts a value to the text it takes when embedded in a string:
// strings as they are, other scalars as JSON writes them, arrays and
// objects as JSON.
func Text(v any) (string, error) {
	switch t := v.(type) {
	case string:
		return t, nil
	case nil:
		return "null", nil
	case bool:
		return strconv.FormatBool(t), nil
	case json.Number:
		return t.String(), nil
	case float64:
		if math.IsInf(t, 0) || math.IsNaN(t) {
			return "", fmt.Errorf("%v has no JSON form", t)
		}
		return strconv.FormatFloat(t, 'f', -1, 64), nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("value has no JSON form: %w", err)
	}
	return string(b), nil
}
