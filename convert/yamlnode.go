package convert

import (
	"bytes"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/internal/lazyregexp"
	"github.com/callsheet/callsheet/internal/safetext"
)

// File is one file an importer produced.
type File struct {
	// Name is the file's path relative to the output folder.
	Name string
	// Data is the file's content.
	Data []byte
}

// Note is something an importer could not translate. The same text is in
// the output as a comment beside the step.
type Note struct {
	// Step names the step the note belongs to; empty for the collection.
	Step string
	// Text says what was not translated.
	Text string
}

// String formats the note as `step "NAME": TEXT`.
func (n Note) String() string {
	if n.Step == "" {
		return n.Text
	}
	return fmt.Sprintf("step %q: %s", n.Step, n.Text)
}

// Import is the result of an importer: the files to write and what was not
// translated.
type Import struct {
	Files []File
	Notes []Note
	// Scripts counts the statements of the source's scripts (Postman test
	// and pre-request scripts, .http response handlers) that assert or set
	// something, and how many of them were translated.
	Scripts ScriptCount
}

// ScriptCount counts script statements.
type ScriptCount struct {
	Statements, Translated int
}

// mapping returns an empty block mapping node.
func mapping() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"} }

// flowMapping returns an empty flow mapping node ({ a: 1 }).
func flowMapping() *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle}
}

// sequence returns an empty block sequence node.
func sequence() *yaml.Node { return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"} }

// str returns a string scalar node, quoted only when YAML needs it.
func str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	NormalizeQuoting(n)
	return n
}

// scalar returns a scalar node for a JSON-like value: string, bool, nil,
// int64, float64 or json number text.
func scalar(v any) *yaml.Node {
	switch x := v.(type) {
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(x)}
	case int, int64:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(x)}
	case float64:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: fmt.Sprint(x)}
	case string:
		return str(x)
	}
	return str(fmt.Sprint(v))
}

// add appends key: value to the mapping m and returns the key node, to
// which comments may be attached.
func add(m *yaml.Node, key string, value *yaml.Node) *yaml.Node {
	k := str(key)
	m.Content = append(m.Content, k, value)
	return k
}

// get returns the value of key in the mapping m, or nil.
func get(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// NormalizeQuoting sets the style of a string scalar to the canonical one:
// plain when YAML reads the text back as the same string, double-quoted
// otherwise. Block scalars (| and >) keep their style, and multi-line
// strings become literal blocks.
func NormalizeQuoting(n *yaml.Node) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		return
	}
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return
	}
	if strings.Contains(n.Value, "\n") && !strings.ContainsAny(n.Value, "\t\r") && strings.TrimRight(n.Value, " ") == n.Value {
		n.Style = yaml.LiteralStyle
		return
	}
	if !strings.Contains(n.Value, "{{") && plainSafe(n.Value) {
		n.Style = 0
	} else {
		n.Style = yaml.DoubleQuotedStyle
	}
	n.Tag = ""
	if n.Style == yaml.DoubleQuotedStyle {
		n.Tag = "!!str"
	}
}

// plainSafeRE matches text that is always safe as a plain scalar.
var plainSafeRE = lazyregexp.New(`^[A-Za-z_/][A-Za-z0-9_ ./:=?&%+,()-]*$`)

// plainSafe reports whether s survives a round trip as a plain scalar.
func plainSafe(s string) bool {
	if s == "" || strings.HasSuffix(s, " ") || strings.Contains(s, ": ") || strings.Contains(s, " #") {
		return false
	}
	if !plainSafeRE.MatchString(s) {
		// Let the encoder decide for anything unusual.
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		if err := enc.Encode(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}); err != nil {
			return false
		}
		out := strings.TrimSuffix(buf.String(), "\n")
		if out != s {
			return false
		}
	}
	var back any
	if err := yaml.Unmarshal([]byte(s), &back); err != nil {
		return false
	}
	b, ok := back.(string)
	return ok && b == s
}

// encode writes the document node as YAML with two-space indentation,
// after a first line of comment header when it is not empty.
func encode(doc *yaml.Node, header string) ([]byte, error) {
	var buf bytes.Buffer
	if header != "" {
		for _, l := range strings.Split(strings.TrimRight(header, "\n"), "\n") {
			buf.WriteString(strings.TrimRight("# "+safetext.Line(l), " ") + "\n")
		}
	}
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encode YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode YAML: %w", err)
	}
	return buf.Bytes(), nil
}

// SchemaURL is the address of the collection format's JSON Schema, written
// in the first line of generated collections for editors.
const SchemaURL = "https://raw.githubusercontent.com/callsheet/callsheet/main/schema/collection.schema.json"

// SchemaComment is the first line of generated collections: it tells the
// YAML language server (VS Code, JetBrains) which schema to complete from.
const SchemaComment = "# yaml-language-server: $schema=" + SchemaURL + "\n"
