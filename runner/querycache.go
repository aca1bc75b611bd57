package runner

import (
	"sync"

	"github.com/andybalholm/cascadia"
	"github.com/antchfx/xpath"
)

// caches holds what a Runner compiles once for all its runs: the patterns
// of matches checks and regex captures, and the queries of xpath and css
// checks and captures. Each cache is safe for concurrent use.
type caches struct {
	regexps   regexpCache
	xpaths    xpathCache
	selectors selectorCache
}

// xpathCache holds compiled XPath expressions, like regexpCache.
type xpathCache struct {
	m sync.Map // query → *xpathQuery
}

// xpathQuery is a compiled XPath expression. An *xpath.Expr is not safe
// for concurrent use: Evaluate resets iterators inside the compiled query,
// and the node iterator it returns shares the query's function closures.
// So the whole evaluation, reading included, holds mu.
type xpathQuery struct {
	mu   sync.Mutex
	expr *xpath.Expr
}

// get returns query compiled, compiling it the first time. Invalid queries
// are not cached.
func (c *xpathCache) get(query string) (*xpathQuery, error) {
	if q, ok := c.m.Load(query); ok {
		return q.(*xpathQuery), nil
	}
	expr, err := xpath.Compile(query)
	if err != nil {
		return nil, err
	}
	actual, _ := c.m.LoadOrStore(query, &xpathQuery{expr: expr})
	return actual.(*xpathQuery), nil
}

// evaluate evaluates the expression on nav and hands the result to read,
// which must be done with it (and any node iterator in it) on return.
func (q *xpathQuery) evaluate(nav xpath.NodeNavigator, read func(any) (Typed, string)) (Typed, string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return read(q.expr.Evaluate(nav))
}

// selectorCache holds compiled CSS selectors, like regexpCache. A
// cascadia.Selector only reads the nodes it matches, so it is safe for
// concurrent use.
type selectorCache struct {
	m sync.Map // query → cascadia.Selector
}

// get returns query compiled, compiling it the first time. Invalid
// selectors are not cached.
func (c *selectorCache) get(query string) (cascadia.Selector, error) {
	if sel, ok := c.m.Load(query); ok {
		return sel.(cascadia.Selector), nil
	}
	sel, err := cascadia.Compile(query)
	if err != nil {
		return nil, err
	}
	actual, _ := c.m.LoadOrStore(query, sel)
	return actual.(cascadia.Selector), nil
}
