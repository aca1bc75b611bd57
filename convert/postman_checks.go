package convert

import (
	"gopkg.in/yaml.v3"
)

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
