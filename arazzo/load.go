package arazzo

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/arazzo/expr"
	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/lazyregexp"
)

// Limits the loader holds every document to.
const (
	// MaxFileSize is the largest document Load accepts.
	MaxFileSize = 10 << 20
	// MaxDepth bounds the nesting of mappings and sequences.
	MaxDepth = 200
	// MaxAliasNodes bounds the nodes reached through YAML aliases.
	MaxAliasNodes = 10000
)

// Load reads and parses the Arazzo document at path (YAML or JSON).
func Load(path string) (*Document, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	if info.Size() > MaxFileSize {
		return nil, fmt.Errorf("load %s: file is larger than %d MiB", path, MaxFileSize>>20)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return Parse(path, src)
}

// Parse parses and validates the Arazzo document in src; file names it in
// positions. On failure the error is a collections.ErrorList holding every
// problem found, sorted by position, and the document is nil. References
// to the content of source descriptions (operationIds, workflows of other
// Arazzo documents) are checked later, by Resolve.
func Parse(file string, src []byte) (*Document, error) {
	l := &loader{file: file, src: src, lines: strings.Split(string(src), "\n"), index: collections.NewLines(src)}
	d := l.parse()
	if len(l.errs) > 0 {
		return nil, dedupe(l.errs).Err()
	}
	return d, nil
}

// dedupe drops repeated errors: a component used in several places is
// checked at each.
func dedupe(errs collections.ErrorList) collections.ErrorList {
	seen := map[string]bool{}
	out := errs[:0]
	for _, e := range errs {
		key := e.Error()
		if !seen[key] {
			seen[key] = true
			out = append(out, e)
		}
	}
	return out
}

// loader holds the state of one Parse.
type loader struct {
	file  string
	src   []byte
	lines []string
	// index finds a line of src for error carets without scanning src.
	index *collections.Lines
	errs  collections.ErrorList
	doc   *Document
}

func (l *loader) parse() *Document {
	var root yaml.Node
	if err := unmarshal(l.src, &root); err != nil {
		l.yamlError(err)
		return nil
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		l.errorf(Pos{File: l.file, Line: 1}, 0, "", "the document is empty")
		return nil
	}
	n := root.Content[0]
	expanded := 0
	if !l.limits(n, 0, &expanded, nil) {
		return nil
	}
	l.doc = &Document{File: l.file}
	tree, ok := l.json(n)
	if !ok {
		return nil
	}
	l.doc.tree = tree
	l.document(n)
	l.validate()
	return l.doc
}

// unmarshal decodes src into a node, turning a panic of the YAML library
// into an error.
func unmarshal(src []byte, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	return yaml.Unmarshal(src, n)
}

var yamlLineRE = lazyregexp.New(`^yaml: line (\d+): (.*)$`)

// yamlError records a syntax error, which yaml.v3 locates by line only.
func (l *loader) yamlError(err error) {
	msg, line := strings.TrimPrefix(err.Error(), "yaml: "), 1
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	l.errs = append(l.errs, &collections.Error{Pos: Pos{File: l.file, Line: max(line, 1)}, Msg: "invalid YAML: " + msg})
}

// limits walks n once, following aliases, and refuses nesting deeper than
// MaxDepth and aliases that expand to more than MaxAliasNodes nodes.
func (l *loader) limits(n *yaml.Node, depth int, expanded *int, alias *yaml.Node) bool {
	at := n
	if alias != nil {
		at = alias
		*expanded++
		if *expanded > MaxAliasNodes {
			l.errorAt(alias, "", "aliases expand to more than %d nodes", MaxAliasNodes)
			return false
		}
	}
	if depth > MaxDepth {
		l.errorAt(at, "", "the document is nested deeper than %d levels", MaxDepth)
		return false
	}
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			l.errorAt(n, "", "unknown alias %q", n.Value)
			return false
		}
		if alias == nil {
			alias = n
		}
		return l.limits(n.Alias, depth+1, expanded, alias)
	}
	for _, c := range n.Content {
		if !l.limits(c, depth+1, expanded, alias) {
			return false
		}
	}
	return true
}

// errorf records an error at pos spanning n characters.
func (l *loader) errorf(pos Pos, n int, hint, format string, args ...any) {
	if pos.Line < 1 {
		pos.Line = 1
	}
	l.errs = append(l.errs, &collections.Error{Pos: pos, Len: n, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

// errorAt records an error spanning node n.
func (l *loader) errorAt(n *yaml.Node, hint, format string, args ...any) {
	l.errorf(l.pos(n), l.span(n), hint, format, args...)
}

func (l *loader) pos(n *yaml.Node) Pos {
	if n == nil || n.Line < 1 {
		return Pos{File: l.file, Line: 1}
	}
	return Pos{File: l.file, Line: n.Line, Col: n.Column}
}

// span guesses how many characters node n covers on its first line.
func (l *loader) span(n *yaml.Node) int {
	if n == nil || n.Kind != yaml.ScalarNode || n.Style == yaml.LiteralStyle || n.Style == yaml.FoldedStyle {
		return 1
	}
	return l.index.SpanAt(l.pos(n))
}

// offsetPos is the position of byte off of scalar n's value: exact for
// plain, single-line quoted and literal block scalars, close for others.
func (l *loader) offsetPos(n *yaml.Node, off int) Pos {
	pos := l.pos(n)
	off = min(max(off, 0), len(n.Value))
	switch n.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		line := n.Line + 1 + strings.Count(n.Value[:off], "\n")
		indent := 0
		if n.Line < len(l.lines) {
			text := l.lines[n.Line]
			indent = len(text) - len(strings.TrimLeft(text, " "))
		}
		col := off - (strings.LastIndexByte(n.Value[:off], '\n') + 1)
		return Pos{File: l.file, Line: line, Col: indent + 1 + len([]rune(n.Value[off-col:off]))}
	case yaml.SingleQuotedStyle, yaml.DoubleQuotedStyle:
		pos.Col++
	}
	pos.Col += len([]rune(n.Value[:off]))
	return pos
}

// resolve follows aliases.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i <= MaxDepth; i++ {
		n = n.Alias
	}
	return n
}

// field is one key of a mapping with its value.
type field struct {
	key   string
	keyN  *yaml.Node
	value *yaml.Node
}

// object reads mapping n, an instance of the object named what, whose
// fixed fields are valid. Keys starting with x- are extensions and are
// skipped; other unknown keys and duplicates are errors. It returns the
// fields by key, and false when n is not a mapping.
func (l *loader) object(n *yaml.Node, what string, valid []string) (map[string]*field, bool) {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		l.errorAt(n, "", "%s must be an object, not %s", what, describe(n))
		return nil, false
	}
	out := map[string]*field{}
	for _, f := range l.mapping(n, what) {
		if strings.HasPrefix(f.key, "x-") {
			continue
		}
		if valid != nil && !slices.Contains(valid, f.key) {
			l.errorAt(f.keyN, suggestHint(f.key, valid), "unknown field %q in %s", f.key, what)
			continue
		}
		out[f.key] = f
	}
	return out, true
}

// mapping reads a map with free keys (outputs, components), in order.
func (l *loader) mapping(n *yaml.Node, what string) []*field {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		l.errorAt(n, "", "%s must be an object, not %s", what, describe(n))
		return nil
	}
	var out []*field
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := resolve(n.Content[i])
		if !isString(k) {
			l.errorAt(k, "", "keys of %s must be strings, not %s", what, describe(k))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			l.errorAt(k, fmt.Sprintf("first set at line %d", first.Line), "duplicate key %q in %s", k.Value, what)
			continue
		}
		seen[k.Value] = k
		out = append(out, &field{key: k.Value, keyN: k, value: resolve(n.Content[i+1])})
	}
	return out
}

// required reports a missing required field of the object at n.
func (l *loader) required(fs map[string]*field, n *yaml.Node, what string, keys ...string) bool {
	ok := true
	for _, k := range keys {
		if _, found := fs[k]; !found {
			l.errorAt(n, "", "%s needs %s", what, k)
			ok = false
		}
	}
	return ok
}

// list reads sequence n of what.
func (l *loader) list(n *yaml.Node, what string) []*yaml.Node {
	n = resolve(n)
	if n.Kind != yaml.SequenceNode {
		l.errorAt(n, "", "%s must be a list, not %s", what, describe(n))
		return nil
	}
	out := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		out[i] = resolve(c)
	}
	return out
}

// str reads a string scalar.
func (l *loader) str(n *yaml.Node, what string) (string, bool) {
	if !isString(n) {
		l.errorAt(n, "", "%s must be a string, not %s", what, describe(n))
		return "", false
	}
	return n.Value, true
}

// optStr reads an optional string field, "" when absent.
func (l *loader) optStr(fs map[string]*field, key, what string) string {
	f, ok := fs[key]
	if !ok {
		return ""
	}
	s, _ := l.str(f.value, what+" "+key)
	return s
}

// number reads a non-negative number scalar.
func (l *loader) number(n *yaml.Node, what string, integer bool) (float64, bool) {
	tag := n.ShortTag()
	if n.Kind != yaml.ScalarNode || tag != "!!int" && (integer || tag != "!!float") {
		kind := "a number"
		if integer {
			kind = "an integer"
		}
		l.errorAt(n, "", "%s must be %s, not %s", what, kind, describe(n))
		return 0, false
	}
	var f float64
	if err := n.Decode(&f); err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		l.errorAt(n, "", "%s must be a finite number", what)
		return 0, false
	}
	if f < 0 {
		l.errorAt(n, "", "%s must not be negative", what)
		return 0, false
	}
	return f, true
}

// since11 reports a 1.1 feature used in a 1.0 document.
func (l *loader) since11(n *yaml.Node, what string) bool {
	if l.doc.Minor >= 1 {
		return true
	}
	l.errorAt(n, "write arazzo: 1.1.0 to use it", "%s needs Arazzo 1.1; this document is %s", what, l.doc.Version)
	return false
}

// suggestHint returns `did you mean "x"?` or the list of valid names.
func suggestHint(name string, valid []string) string {
	if s := collections.Suggest(name, valid); s != "" {
		return fmt.Sprintf("did you mean %q?", s)
	}
	return "valid fields: " + strings.Join(valid, ", ")
}

// didYouMean returns `did you mean "x"?` or otherwise.
func didYouMean(name string, valid []string, otherwise string) string {
	if s := collections.Suggest(name, valid); s != "" {
		return fmt.Sprintf("did you mean %q?", s)
	}
	return otherwise
}

// describe names the kind of a node for messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "an object"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "null"
		case "!!bool":
			return "a boolean"
		case "!!int":
			return "an integer"
		case "!!float":
			return "a number"
		}
		return "a string"
	}
	return "an empty value"
}

// isString reports whether n is a string scalar.
func isString(n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode {
		return false
	}
	switch n.ShortTag() {
	case "!!null", "!!bool", "!!int", "!!float":
		return false
	}
	return true
}

// json converts n into JSON values: map[string]any, []any, string, bool,
// nil and json.Number.
func (l *loader) json(n *yaml.Node) (any, bool) {
	n = resolve(n)
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := resolve(n.Content[i])
			v, ok := l.json(n.Content[i+1])
			if !ok {
				return nil, false
			}
			m[k.Value] = v
		}
		return m, true
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, ok := l.json(c)
			if !ok {
				return nil, false
			}
			out = append(out, v)
		}
		return out, true
	}
	return l.scalar(n)
}

// scalar converts a scalar node into a JSON value.
func (l *loader) scalar(n *yaml.Node) (any, bool) {
	switch n.ShortTag() {
	case "!!null":
		return nil, true
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			l.errorAt(n, "", "invalid boolean: %v", err)
			return nil, false
		}
		return b, true
	case "!!int", "!!float":
		var x any
		if err := n.Decode(&x); err != nil {
			l.errorAt(n, "", "invalid number: %v", err)
			return nil, false
		}
		return numberValue(l, n, x)
	}
	return n.Value, true
}

// numberValue turns a decoded YAML number into a json.Number, keeping the
// text written when it is a JSON number already.
func numberValue(l *loader, n *yaml.Node, x any) (any, bool) {
	if isJSONNumberText(n.Value) {
		return json.Number(n.Value), true
	}
	switch t := x.(type) {
	case int:
		return json.Number(strconv.Itoa(t)), true
	case int64:
		return json.Number(strconv.FormatInt(t, 10)), true
	case uint64:
		return json.Number(strconv.FormatUint(t, 10)), true
	case float64:
		if math.IsInf(t, 0) || math.IsNaN(t) {
			l.errorAt(n, "", "%s has no JSON form", n.Value)
			return nil, false
		}
		return json.Number(strconv.FormatFloat(t, 'g', -1, 64)), true
	}
	return n.Value, true
}

var jsonNumberText = lazyregexp.New(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

func isJSONNumberText(s string) bool { return jsonNumberText.MatchString(s) }

// exprErr records a syntax error of a runtime expression found in scalar
// n at byte offset base of its value.
func (l *loader) exprErr(n *yaml.Node, base int, err error) {
	se, ok := err.(*expr.SyntaxError)
	if !ok {
		l.errorAt(n, "", "%v", err)
		return
	}
	l.errorf(l.offsetPos(n, base+se.Offset), 1, se.Hint, "%s", se.Msg)
}
