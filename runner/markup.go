package runner

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/antchfx/htmlquery"
	"github.com/antchfx/xmlquery"
	"github.com/antchfx/xpath"
	"golang.org/x/net/html"

	"github.com/callsheet/callsheet/collections"
)

// responseMeta is what a response tells beyond its status, headers and
// body. The final URL and the cookies are read from the response at their
// first use: most steps check neither.
type responseMeta struct {
	// resp is the final response.
	resp *http.Response
	// redirects is the number of redirects followed.
	redirects int
	// cookies are the cookies the final response sets, by name; nil until
	// read.
	cookies map[string]string
	// duration runs from sending the request to reading the whole body.
	duration time.Duration
	// header is the response's header, for checks by name.
	header http.Header
}

// newResponseMeta reads the redirect chain of resp.
func newResponseMeta(resp *http.Response, d time.Duration) *responseMeta {
	m := &responseMeta{resp: resp, duration: d, header: resp.Header}
	// Each request made for a redirect holds the response that caused it.
	for r := resp.Request; r != nil && r.Response != nil && m.redirects < 100; r = r.Response.Request {
		m.redirects++
	}
	return m
}

// url is the final URL, after redirects.
func (m *responseMeta) url() string {
	if m.resp.Request == nil {
		return ""
	}
	return m.resp.Request.URL.String()
}

// cookie returns the cookie the final response sets by name, the first
// when it sets several.
func (m *responseMeta) cookie(name string) (string, bool) {
	v, ok := m.cookieMap()[name]
	return v, ok
}

// cookieMap returns the cookies of the final response by name.
func (m *responseMeta) cookieMap() map[string]string {
	if m.cookies == nil {
		m.cookies = map[string]string{}
		for _, c := range m.resp.Cookies() {
			if _, seen := m.cookies[c.Name]; !seen {
				m.cookies[c.Name] = c.Value
			}
		}
	}
	return m.cookies
}

// noResponse is the problem of response checks on an authorize step.
const noResponse = "an authorize step has no HTTP response"

// cookieValue returns the value of a cookie set by the response.
func (s *subject) cookieValue(name string) (Typed, string) {
	if s.meta == nil {
		return Typed{Missing: true}, noResponse
	}
	v, ok := s.meta.cookie(name)
	if !ok {
		return Typed{Missing: true}, ""
	}
	return Typed{Value: v}, ""
}

// durationValue returns the response time in whole milliseconds.
func (s *subject) durationValue() (Typed, string) {
	if s.meta == nil {
		return Typed{Missing: true}, noResponse
	}
	return Typed{Value: s.meta.duration.Milliseconds()}, ""
}

// isXML reports whether the body should be read as XML rather than HTML.
func (s *subject) isXML() bool {
	ct := strings.ToLower(s.header.Get("Content-Type"))
	if strings.Contains(ct, "html") {
		return false
	}
	if strings.Contains(ct, "xml") {
		return true
	}
	return ct == "" && bytes.HasPrefix(bytes.TrimSpace(s.body), []byte("<?xml"))
}

// htmlDoc parses the body as HTML once.
func (s *subject) htmlDoc() (*html.Node, error) {
	if s.html == nil && s.htmlErr == nil {
		s.html, s.htmlErr = htmlquery.Parse(bytes.NewReader(s.body))
	}
	return s.html, s.htmlErr
}

// xmlDoc parses the body as XML once.
func (s *subject) xmlDoc() (*xmlquery.Node, error) {
	if s.xml == nil && s.xmlErr == nil {
		s.xml, s.xmlErr = xmlquery.Parse(bytes.NewReader(s.body))
	}
	return s.xml, s.xmlErr
}

// queryValue evaluates an XPath expression (kind "xpath") or a CSS
// selector (kind "css") on the body, compiled as q; src is its source, for
// a query the loader did not compile (q nil).
func (s *subject) queryValue(kind string, q *collections.Query, src string) (Typed, string) {
	if q == nil {
		compile, what := collections.CompileXPath, "XPath"
		if kind == "css" {
			compile, what = collections.CompileCSS, "CSS selector"
		}
		var err error
		if q, err = compile(src); err != nil {
			return Typed{Missing: true}, fmt.Sprintf("invalid %s %q: %v", what, src, err)
		}
	}
	if q.IsXPath() {
		return s.xpathValue(q)
	}
	return s.cssValue(q)
}

// xpathValue evaluates an XPath expression on the body (XML when the
// Content-Type says so, else HTML): the trimmed text of the first node
// selected, or the number, string or boolean the expression computes.
func (s *subject) xpathValue(q *collections.Query) (Typed, string) {
	var nav xpath.NodeNavigator
	if s.isXML() {
		doc, err := s.xmlDoc()
		if err != nil {
			return Typed{Missing: true}, fmt.Sprintf("response body is not valid XML: %v", err)
		}
		nav = xmlquery.CreateXPathNavigator(doc)
	} else {
		doc, err := s.htmlDoc()
		if err != nil {
			return Typed{Missing: true}, fmt.Sprintf("response body is not HTML: %v", err)
		}
		nav = htmlquery.CreateXPathNavigator(doc)
	}
	var v Typed
	var problem string
	q.Evaluate(nav, func(result any) { v, problem = xpathResult(q.Source, result) })
	return v, problem
}

// xpathResult reads what an XPath expression evaluated to.
func xpathResult(query string, result any) (Typed, string) {
	switch v := result.(type) {
	case *xpath.NodeIterator:
		if !v.MoveNext() {
			return Typed{Missing: true}, ""
		}
		return Typed{Value: strings.TrimSpace(v.Current().Value())}, ""
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
			return Typed{Value: int64(v)}, ""
		}
		return Typed{Value: v}, ""
	case string:
		return Typed{Value: v}, ""
	case bool:
		return Typed{Value: v}, ""
	default:
		return Typed{Missing: true}, fmt.Sprintf("XPath %q gave an unexpected %T", query, v)
	}
}

// cssValue returns the trimmed text of the first element matching a CSS
// selector in the HTML body.
func (s *subject) cssValue(q *collections.Query) (Typed, string) {
	doc, err := s.htmlDoc()
	if err != nil {
		return Typed{Missing: true}, fmt.Sprintf("response body is not HTML: %v", err)
	}
	n := q.MatchFirst(doc)
	if n == nil {
		return Typed{Missing: true}, ""
	}
	return Typed{Value: strings.TrimSpace(htmlquery.InnerText(n))}, ""
}

// snippet is the start of the body, on one line, for messages about
// queries that found nothing. It reads only as much of the body as it
// shows.
func snippet(body []byte) string {
	const limit = 120
	out := make([]rune, 0, limit+2)
	space := false
	for len(body) > 0 && len(out) <= limit {
		r, size := utf8.DecodeRune(body)
		body = body[size:]
		switch {
		case unicode.IsSpace(r):
			space = len(out) > 0
		case space:
			out, space = append(out, ' ', r), false
		default:
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return "the body is empty"
	}
	if len(out) > limit {
		return "the body starts: " + string(out[:limit]) + "…"
	}
	return "the body starts: " + string(out)
}
