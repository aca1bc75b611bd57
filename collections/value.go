package collections

import (
	"fmt"

	"github.com/callsheet/callsheet/eval"
)

// Kind is the type of a Value as written in YAML.
type Kind int

// The value kinds.
const (
	KindNull Kind = iota
	KindBool
	KindInt
	KindFloat
	// KindString is a string scalar; its Template may contain expressions.
	KindString
	KindList
	KindMap
)

// Value is a YAML value with its position, whose strings may be templates.
// Rendering it against a Scope gives a plain Go value: nil, bool, int64,
// float64, string, []any or map[string]any.
type Value struct {
	Pos  Pos
	Kind Kind
	// Bool, Int and Float hold scalar literals of their kinds.
	Bool  bool
	Int   int64
	Float float64
	// Exact, when set, holds a number literal that Int or Float cannot
	// hold exactly: a *big.Int for a KindInt, a Decimal for a KindFloat.
	Exact any
	// Literal is the text a KindInt or KindFloat was written with, which a
	// JSON body sends as it is when it is a JSON number (1.50 stays 1.50).
	Literal string
	// Template holds a KindString scalar.
	Template *Template
	// Items holds a KindList's elements.
	Items []*Value
	// Keys and Fields hold a KindMap's entries, in file order.
	Keys   []string
	Fields []*Value
}

// Field returns the map entry named key, or nil.
func (v *Value) Field(key string) *Value {
	for i, k := range v.Keys {
		if k == key {
			return v.Fields[i]
		}
	}
	return nil
}

// Exprs calls fn for every expression in the value, depth first.
func (v *Value) Exprs(fn func(*Expr)) {
	if v == nil {
		return
	}
	switch v.Kind {
	case KindString:
		v.Template.Exprs(fn)
	case KindList:
		for _, it := range v.Items {
			it.Exprs(fn)
		}
	case KindMap:
		for _, f := range v.Fields {
			f.Exprs(fn)
		}
	}
}

// Render evaluates the value's templates against scope. A string that is
// exactly one {{ expression }} keeps the expression's type.
func (v *Value) Render(scope *eval.Scope) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch v.Kind {
	case KindNull:
		return nil, nil
	case KindBool:
		return v.Bool, nil
	case KindInt, KindFloat:
		if v.Exact != nil {
			return v.Exact, nil
		}
		if v.Kind == KindInt {
			return v.Int, nil
		}
		return v.Float, nil
	case KindString:
		return v.Template.Eval(scope)
	case KindList:
		out := make([]any, len(v.Items))
		for i, it := range v.Items {
			x, err := it.Render(scope)
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	case KindMap:
		out := make(map[string]any, len(v.Keys))
		for i, k := range v.Keys {
			x, err := v.Fields[i].Render(scope)
			if err != nil {
				return nil, err
			}
			out[k] = x
		}
		return out, nil
	}
	return nil, fmt.Errorf("%s: unknown value kind %d", v.Pos, v.Kind)
}

// RenderString renders the value and formats it as text, the way it is sent
// in a header, a query parameter or a form field.
func (v *Value) RenderString(scope *eval.Scope) (string, error) {
	x, err := v.Render(scope)
	if err != nil {
		return "", err
	}
	return eval.Stringify(x), nil
}
