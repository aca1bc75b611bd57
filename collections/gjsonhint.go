package collections

import (
	"strings"

	"github.com/callsheet/callsheet/internal/lazyregexp"
	"gopkg.in/yaml.v3"
)

// jsonPathStep matches one bracketed JSONPath step: [0], [*], ['key'],
// ["key"].
var jsonPathStep = lazyregexp.New(`\[(\d+|\*|'[^']*'|"[^"]*")\]`)

// gjsonFromJSONPath reads path as JSONPath when it looks like it ($.a,
// a[0], $..a) and returns its gjson spelling. looks is false for a path
// that reads as gjson; equivalent is "" when gjson has no spelling of it
// (recursive descent, filters, negative indexes).
func gjsonFromJSONPath(path string) (equivalent string, looks bool) {
	outside := path
	if i := strings.Index(outside, "#("); i >= 0 {
		outside = outside[:i] // a gjson query may hold anything
	}
	root := outside == "$" || strings.HasPrefix(outside, "$.") || strings.HasPrefix(outside, "$[")
	bracket := strings.Contains(outside, "[") && !strings.HasPrefix(outside, "[") && !strings.Contains(outside, `\[`)
	descent := strings.Contains(strings.TrimPrefix(outside, ".."), "..")
	if !root && !bracket && !descent {
		return "", false
	}
	g := strings.TrimPrefix(path, "$")
	g = jsonPathStep.ReplaceAllStringFunc(g, func(step string) string {
		inner := step[1 : len(step)-1]
		switch {
		case inner == "*":
			return ".#"
		case inner[0] == '\'' || inner[0] == '"':
			return "." + escapeGJSONKey(inner[1:len(inner)-1])
		}
		return "." + inner
	})
	if strings.Contains(g, "..") { // recursive descent
		return "", true
	}
	g = strings.TrimPrefix(g, ".")
	if g == "" || strings.ContainsAny(g, "[]") {
		return "", true
	}
	return g, true
}

// escapeGJSONKey escapes the characters gjson reads as syntax in a key.
func escapeGJSONKey(key string) string {
	var b strings.Builder
	for _, r := range key {
		if strings.ContainsRune(`.*?|#@\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// checkGJSONPath reports a json: check or capture path at n written as
// JSONPath, with its gjson spelling when there is one: a JSONPath path
// would match nothing at run time, with no hint why.
func (l *loader) checkGJSONPath(n *yaml.Node, path string) {
	equivalent, looks := gjsonFromJSONPath(path)
	if !looks {
		return
	}
	hint := "gjson has no spelling of it: name each key, such as data.items.0.id, or use a query such as items.#(id==3)"
	if equivalent != "" {
		hint = "write " + equivalent
		if strings.ContainsAny(equivalent, ` "'`) {
			hint = "write " + `"` + equivalent + `"`
		}
	}
	l.errorAt(n, hint+" (see docs/format.md, gjson paths)", "json path %q is JSONPath; callsheet reads gjson paths", path)
}
