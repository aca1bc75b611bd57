package arazzo

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/antchfx/xpath"
	"github.com/theory/jsonpath"
	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/arazzo/expr"
	"github.com/callsheet/callsheet/collections"
)

// value decodes a value written in the document. A string that starts
// with a runtime expression's root ($inputs…) is that expression; a string
// holding {$…} is a template; a mapping of context, selector and type is a
// Selector Object (1.1).
func (l *loader) value(n *yaml.Node) *Value {
	n = resolve(n)
	v := &Value{Pos: l.pos(n)}
	switch n.Kind {
	case yaml.SequenceNode:
		v.Kind = List
		for _, c := range n.Content {
			v.Items = append(v.Items, l.value(c))
		}
	case yaml.MappingNode:
		if l.isSelector(n) {
			v.Kind = SelectorValue
			if l.since11(n, "a selector object") {
				v.Selector = l.selector(n, &v.refs)
			}
			return v
		}
		v.Kind = Object
		for _, f := range l.mapping(n, "an object") {
			v.Keys = append(v.Keys, f.key)
			v.Fields = append(v.Fields, l.value(f.value))
		}
	default:
		if isString(n) {
			l.stringValue(v, n)
			return v
		}
		v.Kind = Literal
		v.Literal, _ = l.scalar(n)
	}
	return v
}

func (l *loader) stringValue(v *Value, n *yaml.Node) {
	v.Kind, v.Literal = Literal, n.Value
	if looksLikeExpr(n.Value) {
		e, err := expr.Parse(n.Value)
		if err != nil {
			l.exprErr(n, 0, err)
			v.Kind, v.Literal = Expression, nil
			return
		}
		v.Kind, v.Expr, v.Literal = Expression, e, nil
		v.refs = append(v.refs, exprAt{e, l.pos(n)})
		return
	}
	if !strings.Contains(n.Value, "{$") {
		return
	}
	t, err := expr.ParseTemplate(n.Value)
	if err != nil {
		l.exprErr(n, 0, err)
		v.Kind, v.Literal = Template, nil
		return
	}
	v.Kind, v.Template, v.Literal = Template, t, nil
	for _, p := range t.Parts {
		if p.Expr != nil {
			v.refs = append(v.refs, exprAt{p.Expr, l.offsetPos(n, p.Offset)})
		}
	}
}

// looksLikeExpr reports whether s starts like a runtime expression: $ and
// one of the roots, or a word close to one (a likely typo, reported as
// such). Other strings starting with $, such as $100, are text.
func looksLikeExpr(s string) bool {
	rest, ok := strings.CutPrefix(s, "$")
	if !ok {
		return false
	}
	end := strings.IndexFunc(rest, func(r rune) bool { return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') })
	if end < 0 {
		end = len(rest)
	}
	word := rest[:end]
	if word == "" {
		return false
	}
	roots := expr.RootNames()
	if slices.Contains(roots, word) || collections.Suggest(word, roots) != "" {
		return true
	}
	return len(word) >= 3 && slices.ContainsFunc(roots, func(r string) bool { return strings.HasPrefix(r, word) })
}

// isSelector reports whether mapping n is a Selector Object.
func (l *loader) isSelector(n *yaml.Node) bool {
	keys := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := resolve(n.Content[i]).Value
		if k != "context" && k != "selector" && k != "type" && !strings.HasPrefix(k, "x-") {
			return false
		}
		keys[k] = true
	}
	return keys["context"] && keys["selector"]
}

var selectorFields = []string{"context", "selector", "type"}

func (l *loader) selector(n *yaml.Node, refs *[]exprAt) *Selector {
	fs, _ := l.object(n, "a selector", selectorFields)
	if !l.required(fs, n, "a selector", "type") {
		return nil
	}
	s := &Selector{Pos: l.pos(n)}
	s.Context = l.contextExpr(fs["context"].value, refs)
	sel := fs["selector"].value
	var ok bool
	if s.Selector, ok = l.str(sel, "selector"); !ok {
		return nil
	}
	s.Type, s.Version = l.exprType(fs["type"].value, "selector type", false)
	var err error
	switch s.Type {
	case CriterionJSONPath:
		s.path, err = jsonpath.Parse(s.Selector)
	case CriterionXPath:
		_, err = xpath.Compile(s.Selector)
	case SelectorJSONPointer:
		s.pointer, err = parsePointer(s.Selector)
	default:
		return nil
	}
	if err != nil {
		l.errorAt(sel, "", "invalid %s selector: %v", s.Type, err)
		return nil
	}
	return s
}

// versions lists the versions of each expression type, by Arazzo minor
// version; the first is the default.
var versions = [2]map[string][]string{
	{
		CriterionJSONPath: {"draft-goessner-dispatch-jsonpath-00"},
		CriterionXPath:    {"xpath-30", "xpath-20", "xpath-10"},
	},
	{
		CriterionJSONPath:   {"rfc9535", "draft-goessner-dispatch-jsonpath-00"},
		CriterionXPath:      {"xpath-31", "xpath-30", "xpath-20", "xpath-10"},
		SelectorJSONPointer: {"rfc6901"},
	},
}

// defaultVersions are the versions a type means when it gives none.
var defaultVersions = map[string]string{CriterionJSONPath: "rfc9535", CriterionXPath: "xpath-31", SelectorJSONPointer: "rfc6901"}

// exprType reads a type given as a string or an Expression Type Object,
// returning the type and its version ("" for simple and regex). For a
// criterion the types are simple, regex, jsonpath and xpath; otherwise
// jsonpath, xpath and jsonpointer.
func (l *loader) exprType(n *yaml.Node, what string, criterion bool) (string, string) {
	valid := []string{CriterionJSONPath, CriterionXPath, SelectorJSONPointer}
	if criterion {
		valid = []string{CriterionSimple, CriterionRegex, CriterionJSONPath, CriterionXPath}
	}
	if n.Kind == yaml.MappingNode {
		return l.typeObject(n, what, valid)
	}
	t, ok := l.str(n, what)
	if !ok {
		return "", ""
	}
	if !slices.Contains(valid, t) {
		l.errorAt(n, didYouMean(t, valid, "valid types: "+strings.Join(valid, ", ")), "unknown %s %q", what, t)
		return "", ""
	}
	return t, defaultVersions[t]
}

// typeObject reads an Expression Type Object.
func (l *loader) typeObject(n *yaml.Node, what string, valid []string) (string, string) {
	fs, _ := l.object(n, "an expression type", []string{"type", "version"})
	if !l.required(fs, n, "an expression type", "type", "version") {
		return "", ""
	}
	tn, vn := fs["type"].value, fs["version"].value
	t, ok1 := l.str(tn, "type")
	v, ok2 := l.str(vn, "version")
	if !ok1 || !ok2 {
		return "", ""
	}
	allowed := versions[min(l.doc.Minor, 1)]
	if !slices.Contains(valid, t) || allowed[t] == nil {
		var types []string
		for _, x := range valid {
			if allowed[x] != nil {
				types = append(types, x)
			}
		}
		l.errorAt(tn, didYouMean(t, types, "valid types: "+strings.Join(types, ", ")), "unknown %s %q in an expression type object", what, t)
		return "", ""
	}
	if !slices.Contains(allowed[t], v) {
		l.errorAt(vn, didYouMean(v, allowed[t], "valid versions: "+strings.Join(allowed[t], ", ")),
			"unknown %s version %q for Arazzo %s", t, v, l.versionText())
		return "", ""
	}
	return t, v
}

func (l *loader) versionText() string {
	if l.doc.Version != "" {
		return l.doc.Version
	}
	return "1.1"
}

// parsePointer decodes a JSON pointer (RFC 6901) into its tokens.
func parsePointer(s string) ([]string, error) {
	if s == "" {
		return []string{}, nil
	}
	if s[0] != '/' {
		return nil, fmt.Errorf("JSON pointer %q must be empty or start with /", s)
	}
	parts := strings.Split(s[1:], "/")
	for i, p := range parts {
		for j := 0; j < len(p); j++ {
			if p[j] == '~' && (j+1 >= len(p) || p[j+1] != '0' && p[j+1] != '1') {
				return nil, fmt.Errorf("JSON pointer %q: ~ must be followed by 0 or 1", s)
			}
		}
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(p, "~1", "/"), "~0", "~")
	}
	return parts, nil
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// isXML reports whether a media type is XML (application/xml, text/xml,
// application/soap+xml, …).
func isXML(mediaType string) bool {
	mt := strings.ToLower(strings.TrimSpace(strings.Split(mediaType, ";")[0]))
	return strings.HasSuffix(mt, "/xml") || strings.HasSuffix(mt, "+xml")
}

// isJSON reports whether a media type is JSON (application/json,
// application/problem+json, …).
func isJSON(mediaType string) bool {
	mt := strings.ToLower(strings.TrimSpace(strings.Split(mediaType, ";")[0]))
	return strings.HasSuffix(mt, "/json") || strings.HasSuffix(mt, "+json")
}
