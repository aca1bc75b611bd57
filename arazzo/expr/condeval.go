package expr

import (
	"errors"
	"fmt"
)

// Result is the outcome of a simple condition.
type Result struct {
	Passed bool
	// Trace is the condition with each runtime expression replaced by its
	// value, such as 404 == 200.
	Trace string
	// Op is the operator when the whole condition is one comparison, with
	// the values of its two sides in Left and Right; "" otherwise.
	Op          string
	Left, Right any
}

// Eval evaluates the condition. It passes when it gives true; false, null
// and errors fail it. A runtime expression that names nothing (a missing
// header, a JSON pointer past the end of an array) reads as null. The
// error explains a condition that could not be evaluated; the Result
// still holds the trace so far.
func (c *Condition) Eval(ctx Context) (Result, error) {
	ev := &condEval{c: c, ctx: ctx}
	v, trace, err := ev.eval(c.root)
	res := Result{Trace: trace}
	if b, ok := c.root.(*binNode); ok && isComparison(b.op) && err == nil {
		res.Op, res.Left, res.Right = b.op, ev.left, ev.right
	}
	if err != nil {
		return res, err
	}
	switch t := v.(type) {
	case bool:
		res.Passed = t
	case nil:
	default:
		return res, fmt.Errorf("the condition gives %s %s, not a boolean", TypeName(v), Literal(v))
	}
	return res, nil
}

func isComparison(op string) bool {
	for _, c := range comparisons {
		if c == op {
			return true
		}
	}
	return false
}

// condEval evaluates one condition; left and right keep the operands of
// the last comparison.
type condEval struct {
	c           *Condition
	ctx         Context
	left, right any
}

// text is the source text of n.
func (ev *condEval) text(n cnode) string {
	s, e := n.span()
	return ev.c.src[s:e]
}

func (ev *condEval) eval(n cnode) (any, string, error) {
	switch t := n.(type) {
	case *litNode:
		return t.v, ev.text(t), nil
	case *exprNode:
		v, err := t.e.Eval(ev.ctx)
		if errors.Is(err, ErrUndefined) {
			v, err = nil, nil
		}
		if err != nil {
			return nil, ev.text(t), err
		}
		return v, Literal(v), nil
	case *groupNode:
		v, tr, err := ev.eval(t.x)
		return v, "(" + tr + ")", err
	case *notNode:
		return ev.not(t)
	case *memberNode:
		return ev.member(t)
	case *binNode:
		if t.op == "&&" || t.op == "||" {
			return ev.logical(t)
		}
		return ev.compare(t)
	}
	return nil, "", fmt.Errorf("unknown condition node %T", n)
}

func (ev *condEval) not(n *notNode) (any, string, error) {
	v, tr, err := ev.eval(n.x)
	if err != nil {
		return nil, "!" + tr, err
	}
	b, err := truth(v, "!")
	return !b, "!" + tr, err
}

func (ev *condEval) member(n *memberNode) (any, string, error) {
	v, tr, err := ev.eval(n.x)
	if err != nil {
		return nil, tr, err
	}
	next, err := Follow(v, []Accessor{n.a})
	if errors.Is(err, ErrUndefined) {
		next, err = nil, nil
	}
	if err != nil {
		return nil, ev.text(n), fmt.Errorf("%s: %w", ev.text(n), err)
	}
	return next, Literal(next), nil
}

// logical evaluates && and ||, skipping the right side when the left one
// decides.
func (ev *condEval) logical(n *binNode) (any, string, error) {
	lv, lt, err := ev.eval(n.l)
	if err != nil {
		return nil, lt + " " + n.op + " " + ev.text(n.r), err
	}
	lb, err := truth(lv, n.op)
	if err != nil || lb == (n.op == "||") {
		return lb, lt + " " + n.op + " " + ev.text(n.r), err
	}
	rv, rt, err := ev.eval(n.r)
	trace := lt + " " + n.op + " " + rt
	if err != nil {
		return nil, trace, err
	}
	rb, err := truth(rv, n.op)
	return rb, trace, err
}

func (ev *condEval) compare(n *binNode) (any, string, error) {
	lv, lt, err := ev.eval(n.l)
	if err != nil {
		return nil, lt + " " + n.op + " " + ev.text(n.r), err
	}
	rv, rt, err := ev.eval(n.r)
	trace := lt + " " + n.op + " " + rt
	if err != nil {
		return nil, trace, err
	}
	ev.left, ev.right = lv, rv
	ok, err := Compare(n.op, lv, rv)
	return ok, trace, err
}

// truth reads an operand of a logical operator: a boolean, or null as
// false.
func truth(v any, op string) (bool, error) {
	switch t := v.(type) {
	case bool:
		return t, nil
	case nil:
		return false, nil
	}
	return false, fmt.Errorf("%s needs booleans, not %s %s", op, TypeName(v), Literal(v))
}
