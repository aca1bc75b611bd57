package openapi

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxFileSize bounds each file of a description.
const MaxFileSize = 64 << 20

// maxRefHops bounds a chain of $refs that lead to other $refs.
const maxRefHops = 64

// source holds the files of a description as YAML nodes, which keep their
// order and positions. Files are named by slash-separated paths inside
// fsys; display is prefixed to them in positions.
type source struct {
	fsys    fs.FS
	display string
	files   map[string]*file
	order   []string // file names in the order they were read
	// sealed is set once the description is loaded: from then on the
	// source is only read, so that checks may run concurrently, and a
	// file not read by then is an error.
	sealed bool
}

// file is one parsed file of a description.
type file struct {
	name string
	data []byte
	root *yaml.Node // the document's content
}

// node is a YAML node with its place in the description: its file and the
// JSON pointer that reaches it there.
type node struct {
	f   *file
	ptr string
	n   *yaml.Node
}

// ok reports whether the node exists.
func (n node) ok() bool { return n.n != nil }

// ref is the place of n, for locating it and compiling schemas.
func (n node) ref() ref { return ref{file: n.f.name, ptr: n.ptr} }

// ref is a place in a description: a file and a JSON pointer in it.
type ref struct {
	file, ptr string
}

// url is the place as a URL for the schema compiler.
func (r ref) url() string { return "file:///" + r.file + "#" + escapeFragment(r.ptr) }

// escapeFragment escapes a JSON pointer for a URL fragment.
func escapeFragment(ptr string) string {
	return (&url.URL{Fragment: ptr}).EscapedFragment()
}

// open returns the file name, reading and parsing it the first time.
func (s *source) open(name string) (*file, error) {
	if f := s.files[name]; f != nil {
		return f, nil
	}
	if s.sealed {
		return nil, fmt.Errorf("%s was not read with the description", s.displayName(name))
	}
	if !fs.ValidPath(name) {
		return nil, fmt.Errorf("%s is outside the description's folder", name)
	}
	fh, err := s.fsys.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no file %s: %w", s.displayName(name), fs.ErrNotExist)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", s.displayName(name), err)
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", s.displayName(name), err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s is larger than %d MiB", s.displayName(name), MaxFileSize>>20)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, s.syntaxError(name, data, err)
	}
	f := &file{name: name, data: data, root: &yaml.Node{Kind: yaml.MappingNode}}
	if len(doc.Content) > 0 {
		f.root = doc.Content[0]
	}
	s.files[name] = f
	s.order = append(s.order, name)
	return f, nil
}

// yamlLine matches the line number in a yaml.v3 syntax error.
const yamlLine = `^yaml: line (\d+): (.*)$`

// syntaxError turns a YAML syntax error into an Error at its line.
func (s *source) syntaxError(name string, data []byte, err error) error {
	e := &Error{Location: Location{File: s.displayName(name)}, Msg: err.Error()}
	re := regexp.MustCompile(yamlLine)
	if m := re.FindStringSubmatch(err.Error()); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Msg = m[2]
		e.Line = problemLine(re, data, e.Line, e.Msg)
	}
	e.Msg = "not valid YAML or JSON: " + e.Msg
	return e
}

// maxRefineSize bounds the files whose syntax errors problemLine refines.
const maxRefineSize = 1 << 20

// problemLine finds the line of a syntax error. yaml.v3 reports the line
// where the enclosing block starts, which may be well above the problem;
// the first prefix of the file (in lines) that fails with the same message
// usually ends at it. It bisects the lines after from, and returns from
// when nothing better is found.
func problemLine(re *regexp.Regexp, data []byte, from int, msg string) int {
	lines := strings.Split(string(data), "\n")
	if len(data) > maxRefineSize || from >= len(lines) {
		return from
	}
	fails := func(k int) bool {
		var n yaml.Node
		err := yaml.Unmarshal([]byte(strings.Join(lines[:k], "\n")+"\n"), &n)
		m := re.FindStringSubmatch(fmt.Sprint(err))
		return err != nil && m != nil && m[2] == msg
	}
	lo, hi := from, len(lines)
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

// displayName is the name of a file as positions show it.
func (s *source) displayName(name string) string {
	if s.display == "" || s.display == "." {
		return name
	}
	return path.Join(s.display, name)
}

// root returns the top of file f.
func (s *source) root(f *file) node { return node{f: f, n: f.root} }

// key returns the value of key k in the mapping n, or a node that is not
// ok. n is read as it is: call deref first to follow a $ref.
func (n node) key(k string) node {
	if n.n == nil || n.n.Kind != yaml.MappingNode {
		return node{}
	}
	for i := 0; i+1 < len(n.n.Content); i += 2 {
		if n.n.Content[i].Value == k {
			return node{f: n.f, ptr: n.ptr + "/" + escapeToken(k), n: n.n.Content[i+1]}
		}
	}
	return node{}
}

// str returns the string value of key k in the mapping n, or "".
func (n node) str(k string) string {
	v := n.key(k)
	if !v.ok() || v.n.Kind != yaml.ScalarNode {
		return ""
	}
	return v.n.Value
}

// flag returns the boolean value of key k in the mapping n.
func (n node) flag(k string) bool {
	v := n.key(k)
	return v.ok() && v.n.Kind == yaml.ScalarNode && v.n.Tag == "!!bool" && v.n.Value == "true"
}

// pairs calls fn with each key and value of the mapping n, in order.
func (n node) pairs(fn func(k string, v node)) {
	if n.n == nil || n.n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.n.Content); i += 2 {
		k := n.n.Content[i].Value
		fn(k, node{f: n.f, ptr: n.ptr + "/" + escapeToken(k), n: n.n.Content[i+1]})
	}
}

// items returns the items of the sequence n.
func (n node) items() []node {
	if n.n == nil || n.n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]node, len(n.n.Content))
	for i, c := range n.n.Content {
		out[i] = node{f: n.f, ptr: n.ptr + "/" + strconv.Itoa(i), n: c}
	}
	return out
}

// strings returns the string items of the sequence n.
func (n node) strings() []string {
	var out []string
	for _, it := range n.items() {
		if it.n.Kind == yaml.ScalarNode {
			out = append(out, it.n.Value)
		}
	}
	return out
}

// refTarget returns the $ref of the mapping n, if it is a reference.
func (n node) refTarget() (string, bool) {
	v := n.key("$ref")
	if !v.ok() || v.n.Kind != yaml.ScalarNode {
		return "", false
	}
	return v.n.Value, true
}

// deref follows n's $ref, and the $refs it leads to, to the node they
// name. A node that is not a reference is returned as it is.
func (s *source) deref(n node) (node, error) { return s.derefWithin(n, 0) }

// derefWithin is deref inside depth resolutions already under way: a
// reference whose pointer passes through another reference (the
// document's root, say) resolves that one first, and depth bounds that
// nesting as maxRefHops bounds a chain, so a reference reached again
// through its own pointer is an error, not an endless recursion.
func (s *source) derefWithin(n node, depth int) (node, error) {
	for hops := 0; ; hops++ {
		target, isRef := n.refTarget()
		if !isRef {
			return n, nil
		}
		if hops == maxRefHops || depth == maxRefHops {
			return node{}, &refCycleError{target}
		}
		next, err := s.followWithin(n, target, depth+1)
		if err != nil {
			return node{}, err
		}
		n = next
	}
}

// follow returns the node a $ref written in n names.
func (s *source) follow(n node, target string) (node, error) {
	return s.followWithin(n, target, 0)
}

func (s *source) followWithin(n node, target string, depth int) (node, error) {
	r, err := s.resolveRef(n.f.name, target)
	if err != nil {
		return node{}, err
	}
	f, err := s.open(r.file)
	if err != nil {
		return node{}, fmt.Errorf("$ref %q: %w", target, err)
	}
	out, err := s.atWithin(f, r.ptr, depth)
	var cycle *refCycleError
	if errors.As(err, &cycle) {
		return node{}, err // said once, not once per reference on the way
	}
	if err != nil {
		return node{}, fmt.Errorf("$ref %q: %w", target, err)
	}
	return out, nil
}

// refCycleError is the error for references that do not end: a chain
// longer than maxRefHops, or resolutions nested that deep.
type refCycleError struct{ target string }

func (e *refCycleError) Error() string {
	return fmt.Sprintf("$ref %q: more than %d references in a row (a cycle?)", e.target, maxRefHops)
}

// errRemoteRef is the error for references to anything but local files.
var errRemoteRef = errors.New("only files next to the description are read: remote references are not supported")

// resolveRef resolves a $ref written in the file from.
func (s *source) resolveRef(from, target string) (ref, error) {
	u, err := url.Parse(target)
	if err != nil {
		return ref{}, fmt.Errorf("$ref %q: %w", target, err)
	}
	if u.Scheme != "" || u.Host != "" {
		return ref{}, fmt.Errorf("$ref %q: %w", target, errRemoteRef)
	}
	name := from
	if u.Path != "" {
		if strings.HasPrefix(u.Path, "/") {
			return ref{}, fmt.Errorf("$ref %q: an absolute path; write it relative to %s", target, path.Base(from))
		}
		name = path.Join(path.Dir(from), u.Path)
		if !fs.ValidPath(name) {
			return ref{}, fmt.Errorf("$ref %q: the file is outside the description's folder", target)
		}
	}
	if u.Fragment != "" && !strings.HasPrefix(u.Fragment, "/") {
		return ref{}, fmt.Errorf("$ref %q: only JSON pointers (#/…) are supported, not anchors", target)
	}
	return ref{file: name, ptr: u.Fragment}, nil
}

// at returns the node at the JSON pointer ptr of f, following the $refs
// met on the way (but not one at the end).
func (s *source) at(f *file, ptr string) (node, error) { return s.atWithin(f, ptr, 0) }

func (s *source) atWithin(f *file, ptr string, depth int) (node, error) {
	n := s.root(f)
	if ptr == "" {
		return n, nil
	}
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = unescapeToken(tok)
		var err error
		if n, err = s.derefWithin(n, depth); err != nil {
			return node{}, err
		}
		next := n.child(tok)
		if !next.ok() {
			return node{}, fmt.Errorf("%s#%s has no %q", s.displayName(n.f.name), n.ptr, tok)
		}
		n = next
	}
	return n, nil
}

// child is the value of key tok in a mapping or item tok of a sequence.
func (n node) child(tok string) node {
	if n.n != nil && n.n.Kind == yaml.SequenceNode {
		i, err := strconv.Atoi(tok)
		if err != nil || i < 0 || i >= len(n.n.Content) {
			return node{}
		}
		return node{f: n.f, ptr: n.ptr + "/" + tok, n: n.n.Content[i]}
	}
	return n.key(tok)
}

// escapeToken escapes a key for a JSON pointer (RFC 6901).
func escapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// unescapeToken reverses escapeToken.
func unescapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

// locate returns the position of the element at r: the key that names it
// in its mapping, else the node itself.
func (s *source) locate(r ref) Location {
	loc := Location{File: s.displayName(r.file), Pointer: r.ptr}
	f := s.files[r.file]
	if f == nil {
		return loc
	}
	n := f.root
	var keyNode *yaml.Node
	if r.ptr != "" {
		for _, tok := range strings.Split(r.ptr[1:], "/") {
			tok = unescapeToken(tok)
			next, key := step(n, tok)
			if next == nil {
				break
			}
			n, keyNode = next, key
		}
	}
	at := n
	if keyNode != nil {
		at = keyNode
	}
	loc.Line, loc.Col = at.Line, at.Column
	return loc
}

// step returns the child tok of n and, in a mapping, the key node.
func step(n *yaml.Node, tok string) (value, key *yaml.Node) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == tok {
				return n.Content[i+1], n.Content[i]
			}
		}
	case yaml.SequenceNode:
		if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
			return n.Content[i], nil
		}
	}
	return nil, nil
}
