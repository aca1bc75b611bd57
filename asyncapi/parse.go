package asyncapi

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/collections"
)

// Limits of the documents Parse reads.
const (
	// MaxFileSize is the largest document Load reads.
	MaxFileSize = 10 << 20
	// maxRefs bounds the $refs followed to reach one object.
	maxRefs = 32
)

// Load reads and parses the AsyncAPI document at path.
func Load(path string) (*Document, error) {
	info, err := os.Stat(path)
	if err == nil && info.Size() > MaxFileSize {
		return nil, fmt.Errorf("%s is larger than %d MiB", path, MaxFileSize>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse parses an AsyncAPI 3.0 or 2.x document, YAML or JSON, that file
// names. Problems are reported together as a collections.ErrorList.
func Parse(file string, data []byte) (*Document, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, collections.ErrorList{{Pos: Pos{File: file, Line: 1}, Msg: "not YAML or JSON: " + err.Error()}}
	}
	p := &parser{file: file, doc: &Document{File: file}}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, collections.ErrorList{{Pos: Pos{File: file, Line: 1}, Msg: "an AsyncAPI document is a mapping"}}
	}
	p.root = root.Content[0]
	p.document()
	if err := p.errs.Err(); err != nil {
		return nil, err
	}
	return p.doc, nil
}

// parser holds the state of one Parse.
type parser struct {
	file string
	root *yaml.Node
	doc  *Document
	errs collections.ErrorList
	// servers, channels and messages are the objects read so far, by the
	// node they were read from, so that $refs share them.
	servers  map[*yaml.Node]*Server
	channels map[*yaml.Node]*Channel
	messages map[*yaml.Node]*Message
}

func (p *parser) pos(n *yaml.Node) Pos {
	if n == nil {
		return Pos{File: p.file, Line: 1}
	}
	return Pos{File: p.file, Line: n.Line, Col: n.Column}
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	p.errs = append(p.errs, &collections.Error{Pos: p.pos(n), Msg: fmt.Sprintf(format, args...)})
}

// document reads the version and dispatches on it.
func (p *parser) document() {
	p.servers, p.channels, p.messages = map[*yaml.Node]*Server{}, map[*yaml.Node]*Channel{}, map[*yaml.Node]*Message{}
	vn := get(p.root, "asyncapi")
	if vn == nil || vn.Kind != yaml.ScalarNode {
		p.errorf(p.root, "the document has no asyncapi version field")
		return
	}
	p.doc.Version = vn.Value
	switch {
	case strings.HasPrefix(vn.Value, "3."):
		p.doc.Major = 3
	case strings.HasPrefix(vn.Value, "2."):
		p.doc.Major = 2
	default:
		p.errorf(vn, "AsyncAPI %s is not read: callsheet reads versions 2.x and 3.0", vn.Value)
		return
	}
	p.doc.DefaultContentType = p.str(get(p.root, "defaultContentType"))
	p.serverList()
	if p.doc.Major == 3 {
		p.channels3()
		p.operations3()
	} else {
		p.channels2()
	}
}

// serverList reads the servers, in document order.
func (p *parser) serverList() {
	for _, kv := range pairs(get(p.root, "servers")) {
		if s := p.server(kv[0].Value, kv[1]); s != nil {
			p.doc.Servers = append(p.doc.Servers, s)
		}
	}
}

// server reads one Server Object.
func (p *parser) server(name string, n *yaml.Node) *Server {
	n = p.deref(n)
	if n == nil {
		return nil
	}
	if s, ok := p.servers[n]; ok {
		return s
	}
	s := &Server{Pos: p.pos(n), Name: name}
	p.servers[n] = s
	pn := get(n, "protocol")
	s.Protocol, s.ProtocolPos = strings.ToLower(p.str(pn)), p.pos(pn)
	if pn == nil {
		p.errorf(n, "server %q has no protocol", name)
	}
	vars := p.serverVariables(n)
	if p.doc.Major == 3 {
		s.Host, s.Pathname = vars.Replace(p.str(get(n, "host"))), vars.Replace(p.str(get(n, "pathname")))
	} else {
		u := vars.Replace(p.str(get(n, "url")))
		if _, rest, ok := strings.Cut(u, "://"); ok {
			u = rest
		}
		if i := strings.IndexByte(u, '/'); i >= 0 {
			s.Host, s.Pathname = u[:i], u[i:]
		} else {
			s.Host = u
		}
	}
	if s.Host == "" {
		p.errorf(n, "server %q has no host", name)
	}
	s.Pathname = strings.TrimSuffix(s.Pathname, "/")
	return s
}

// serverVariables replaces {name} by the default of each server variable.
func (p *parser) serverVariables(n *yaml.Node) *strings.Replacer {
	var olds []string
	for _, kv := range pairs(get(n, "variables")) {
		if d := get(p.deref(kv[1]), "default"); d != nil {
			olds = append(olds, "{"+kv[0].Value+"}", d.Value)
		}
	}
	return strings.NewReplacer(olds...)
}

// channels3 reads the channels of a 3.0 document.
func (p *parser) channels3() {
	for _, kv := range pairs(get(p.root, "channels")) {
		if ch := p.channel3(kv[0].Value, kv[1]); ch != nil {
			p.doc.Channels = append(p.doc.Channels, ch)
		}
	}
}

// channel3 reads one 3.0 Channel Object.
func (p *parser) channel3(key string, n *yaml.Node) *Channel {
	n = p.deref(n)
	if n == nil {
		return nil
	}
	if ch, ok := p.channels[n]; ok {
		return ch
	}
	ch := &Channel{Pos: p.pos(n), Key: key}
	p.channels[n] = ch
	if a := get(n, "address"); a != nil && a.Tag != "!!null" {
		ch.Address = a.Value
	}
	ch.Servers = p.doc.Servers
	if sn := get(n, "servers"); sn != nil {
		ch.Servers = nil
		for _, it := range sn.Content {
			if s := p.server(refName(it), it); s != nil {
				ch.Servers = append(ch.Servers, s)
			}
		}
	}
	for _, kv := range pairs(get(n, "messages")) {
		if m := p.message(kv[0].Value, kv[1]); m != nil {
			ch.Messages = append(ch.Messages, m)
		}
	}
	return ch
}

// operations3 reads the operations of a 3.0 document.
func (p *parser) operations3() {
	for _, kv := range pairs(get(p.root, "operations")) {
		n := p.deref(kv[1])
		if n == nil {
			continue
		}
		op := &Operation{Pos: p.pos(kv[0]), ID: kv[0].Value}
		an := get(n, "action")
		op.Action = p.str(an)
		if op.Action != Send && op.Action != Receive {
			p.errorf(orNode(an, n), "operation %q: action must be send or receive", op.ID)
		}
		cn := get(n, "channel")
		if cn == nil {
			p.errorf(n, "operation %q has no channel", op.ID)
			continue
		}
		op.Channel = p.channel3(refName(cn), cn)
		if op.Channel == nil {
			continue
		}
		op.Messages = op.Channel.Messages
		if mn := get(n, "messages"); mn != nil {
			op.Messages = nil
			for _, it := range mn.Content {
				if m := p.message(refName(it), it); m != nil {
					op.Messages = append(op.Messages, m)
				}
			}
		}
		p.doc.Operations = append(p.doc.Operations, op)
	}
}

// channels2 reads the channels of a 2.x document and their publish and
// subscribe operations.
func (p *parser) channels2() {
	for _, kv := range pairs(get(p.root, "channels")) {
		n := p.deref(kv[1])
		if n == nil {
			continue
		}
		ch := &Channel{Pos: p.pos(kv[0]), Key: kv[0].Value, Address: kv[0].Value, Servers: p.doc.Servers}
		if sn := get(n, "servers"); sn != nil {
			ch.Servers = nil
			for _, it := range sn.Content {
				p.channelServer2(ch, it)
			}
		}
		for _, verb := range []string{"subscribe", "publish"} {
			if on := p.deref(get(n, verb)); on != nil {
				p.operation2(ch, verb, on)
			}
		}
		p.doc.Channels = append(p.doc.Channels, ch)
	}
}

// channelServer2 adds the server a 2.x channel names to its servers.
func (p *parser) channelServer2(ch *Channel, n *yaml.Node) {
	i := slices.IndexFunc(p.doc.Servers, func(s *Server) bool { return s.Name == n.Value })
	if i < 0 {
		p.errorf(n, "channel %q names server %q, which the document lacks", ch.Key, n.Value)
		return
	}
	ch.Servers = append(ch.Servers, p.doc.Servers[i])
}

// operation2 reads a 2.x publish or subscribe operation of ch.
func (p *parser) operation2(ch *Channel, verb string, n *yaml.Node) {
	op := &Operation{Pos: p.pos(n), ID: p.str(get(n, "operationId")), Channel: ch, Action: Receive}
	if verb == "subscribe" {
		op.Action = Send
	}
	mn := p.deref(get(n, "message"))
	var list []*yaml.Node
	if one := get(mn, "oneOf"); one != nil {
		list = one.Content
	} else if mn != nil {
		list = []*yaml.Node{mn}
	}
	for _, it := range list {
		if m := p.message(refName(it), it); m != nil {
			op.Messages = append(op.Messages, m)
			if !slices.Contains(ch.Messages, m) {
				ch.Messages = append(ch.Messages, m)
			}
		}
	}
	if op.ID != "" {
		p.doc.Operations = append(p.doc.Operations, op)
	}
}

// message reads one Message Object.
func (p *parser) message(name string, n *yaml.Node) *Message {
	n = p.deref(n)
	if n == nil {
		return nil
	}
	if m, ok := p.messages[n]; ok {
		return m
	}
	m := &Message{Pos: p.pos(n), Name: name, ContentType: p.doc.DefaultContentType}
	p.messages[n] = m
	if s := p.str(get(n, "name")); s != "" {
		m.Name = s
	}
	if ct := p.str(get(n, "contentType")); ct != "" {
		m.ContentType = ct
	}
	m.Headers, m.Payload = p.schema(get(n, "headers")), p.schema(get(n, "payload"))
	if cn := p.deref(get(n, "correlationId")); cn != nil {
		m.Correlation = p.correlation(cn)
	}
	return m
}

// schema is a schema as JSON values, its top-level $ref followed.
func (p *parser) schema(n *yaml.Node) any {
	n = p.deref(n)
	if n == nil {
		return nil
	}
	var v any
	if err := n.Decode(&v); err != nil {
		p.errorf(n, "schema: %v", err)
	}
	return v
}

// correlation reads a Correlation ID Object.
func (p *parser) correlation(n *yaml.Node) *Correlation {
	ln := get(n, "location")
	c := &Correlation{Pos: p.pos(orNode(ln, n)), Location: p.str(ln)}
	src, ptr, err := ParseLocation(c.Location)
	if err != nil {
		p.errorf(orNode(ln, n), "correlationId: %v", err)
		return nil
	}
	c.Source, c.Pointer = src, ptr
	return c
}

// ParseLocation reads a runtime expression of a message,
// $message.header#/<pointer> or $message.payload#/<pointer>, into its
// source and decoded pointer.
func ParseLocation(loc string) (source string, pointer []string, err error) {
	rest, ok := strings.CutPrefix(loc, "$message.")
	if !ok {
		return "", nil, fmt.Errorf("location %q must start with $message.header or $message.payload", loc)
	}
	source, frag, _ := strings.Cut(rest, "#")
	if source != InHeader && source != InPayload {
		return "", nil, fmt.Errorf("location %q must start with $message.header or $message.payload", loc)
	}
	if frag == "" {
		return source, nil, nil
	}
	if !strings.HasPrefix(frag, "/") {
		return "", nil, fmt.Errorf("location %q: a JSON pointer starts with /", loc)
	}
	for _, tok := range strings.Split(frag[1:], "/") {
		pointer = append(pointer, unescape(tok))
	}
	return source, pointer, nil
}

// deref follows the $refs of n to the object they name; nil (reported)
// when one cannot be followed.
func (p *parser) deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil; i++ {
		if n.Kind == yaml.AliasNode {
			n = n.Alias
			continue
		}
		ref := get(n, "$ref")
		if ref == nil {
			return n
		}
		if i >= maxRefs {
			p.errorf(ref, "more than %d $refs in a row", maxRefs)
			return nil
		}
		target, err := p.lookup(ref.Value)
		if err != nil {
			p.errorf(ref, "$ref %q: %v", ref.Value, err)
			return nil
		}
		n = target
	}
	return nil
}

// lookup finds the node a local $ref names.
func (p *parser) lookup(ref string) (*yaml.Node, error) {
	frag, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil, fmt.Errorf("only $refs within the document (#/…) are read")
	}
	n := p.root
	if frag == "" {
		return n, nil
	}
	if !strings.HasPrefix(frag, "/") {
		return nil, fmt.Errorf("a JSON pointer starts with /")
	}
	for _, tok := range strings.Split(frag[1:], "/") {
		tok = unescape(tok)
		for n != nil && n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		switch {
		case n == nil:
		case n.Kind == yaml.MappingNode:
			n = get(n, tok)
		case n.Kind == yaml.SequenceNode:
			var i int
			if _, err := fmt.Sscanf(tok, "%d", &i); err != nil || i < 0 || i >= len(n.Content) {
				n = nil
			} else {
				n = n.Content[i]
			}
		default:
			n = nil
		}
		if n == nil {
			return nil, fmt.Errorf("the document has nothing at %s", ref)
		}
	}
	return n, nil
}

// str is the text of a scalar node, "" for anything else.
func (p *parser) str(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return ""
	}
	return n.Value
}

// get returns the value of key in a mapping node, nil when absent.
func get(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// pairs are the key and value nodes of a mapping, in order.
func pairs(n *yaml.Node) [][2]*yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	var out [][2]*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, [2]*yaml.Node{n.Content[i], n.Content[i+1]})
	}
	return out
}

// refName is the last token of the $ref of n, the name of what it points
// at; "" when n is no $ref.
func refName(n *yaml.Node) string {
	ref := get(n, "$ref")
	if ref == nil {
		return ""
	}
	return unescape(ref.Value[strings.LastIndexByte(ref.Value, '/')+1:])
}

func orNode(a, b *yaml.Node) *yaml.Node {
	if a != nil {
		return a
	}
	return b
}
