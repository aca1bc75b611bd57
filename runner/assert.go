package runner

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/eval"
)

// assert evaluates an assert expression with the response as res. A result
// other than true fails, and the check carries the evaluation trace:
//
//	len(res.json) >= 3
//	len([…2 items]) >= 3
//	false
func (c *checker) assert(a *collections.Assert, s *subject) *CheckResult {
	res := &CheckResult{Pos: a.Pos, Subject: "expression " + a.Expr.Source, Expected: Typed{Value: true}}
	restore := c.scope.With(collections.ResName, responseValue(s))
	defer restore()
	v, err := a.Expr.Eval(c.scope)
	switch {
	case err != nil:
		res.Actual = Typed{Missing: true}
		res.Message = "the expression failed: " + evalMessage(err)
	case v == true:
		res.Passed = true
		res.Actual = Typed{Value: true}
		return res
	default:
		res.Actual = Typed{Value: v}
		if _, isBool := v.(bool); !isBool {
			res.Message = fmt.Sprintf("an assert must be true or false, not %s", typeName(v))
		}
	}
	res.Details = a.Expr.TraceMasked(c.scope, c.mask.String) // masked before values are cut
	return res
}

// evalMessage is the cause of an evaluation error without its position.
func evalMessage(err error) string {
	var msg string
	if ee, ok := err.(*collections.EvalError); ok {
		msg = ee.Err.Error()
	} else {
		msg = err.Error()
	}
	first, _, _ := strings.Cut(msg, "\n")
	return first
}

// responseValue is what assert expressions see as res: status, headers (by
// canonical and lower-case name, first value), json (null when the body is
// not JSON), body, duration (milliseconds), cookies and url.
// It is built once per subject, however many asserts read it.
func responseValue(s *subject) map[string]any {
	if s.res != nil {
		return s.res
	}
	var body any
	if s.validJSON() {
		body, _ = eval.DecodeJSON(s.body)
	}
	res := map[string]any{
		"status":  int64(s.status),
		"headers": firstValues(s.header),
		"json":    body,
		"body":    string(s.body),
	}
	cookies := map[string]any{}
	if m := s.meta; m != nil {
		res["duration"] = m.duration.Milliseconds()
		res["url"] = m.url()
		res["redirects"] = int64(m.redirects)
		for k, v := range m.cookieMap() {
			cookies[k] = v
		}
	}
	res["cookies"] = cookies
	s.res = res
	return res
}

// firstValues maps each header's canonical and lower-case name to its
// first value, as res.headers shows them to expressions.
func firstValues(h http.Header) map[string]any {
	out := make(map[string]any, 2*len(h))
	for k, vs := range h {
		if len(vs) > 0 {
			out[k], out[strings.ToLower(k)] = vs[0], vs[0]
		}
	}
	return out
}
