package openapi

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// bomb returns a node whose aliases expand to 10^levels scalars.
func bomb(levels int) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: "1"}
	for range levels {
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for range 10 {
			seq.Content = append(seq.Content, &yaml.Node{Kind: yaml.AliasNode, Alias: n})
		}
		n = seq
	}
	return n
}

func TestCopyNodeBudget(t *testing.T) {
	if got := copyNode(bomb(4)); got.Kind != yaml.SequenceNode {
		t.Errorf("copyNode(10^4 nodes) = %v, want the copy", got.Tag)
	}
	if got := copyNode(bomb(9)); got.Tag != "!!null" {
		t.Errorf("copyNode(10^9 nodes) = %v, want null", got.Tag)
	}
}

func TestSchemaValueBudget(t *testing.T) {
	d := &schemaDocs{version: "3.0.3", budget: 1000}
	if _, err := d.value(bomb(9), 0); err == nil || !strings.Contains(err.Error(), "too many nodes") {
		t.Errorf("value(10^9 nodes) error = %v, want too many nodes", err)
	}
}
