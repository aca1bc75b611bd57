package runner

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/callsheet/callsheet/collections"
)

// TestMarkupQueriesSharedByRuns runs one collection many times at once:
// the XPath expressions and CSS selectors compiled when it loaded are
// evaluated concurrently (run with -race).
func TestMarkupQueriesSharedByRuns(t *testing.T) {
	base := contentServer(t)
	c := parse(t, fmt.Sprintf(`steps:
  - GET: %s/html
    expect:
      xpath:
        "//code[@id='authorization_code']": abc123
        "count(//li)": 2
      css:
        "code#authorization_code": abc123
    capture:
      by_xpath: {xpath: "//code[@id='authorization_code']"}
      items: {xpath: "count(//li)"}
      by_css: {css: "code#authorization_code"}
`, base))
	r := New(&http.Client{Timeout: testTimeout})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 5 {
				ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
				res := r.Run(ctx, c, Options{})
				cancel()
				if got := res.Steps[0].Outcome.String(); got != "passed" {
					t.Errorf("outcome %s, want passed\n%s", got, describe(res))
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestQueryNotCompiled checks that a query the loader did not compile (a
// collection built in code) is compiled when it runs, and a bad one fails
// the check.
func TestQueryNotCompiled(t *testing.T) {
	s := &subject{body: []byte("<ul><li>a</li></ul>")}
	if v, problem := s.queryValue("xpath", nil, "count(//li)"); problem != "" || v.Value != int64(1) {
		t.Errorf(`queryValue("count(//li)") = %v, %q; want 1`, v, problem)
	}
	for _, tt := range []struct{ kind, src string }{{"xpath", "//a["}, {"css", "div["}} {
		if _, problem := s.queryValue(tt.kind, nil, tt.src); problem == "" {
			t.Errorf("queryValue(%s %q) problem = \"\", want invalid", tt.kind, tt.src)
		}
	}
}

// TestPredicateTable checks that every predicate a collection may hold has
// a function.
func TestPredicateTable(t *testing.T) {
	for _, op := range append(collections.Ops, collections.OpStatusIn) {
		if predicates[op] == nil {
			t.Errorf("no function for predicate %s", op)
		}
	}
	if ok, msg := evaluate("nope", operand{}); ok || msg != `unknown predicate "nope"` {
		t.Errorf(`evaluate("nope") = %v, %q`, ok, msg)
	}
}
