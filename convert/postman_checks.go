package convert

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/internal/lazyregexp"
)

// Test script forms that normalise to the patterns pmTests reads.
var (
	// pmInlineJSONRE matches pm.response.json() used in place of a
	// variable holding it.
	pmInlineJSONRE = lazyregexp.New(`pm\.response\.json\(\)`)
	// pmOneLineTestRE matches a pm.test wrapping one statement on one line.
	pmOneLineTestRE = lazyregexp.New(`^pm\.test\(.*?,\s*(?:function\s*\(\)|\(\)\s*=>)\s*\{\s*([^;{}]+;?)\s*\}\);?$`)
	// pmExpectStatusRE matches pm.expect(pm.response).to.have.status(N).
	pmExpectStatusRE = lazyregexp.New(`^pm\.expect\(pm\.response\)\.to\.have\.status\((\d{3})\);?$`)
)

// inlineJSONVar is the name under which pm.response.json() is read when a
// script uses it directly; it cannot clash with a JavaScript variable.
const inlineJSONVar = "__pm_response_json"

// normaliseScriptLine rewrites the forms of a test script line that say the
// same as a pattern pmTests reads: a one-statement pm.test on one line
// becomes its statement, pm.expect(pm.response).to.have.status(N) becomes
// pm.response.to.have.status(N), and pm.response.json().x reads x from the
// response JSON.
func normaliseScriptLine(l string) string {
	if m := pmOneLineTestRE.FindStringSubmatch(l); m != nil {
		l = strings.TrimSpace(m[1])
	}
	if m := pmExpectStatusRE.FindStringSubmatch(l); m != nil {
		l = "pm.response.to.have.status(" + m[1] + ");"
	}
	if !pmJSONVarRE.MatchString(l) {
		l = pmInlineJSONRE.ReplaceAllString(l, inlineJSONVar)
	}
	return l
}

// addCheck adds the check key: value to the mapping m. When m already
// checks key, both must hold: the checks become a list of predicate
// mappings (an expected value v becoming {eq: v}). An identical check is
// not repeated.
func addCheck(m *yaml.Node, key string, value *yaml.Node) {
	old := get(m, key)
	if old == nil {
		add(m, key, value)
		return
	}
	pred := func(n *yaml.Node) *yaml.Node {
		if n.Kind == yaml.MappingNode {
			return n
		}
		p := flowMapping()
		add(p, "eq", n)
		return p
	}
	same := func(a, b *yaml.Node) bool {
		x, err1 := yaml.Marshal(a)
		y, err2 := yaml.Marshal(b)
		return err1 == nil && err2 == nil && string(x) == string(y)
	}
	list := old
	if old.Kind != yaml.SequenceNode {
		if same(old, value) {
			return
		}
		list = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Content: []*yaml.Node{pred(old)}}
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				m.Content[i+1] = list
			}
		}
	}
	for _, n := range list.Content {
		if same(n, pred(value)) {
			return
		}
	}
	list.Content = append(list.Content, pred(value))
}

// setCapture sets the capture name in the mapping m, replacing an earlier
// capture of the same name: as in Postman, the last set wins.
func setCapture(m *yaml.Node, name string, value *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == name {
			m.Content[i+1] = value
			return
		}
	}
	add(m, name, value)
}

// sameStatus reports whether the script line l checks the status that
// expect already checks, so that it adds nothing.
func sameStatus(expect *yaml.Node, l string) bool {
	old := get(expect, "status")
	if old == nil {
		return false
	}
	for _, re := range []*lazyregexp.Regexp{pmStatusRE, pmCodeRE} {
		if m := re.FindStringSubmatch(l); m != nil {
			return old.Kind == yaml.ScalarNode && old.Value == m[1]
		}
	}
	return false
}
