package arazzo

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/theory/jsonpath"

	"github.com/callsheet/callsheet/arazzo/expr"
)

// evaluate evaluates a criterion. Conditions that cannot be evaluated
// fail, with a message that says why, as the specification requires.
func (c *Criterion) evaluate(ctx expr.Context) CriterionResult {
	res := CriterionResult{Pos: c.Pos, ConditionPos: c.ConditionPos, Type: c.Type, Condition: c.Condition}
	if c.Type == CriterionSimple {
		out, err := c.simple.Eval(ctx)
		res.Passed, res.Trace = out.Passed, out.Trace
		if out.Op != "" {
			res.Op, res.Actual, res.Expected = out.Op, out.Left, out.Right
		}
		if err != nil {
			res.Passed, res.Message = false, err.Error()
		}
		return res
	}
	if err := c.evaluatePattern(ctx, &res); err != nil {
		res.Passed, res.Message = false, err.Error()
	}
	return res
}

// evaluatePattern evaluates a regex, JSONPath or XPath criterion.
func (c *Criterion) evaluatePattern(ctx expr.Context, res *CriterionResult) error {
	pattern, re, path := c.Condition, c.re, c.path
	if c.tmpl != nil {
		var err error
		if pattern, err = c.tmpl.Render(ctx); err != nil {
			return err
		}
		compiled := &Criterion{Type: c.Type}
		if err := compiled.compile(pattern); err != nil {
			return err
		}
		re, path = compiled.re, compiled.path
	}
	res.Trace, res.Expected = pattern, pattern
	v, err := c.Context.Eval(ctx)
	switch {
	case errors.Is(err, expr.ErrUndefined) || err == nil && v == nil:
		return fmt.Errorf("the context %s is null or undefined", c.Context)
	case err != nil:
		return err
	}
	switch c.Type {
	case CriterionRegex:
		return matchRegex(re, v, res)
	case CriterionJSONPath:
		return selectJSONPath(path, c.Context, v, res)
	}
	return selectXPath(pattern, v, res)
}

func matchRegex(re *regexp.Regexp, v any, res *CriterionResult) error {
	text, err := expr.Text(v)
	if err != nil {
		return err
	}
	res.Op, res.Actual = "matches", text
	res.Passed = re.MatchString(text)
	return nil
}

func selectJSONPath(path *jsonpath.Path, context *expr.Expr, v any, res *CriterionResult) error {
	if _, isText := v.(string); isText && isBody(context) {
		return fmt.Errorf("%s is not JSON", context)
	}
	nodes := path.Select(v)
	res.Op, res.Actual = "selects", len(nodes)
	res.Passed = len(nodes) > 0
	return nil
}

// isBody reports whether an expression is a whole request, response or
// message body.
func isBody(e *expr.Expr) bool {
	return (e.Source == expr.Body || e.Source == expr.Payload) && !e.HasPointer && e.Path == nil
}

func selectXPath(query string, v any, res *CriterionResult) error {
	doc, err := parseMarkup(v)
	if err != nil {
		return err
	}
	out, err := evalXPath(doc, query)
	if err != nil {
		return err
	}
	res.Op, res.Actual = "selects", out
	if texts, ok := out.([]string); ok {
		res.Actual = len(texts)
	}
	res.Passed = xpathTruth(out)
	return nil
}

// criteriaPass reports whether every criterion passes; none pass.
func criteriaPass(cs []*Criterion, ctx expr.Context) bool {
	for _, c := range cs {
		if !c.evaluate(ctx).Passed {
			return false
		}
	}
	return true
}

// eval evaluates a Selector Object: the single node a JSONPath selects
// (an array when it selects several), the text or value an XPath
// expression gives, or the value at a JSON pointer.
func (s *Selector) eval(ctx expr.Context) (any, error) {
	v, err := s.Context.Eval(ctx)
	if err != nil {
		return nil, err
	}
	switch s.Type {
	case SelectorJSONPointer:
		return expr.Resolve(v, s.pointer)
	case CriterionJSONPath:
		nodes := s.path.Select(v)
		switch len(nodes) {
		case 0:
			return nil, fmt.Errorf("JSONPath %s selects nothing in %s: %w", s.Selector, s.Context, expr.ErrUndefined)
		case 1:
			return nodes[0], nil
		}
		return []any(nodes), nil
	}
	doc, err := parseMarkup(v)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.Context, err)
	}
	out, err := evalXPath(doc, s.Selector)
	if err != nil {
		return nil, err
	}
	if texts, ok := out.([]string); ok {
		if len(texts) == 0 {
			return nil, fmt.Errorf("XPath %s selects nothing in %s: %w", s.Selector, s.Context, expr.ErrUndefined)
		}
		return texts[0], nil
	}
	return out, nil
}
