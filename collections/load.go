package collections

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/internal/lazyregexp"
)

// Limits the loader enforces on every file.
const (
	// MaxFileSize is the largest collection file Load and LoadFS accept.
	MaxFileSize = 10 << 20
	// MaxAliasNodes bounds the nodes reached through YAML aliases, so that a
	// small file cannot expand into a huge tree ("billion laughs").
	MaxAliasNodes = 10000
	// MaxDepth bounds the nesting of YAML mappings and sequences.
	MaxDepth = 200
)

// Options tells the loader about names defined outside the file.
type Options struct {
	// Defined lists variable names that will be defined at run time although
	// the file does not declare them: --var, --env-file, the sandbox. They
	// satisfy the undefined-variable check.
	Defined []string
}

// Load reads and parses the collection file at path. Files larger than
// MaxFileSize are refused. A collection that does not validate returns an
// ErrorList; a file that cannot be read returns an error wrapping the
// *fs.PathError.
func Load(path string, opts Options) (*Collection, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	defer f.Close()
	src, err := readCapped(f)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return Parse(path, src, opts)
}

// LoadFS reads and parses the collection file name from fsys. Positions in
// errors use name as the file.
func LoadFS(fsys fs.FS, name string, opts Options) (*Collection, error) {
	src, err := readFSFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	return parseIn(fsys, name, src, opts)
}

// errTooLarge refuses a file larger than MaxFileSize.
var errTooLarge = fmt.Errorf("file is larger than %d MiB", MaxFileSize>>20)

// readFSFile reads name from fsys with readCapped.
func readFSFile(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readCapped(f)
}

// readCapped reads f, refusing a file larger than MaxFileSize: before
// reading a byte when its size is known, else once it has read one byte
// more. Load, LoadFS and include: read every file through it.
func readCapped(f fs.File) ([]byte, error) {
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.Size() > MaxFileSize {
		return nil, errTooLarge
	}
	src, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(src) > MaxFileSize {
		return nil, errTooLarge
	}
	return src, nil
}

// Parse parses and validates the collection in src; file names it in
// positions. On failure the error is an ErrorList holding every problem
// found, sorted by position, and the collection is nil.
func Parse(file string, src []byte, opts Options) (*Collection, error) {
	return parseIn(nil, file, src, opts)
}

// loader holds the state of one Parse.
type loader struct {
	file  string
	src   []byte
	lines []string
	opts  Options
	errs  ErrorList
	exprs exprCache // compiled expressions by source (exprcache.go)
	// inc is the include: chain and the file system includes are read
	// from (include.go).
	inc includeChain
	// splitAt is the file size from which parse reads the steps: list in
	// batches of items (split.go); zero means splitFrom. split is the
	// state of that reading while it goes on.
	splitAt int
	// splitBatch is how many bytes of steps that reading parses at a
	// time; zero means the constant splitBatch.
	splitBatch int
	split      *splitSteps
	// bundled marks the positions of a bundled collection (Pos.Bundled).
	bundled bool
}

func (l *loader) parse() (c *Collection) {
	splitAt := l.splitAt
	if splitAt == 0 {
		splitAt = splitFrom
	}
	if len(l.src) >= splitAt {
		if r, ok := findStepRegion(l.lines); ok {
			// A file with errors is parsed whole as well: item by item,
			// a line that breaks the list can read as part of an item,
			// and the whole file's errors are the ones to report.
			if c, ok := l.splitParse(r); ok && len(l.errs) == 0 {
				return c
			}
			l.errs = nil // the whole file's parse reports afresh
		}
	}
	var root yaml.Node
	if err := unmarshal(l.src, &root); err != nil {
		l.yamlError(err)
		return nil
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		l.errorf(Pos{File: l.file, Line: 1, Bundled: l.bundled}, 0, "", "collection is empty: it needs at least a steps list")
		return nil
	}
	doc := root.Content[0]
	var expanded int
	if !l.limits(doc, 0, &expanded) {
		return nil
	}
	c = l.collection(doc)
	if c != nil {
		l.checkNames(c)
		l.checkAuth(c)
		l.checkThresholdSteps(c)
	}
	return c
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

// yamlError converts a yaml.v3 syntax error, which only carries a line in
// its text, into an Error with Col 0.
func (l *loader) yamlError(err error) {
	msg, line := err.Error(), 1
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		if n, convErr := strconv.Atoi(m[1]); convErr == nil && n >= 1 {
			line = n
		}
		msg = m[2]
		line = l.problemLine(line, msg)
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	if last := len(l.lines); line > last {
		line = max(last, 1)
	}
	l.errs = append(l.errs, &Error{Pos: Pos{File: l.file, Line: line, Bundled: l.bundled}, Msg: "invalid YAML: " + msg})
}

// maxRefineSize bounds the files whose syntax errors problemLine refines.
const maxRefineSize = 1 << 20

// problemLine finds the line where a syntax error is. yaml.v3 reports the
// line where the enclosing block started (its "context"), which may be far
// above the problem; the first line at which a prefix of the file fails
// with the same message is usually the offending one. It searches the lines
// after from by bisection and returns from when nothing better is found.
func (l *loader) problemLine(from int, msg string) int {
	if len(l.src) > maxRefineSize || from >= len(l.lines) {
		return from
	}
	fails := func(k int) bool {
		var n yaml.Node
		err := unmarshal([]byte(strings.Join(l.lines[:k], "\n")+"\n"), &n)
		if err == nil {
			return false
		}
		m := yamlLineRE.FindStringSubmatch(err.Error())
		return m != nil && m[2] == msg
	}
	lo, hi := from, len(l.lines)
	if !fails(hi) {
		return from
	}
	for lo < hi {
		mid := lo + (hi-lo)/2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// errorf records an error at pos spanning n characters.
func (l *loader) errorf(pos Pos, n int, hint, format string, args ...any) {
	if pos.Line < 1 {
		pos.Line = 1
	}
	l.errs = append(l.errs, &Error{Pos: pos, Len: n, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

// errorAt records an error spanning node n.
func (l *loader) errorAt(n *yaml.Node, hint, format string, args ...any) {
	l.errorf(l.pos(n), l.span(n), hint, format, args...)
}

// pos is the position of node n.
func (l *loader) pos(n *yaml.Node) Pos {
	line, col := n.Line, n.Column
	if line < 1 {
		line, col = 1, 0
	}
	return Pos{File: l.file, Line: line, Col: col, Bundled: l.bundled}
}

// span guesses how many characters node n covers on its first line.
func (l *loader) span(n *yaml.Node) int {
	if n.Kind != yaml.ScalarNode {
		return 1
	}
	switch n.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		return 1
	}
	pos := l.pos(n)
	if pos.Line < 1 || pos.Line > len(l.lines) {
		return 1
	}
	return spanIn(l.lines[pos.Line-1], true, pos)
}

// limits walks node n, found depth levels below the document, once,
// following aliases, and reports nesting deeper than MaxDepth or aliases
// that expand to more than MaxAliasNodes nodes in all, counted in
// expanded. It reports false when the document must not be walked
// further.
func (l *loader) limits(n *yaml.Node, depth int, expanded *int) bool {
	// alias is the outermost alias being expanded, where errors point.
	var walk func(n *yaml.Node, depth int, alias *yaml.Node) bool
	walk = func(n *yaml.Node, depth int, alias *yaml.Node) bool {
		at := n
		if alias != nil {
			at = alias
		}
		if depth > MaxDepth {
			l.errorAt(at, "", "document is nested deeper than %d levels", MaxDepth)
			return false
		}
		if alias != nil {
			*expanded++
			if *expanded > MaxAliasNodes {
				l.errorf(l.pos(alias), len(alias.Value)+1, "use fewer or smaller aliases", "aliases expand to more than %d nodes", MaxAliasNodes)
				return false
			}
		}
		if n.Kind == yaml.AliasNode {
			if n.Alias == nil {
				l.errorAt(n, "", "unknown alias %q", n.Value)
				return false
			}
			if alias == nil {
				alias = n
			}
			return walk(n.Alias, depth+1, alias)
		}
		for _, c := range n.Content {
			if !walk(c, depth+1, alias) {
				return false
			}
		}
		return true
	}
	return walk(n, depth, nil)
}

// resolve follows aliases.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i <= MaxDepth; i++ {
		n = n.Alias
	}
	return n
}

// pair is one key of a mapping with its value.
type pair struct {
	key   string
	keyN  *yaml.Node
	value *yaml.Node
}

// pairs returns the entries of mapping n in order, expanding merge keys
// (<<: *anchor) and reporting duplicate and non-string keys. It reports an
// error and returns nil when n is not a mapping; what names n in messages.
func (l *loader) pairs(n *yaml.Node, what string) ([]pair, bool) {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
			return nil, true
		}
		l.errorAt(n, "", "%s must be a mapping, not %s", what, describe(n))
		return nil, false
	}
	var out []pair
	seen := map[string]*yaml.Node{}
	var merged []pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			l.errorAt(k, "", "%s keys must be strings, not %s", what, describe(k))
			continue
		}
		if k.ShortTag() == "!!merge" {
			merged = append(merged, l.merge(v, what)...)
			continue
		}
		if first, dup := seen[k.Value]; dup {
			l.errorAt(n.Content[i], fmt.Sprintf("first set at line %d", first.Line), "duplicate key %q in %s", k.Value, what)
			continue
		}
		seen[k.Value] = n.Content[i]
		out = append(out, pair{key: k.Value, keyN: n.Content[i], value: resolve(v)})
	}
	// Merged entries come first and lose to explicit keys.
	var pre []pair
	for _, p := range merged {
		if _, ok := seen[p.key]; ok {
			continue
		}
		seen[p.key] = p.keyN
		pre = append(pre, p)
	}
	return append(pre, out...), true
}

// merge returns the entries a merge key brings: a mapping or a list of
// mappings.
func (l *loader) merge(v *yaml.Node, what string) []pair {
	v = resolve(v)
	var maps []*yaml.Node
	switch v.Kind {
	case yaml.MappingNode:
		maps = []*yaml.Node{v}
	case yaml.SequenceNode:
		for _, it := range v.Content {
			maps = append(maps, resolve(it))
		}
	default:
		l.errorAt(v, "", "merge key << needs a mapping or a list of mappings, not %s", describe(v))
		return nil
	}
	var out []pair
	seen := map[string]bool{}
	for _, m := range maps {
		ps, ok := l.pairs(m, what)
		if !ok {
			continue
		}
		for _, p := range ps {
			if !seen[p.key] {
				seen[p.key] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// known checks the keys of pairs against valid and reports unknown ones
// with a did-you-mean, returning the known entries. Use allKnown to skip
// follow-on errors, such as a missing key that was merely misspelt.
func (l *loader) known(ps []pair, what string, valid []string) []pair {
	out, _ := l.knownKeys(ps, what, valid)
	return out
}

func (l *loader) knownKeys(ps []pair, what string, valid []string) ([]pair, bool) {
	out := ps[:0:0]
	for _, p := range ps {
		if slices.Contains(valid, p.key) {
			out = append(out, p)
			continue
		}
		l.errorAt(p.keyN, suggestHint(p.key, valid), "unknown key %q in %s", p.key, what)
	}
	return out, len(out) == len(ps)
}

// didYouMean returns `did you mean "x"?` when name is close to one of
// valid, else otherwise. Every "unknown …" hint of the loader goes through
// it.
func didYouMean(name string, valid []string, otherwise string) string {
	if s := Suggest(name, valid); s != "" {
		return fmt.Sprintf("did you mean %q?", s)
	}
	return otherwise
}

// suggestHint returns `did you mean "x"?` or the list of valid keys.
func suggestHint(name string, valid []string) string {
	return didYouMean(name, valid, "valid keys: "+strings.Join(valid, ", "))
}

// describe names the kind of a node for messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
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

// isString reports whether n is a string scalar (quoted, or plain text
// that YAML does not read as another type).
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

// str returns the text of a string scalar, reporting an error otherwise.
func (l *loader) str(n *yaml.Node, what string) (string, bool) {
	if !isString(n) {
		l.errorAt(n, "", "%s must be a string, not %s", what, describe(n))
		return "", false
	}
	return n.Value, true
}

// boolean returns the value of a boolean scalar.
func (l *loader) boolean(n *yaml.Node, what string) (bool, bool) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
		l.errorAt(n, "write true or false", "%s must be a boolean, not %s", what, describe(n))
		return false, false
	}
	var b bool
	if err := n.Decode(&b); err != nil {
		l.errorAt(n, "write true or false", "%s must be a boolean", what)
		return false, false
	}
	return b, true
}

// template parses a string scalar as a template, reporting an error when n
// is not a string.
func (l *loader) template(n *yaml.Node, what string) *Template {
	if _, ok := l.str(n, what); !ok {
		return nil
	}
	return l.parseTemplate(n)
}

// parseTemplate parses the text of scalar n, placing every expression at
// its position in the file.
func (l *loader) parseTemplate(n *yaml.Node) *Template {
	pos, indent := l.contentPos(n)
	t, err := parseTemplate(n.Value, pos, l.compile)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			ec := *e
			if ec.Pos.Line > pos.Line {
				ec.Pos.Col += indent
			}
			l.errs = append(l.errs, &ec)
		} else {
			l.errorAt(n, "", "%v", err)
		}
		return nil
	}
	if indent > 0 {
		t.Exprs(func(e *Expr) {
			if e.Pos.Line > pos.Line {
				e.Pos.Col += indent
			}
		})
	}
	return t
}

// contentPos returns the position of the first character of scalar n's
// content and, for block scalars, the indentation of its lines.
func (l *loader) contentPos(n *yaml.Node) (Pos, int) {
	pos := l.pos(n)
	switch n.Style {
	case yaml.SingleQuotedStyle, yaml.DoubleQuotedStyle:
		pos.Col++
	case yaml.LiteralStyle, yaml.FoldedStyle:
		for line := n.Line + 1; line <= len(l.lines); line++ {
			text := l.lines[line-1]
			trimmed := strings.TrimLeft(text, " ")
			if trimmed == "" {
				continue
			}
			indent := len(text) - len(trimmed)
			return Pos{File: l.file, Line: line, Col: indent + 1, Bundled: l.bundled}, indent
		}
		pos.Line++
		pos.Col = 1
	}
	return pos, 0
}

// value converts node n into a Value, parsing string scalars as templates.
func (l *loader) value(n *yaml.Node) *Value {
	n = resolve(n)
	v := &Value{Pos: l.pos(n)}
	switch n.Kind {
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			v.Kind = KindNull
			return v
		case "!!bool", "!!int", "!!float":
			var x any
			if err := n.Decode(&x); err != nil {
				l.errorAt(n, "", "invalid %s: %v", strings.TrimPrefix(n.ShortTag(), "!!"), err)
				return v
			}
			v.Literal = n.Value
			switch t := x.(type) {
			case bool:
				v.Kind, v.Bool = KindBool, t
			case int:
				v.Kind, v.Int = KindInt, int64(t)
			case int64:
				v.Kind, v.Int = KindInt, t
			case uint64:
				v.Kind, v.Exact = KindInt, exactUint(t)
			case float64:
				v.Kind, v.Float = KindFloat, t
				v.exactLiteral(n.Value)
			default:
				v.Kind = KindString
				v.Template = Literal(n.Value, v.Pos)
			}
			return v
		}
		v.Kind = KindString
		v.Template = l.parseTemplate(n)
		if v.Template == nil {
			v.Template = Literal(n.Value, v.Pos)
		}
	case yaml.SequenceNode:
		v.Kind = KindList
		v.Items = make([]*Value, 0, len(n.Content))
		for _, it := range n.Content {
			v.Items = append(v.Items, l.value(it))
		}
	case yaml.MappingNode:
		v.Kind = KindMap
		ps, _ := l.pairs(n, "mapping")
		for _, p := range ps {
			v.Keys = append(v.Keys, p.key)
			v.Fields = append(v.Fields, l.value(p.value))
		}
	default:
		v.Kind = KindNull
	}
	return v
}

// scalarValue converts n into a Value that must be a scalar, or a list of
// scalars when lists is true.
func (l *loader) scalarValue(n *yaml.Node, what string, lists bool) *Value {
	n = resolve(n)
	switch n.Kind {
	case yaml.ScalarNode:
		return l.textValue(n)
	case yaml.SequenceNode:
		if lists {
			for _, it := range n.Content {
				if resolve(it).Kind != yaml.ScalarNode {
					l.errorAt(it, "", "%s list items must be scalars, not %s", what, describe(resolve(it)))
					return nil
				}
			}
			return l.value(n)
		}
	}
	hint := ""
	if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
		hint = `quote it to send text, for example '{"a": 1}'`
	}
	l.errorAt(n, hint, "%s must be a scalar, not %s", what, describe(n))
	return nil
}

// splitLines splits src into lines without their terminators.
func splitLines(src []byte) []string {
	s := strings.ReplaceAll(string(src), "\r\n", "\n")
	lines := strings.Split(s, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// baseName is the file's base name without its extension.
func baseName(file string) string {
	base := filepath.Base(file)
	if strings.Contains(file, "/") {
		base = path.Base(file)
	}
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// isIdent reports whether s is a variable name: [A-Za-z_][A-Za-z0-9_]*.
func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
		case i > 0 && '0' <= r && r <= '9':
		default:
			return false
		}
	}
	return true
}
