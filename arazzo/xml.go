package arazzo

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/antchfx/htmlquery"
	"github.com/antchfx/xmlquery"
	"github.com/antchfx/xpath"

	"github.com/callsheet/callsheet/arazzo/expr"
)

// parseXML parses XML text, the target of payload replacements.
func parseXML(v any) (*xmlquery.Node, error) {
	text, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("the context is %s, not XML text", expr.TypeName(v))
	}
	doc, err := xmlquery.Parse(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("the context is not XML: %w", err)
	}
	return doc, nil
}

// parseMarkup parses the context of XPath criteria and selectors: XML
// text, or an HTML page (text that starts with <!DOCTYPE html or <html),
// which is parsed as browsers parse HTML, so that a page such as an OAuth
// server's out-of-band code page can be read.
func parseMarkup(v any) (xpath.NodeNavigator, error) {
	text, ok := v.(string)
	if ok && isHTML(text) {
		doc, err := htmlquery.Parse(strings.NewReader(text))
		if err != nil {
			return nil, fmt.Errorf("the context is not HTML: %w", err)
		}
		return htmlquery.CreateXPathNavigator(doc), nil
	}
	doc, err := parseXML(v)
	if err != nil {
		return nil, err
	}
	return xmlquery.CreateXPathNavigator(doc), nil
}

// isHTML reports whether text starts, after white space, with an HTML
// doctype or an html element.
func isHTML(text string) bool {
	head := strings.ToLower(strings.TrimLeft(text, " \t\r\n\ufeff"))
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html")
}

// evalXPath evaluates an XPath expression on a document. A node-set gives
// the text of each node selected.
func evalXPath(nav xpath.NodeNavigator, query string) (any, error) {
	e, err := xpath.Compile(query)
	if err != nil {
		return nil, fmt.Errorf("invalid XPath: %w", err)
	}
	switch r := e.Evaluate(nav).(type) {
	case *xpath.NodeIterator:
		var texts []string
		for r.MoveNext() {
			texts = append(texts, r.Current().Value())
		}
		return texts, nil
	case bool, float64, string:
		return r, nil
	default:
		return nil, fmt.Errorf("XPath gave a %T", r)
	}
}

// xpathTruth is the effective boolean value of an XPath result: true, a
// number other than zero and NaN, a non-empty string or node-set.
func xpathTruth(v any) bool {
	switch t := v.(type) {
	case bool:
		return t
	case float64:
		return t != 0 && !math.IsNaN(t)
	case string:
		return t != ""
	case []string:
		return len(t) > 0
	}
	return false
}

// setXPath sets the nodes an XPath expression selects in XML text to
// value: the text of elements, the value of attributes and text nodes.
func setXPath(text, query, value string) (string, error) {
	doc, err := parseXML(text)
	if err != nil {
		return "", err
	}
	e, err := xpath.Compile(query)
	if err != nil {
		return "", fmt.Errorf("invalid XPath: %w", err)
	}
	it, ok := e.Evaluate(xmlquery.CreateXPathNavigator(doc)).(*xpath.NodeIterator)
	if !ok {
		return "", errors.New("the target selects no nodes")
	}
	var navs []*xmlquery.NodeNavigator
	for it.MoveNext() {
		if nav, ok := it.Current().Copy().(*xmlquery.NodeNavigator); ok {
			navs = append(navs, nav)
		}
	}
	if len(navs) == 0 {
		return "", errors.New("the target selects no nodes")
	}
	for _, nav := range navs {
		setNode(nav, value)
	}
	return doc.OutputXMLWithOptions(xmlquery.WithPreserveSpace()), nil
}

func setNode(nav *xmlquery.NodeNavigator, value string) {
	n := nav.Current()
	switch {
	case nav.NodeType() == xpath.AttributeNode:
		n.SetAttr(nav.LocalName(), value)
	case n.Type == xmlquery.ElementNode:
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			xmlquery.RemoveFromTree(c)
			c = next
		}
		xmlquery.AddChild(n, &xmlquery.Node{Type: xmlquery.TextNode, Data: value})
	default:
		n.Data = value
	}
}
