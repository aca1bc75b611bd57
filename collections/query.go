package collections

import (
	"strings"
	"sync"

	"github.com/andybalholm/cascadia"
	"github.com/antchfx/xpath"
	"golang.org/x/net/html"
	"gopkg.in/yaml.v3"
)

// Query is an XPath 1.0 expression or a CSS selector on an HTML or XML
// body, compiled when the collection loads. Queries are not templates: they
// run as written. A Query is safe for concurrent use.
type Query struct {
	// Source is the query as written.
	Source string
	// css is the selector of a CSS query; nil for XPath.
	css cascadia.Selector
	// xpath is the expression of an XPath query. An *xpath.Expr is not
	// safe for concurrent use (Evaluate resets iterators inside it, and
	// the node iterator it returns shares its closures), so a whole
	// evaluation, reading included, holds mu.
	xpath *xpath.Expr
	mu    sync.Mutex
}

// CompileXPath compiles an XPath 1.0 expression.
func CompileXPath(src string) (*Query, error) {
	expr, err := xpath.Compile(src)
	if err != nil {
		return nil, err
	}
	return &Query{Source: src, xpath: expr}, nil
}

// CompileCSS compiles a CSS selector.
func CompileCSS(src string) (*Query, error) {
	sel, err := cascadia.Compile(src)
	if err != nil {
		return nil, err
	}
	return &Query{Source: src, css: sel}, nil
}

// IsXPath reports whether q is an XPath expression (else a CSS selector).
func (q *Query) IsXPath() bool { return q.xpath != nil }

// Evaluate evaluates an XPath query on nav and hands the result (a node
// iterator, a number, a string or a boolean) to read, which must be done
// with it on return.
func (q *Query) Evaluate(nav xpath.NodeNavigator, read func(result any)) {
	q.mu.Lock()
	defer q.mu.Unlock()
	read(q.xpath.Evaluate(nav))
}

// MatchFirst returns the first node under n that a CSS query matches, or
// nil.
func (q *Query) MatchFirst(n *html.Node) *html.Node { return q.css.MatchFirst(n) }

// markupQuery compiles an XPath expression (kind "xpath") or a CSS
// selector (kind "css"), so that a bad query fails the load rather than
// every run. It returns nil after recording an error at n.
func (l *loader) markupQuery(kind string, n *yaml.Node, query string) *Query {
	compile, what, hint := CompileXPath, "XPath", "XPath 1.0, for example //code[@id='token'] or count(//li)"
	if kind == "css" {
		compile, what, hint = CompileCSS, "CSS selector", "for example code#token or ul > li.active"
	}
	q, err := compile(query)
	if err == nil {
		return q
	}
	if strings.Contains(query, "{{") {
		hint = "templates are not expanded in xpath and css queries"
	}
	l.errorAt(n, hint, "invalid %s: %s", what, strings.TrimSuffix(err.Error(), "."))
	return nil
}
