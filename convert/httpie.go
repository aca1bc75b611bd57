package convert

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/lazyregexp"
	"gopkg.in/yaml.v3"
)

// httpieCommand is a parsed HTTPie command line (http or https).
type httpieCommand struct {
	scheme    string
	method    string
	url       string
	headers   [][2]string
	query     [][2]string
	fields    []httpieField
	form      bool
	multipart bool
	auth      string
	authType  string
	raw       *string
	follow    bool
	timeout   string
	notes     []string
}

// httpieField is a data item: name=text, name:=json, name@file.
type httpieField struct {
	name string
	// text is a string value; json raw JSON (name:=…); file a path to
	// upload (name@…).
	text, json, file string
	isJSON, isFile   bool
}

// httpieItemRE splits a request item at its separator: the first of
// ==, :=@, :=, =@, @, = or : not escaped with a backslash.
var httpieItemRE = lazyregexp.New(`^((?:\\.|[^\\:=@])*?)(==|:=@|:=|=@|@|=|:)(.*)$`)

// httpieValueFlags take a value.
var httpieValueFlags = map[string]bool{
	"-a": true, "--auth": true, "-A": true, "--auth-type": true, "--timeout": true, "--raw": true,
	"-o": false, "--output": true, "-p": true, "--print": true, "--verify": true, "--cert": true, "--cert-key": true,
	"--session": true, "--session-read-only": true, "--proxy": true, "--pretty": true, "-s": true, "--style": true,
	"--max-redirects": true, "--boundary": true, "--format-options": true, "--response-charset": true, "--response-mime": true,
}

// parseHTTPie parses the words of one command; the first is http or
// https (or xh, whose syntax is the same).
func parseHTTPie(words []string) (*httpieCommand, error) {
	if len(words) > 0 && words[0] == "$" {
		words = words[1:]
	}
	if len(words) == 0 {
		return nil, errors.New("empty command")
	}
	c := &httpieCommand{scheme: "http://"}
	switch words[0] {
	case "http", "xh":
	case "https", "xhs":
		c.scheme = "https://"
	default:
		return nil, fmt.Errorf("not an HTTPie command: starts with %q", words[0])
	}
	// Options may come anywhere, as argparse reads them.
	var rest []string
	for i := 1; i < len(words); i++ {
		w := words[i]
		if !strings.HasPrefix(w, "-") || w == "-" || w == "--" {
			rest = append(rest, w)
			continue
		}
		name, value, hasValue := strings.Cut(w, "=")
		if httpieValueFlags[name] && !hasValue {
			if i+1 >= len(words) {
				return nil, fmt.Errorf("%s needs a value", name)
			}
			i++
			value = words[i]
		}
		c.flag(name, value)
	}
	if len(rest) == 0 {
		return nil, errors.New("no URL")
	}
	if m := strings.ToUpper(rest[0]); collections.IsMethod(m) && len(rest) > 1 {
		c.method, rest = m, rest[1:]
	}
	c.url = httpieURL(c.scheme, rest[0])
	for _, item := range rest[1:] {
		if err := c.item(item); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// flag applies one option.
func (c *httpieCommand) flag(name, value string) {
	switch name {
	case "-f", "--form":
		c.form = true
	case "--multipart":
		c.multipart, c.form = true, true
	case "-j", "--json":
	case "-a", "--auth":
		c.auth = value
	case "-A", "--auth-type":
		c.authType = value
	case "--raw":
		c.raw = &value
	case "-F", "--follow":
		c.follow = true
	case "--timeout":
		c.timeout = value + "s"
	case "--verify":
		if value == "no" || value == "false" {
			c.notes = append(c.notes, "run with `callsheet run --insecure` to skip certificate checks")
		}
	case "--cert", "--cert-key":
		c.notes = append(c.notes, "client certificates are not supported")
	case "--proxy":
		c.notes = append(c.notes, "set the proxy with HTTPS_PROXY")
	case "--session", "--session-read-only":
		c.notes = append(c.notes, "sessions are not imported: a run keeps cookies in one jar")
	}
}

// httpieURL completes HTTPie's URL shorthands: :3000/x is localhost, a
// host without a scheme gets the command's.
func httpieURL(scheme, u string) string {
	switch {
	case strings.Contains(u, "://"):
		return u
	case strings.HasPrefix(u, ":/"):
		return scheme + "localhost" + u[1:]
	case strings.HasPrefix(u, ":"):
		return scheme + "localhost" + u
	}
	return scheme + u
}

// item reads one request item.
func (c *httpieCommand) item(s string) error {
	m := httpieItemRE.FindStringSubmatch(s)
	if m == nil {
		return fmt.Errorf("request item %q has no separator (Header:value, name==query, name=value, name:=json, name@file)", s)
	}
	name := strings.NewReplacer(`\:`, ":", `\=`, "=", `\@`, "@", `\\`, `\`).Replace(m[1])
	value := m[3]
	switch m[2] {
	case ":":
		c.headers = append(c.headers, [2]string{name, value})
	case "==":
		c.query = append(c.query, [2]string{name, value})
	case "=":
		c.fields = append(c.fields, httpieField{name: name, text: value})
	case ":=":
		if !json.Valid([]byte(value)) {
			return fmt.Errorf("request item %q: %s is not JSON", s, value)
		}
		c.fields = append(c.fields, httpieField{name: name, json: value, isJSON: true})
	case "@":
		c.fields = append(c.fields, httpieField{name: name, file: value, isFile: true})
		c.multipart, c.form = true, true
	case "=@", ":=@":
		c.fields = append(c.fields, httpieField{name: name, file: value})
		c.notes = append(c.notes, fmt.Sprintf("field %s reads file %s: its content is sent as the value", name, value))
	}
	return nil
}

// ImportHTTPie converts shell text holding one or more HTTPie command
// lines (http, https) into one collection, one step per command. Data
// fields are sent as HTTPie sends them: a JSON object written as HTTPie
// writes it (with a space after each colon and comma), form fields
// with --form, multipart with files.
func ImportHTTPie(name, text string) (*Import, error) {
	cmds, err := SplitCommands(text)
	if err != nil {
		return nil, fmt.Errorf("import httpie: %w", err)
	}
	if len(cmds) == 0 {
		return nil, errors.New("import httpie: no command found")
	}
	b := newBuilder(name)
	for i, words := range cmds {
		c, err := parseHTTPie(words)
		if err != nil {
			return nil, fmt.Errorf("import httpie: command %d: %w", i+1, err)
		}
		r := b.httpieStep(c)
		b.addStep(r.node(), r.name, nil, c.notes)
	}
	data, err := b.build("")
	if err != nil {
		return nil, fmt.Errorf("import httpie: %w", err)
	}
	return &Import{Files: []File{{Name: fileName(name), Data: data}}, Notes: b.notes}, nil
}

// httpieStep turns a parsed command into a request.
func (b *builder) httpieStep(c *httpieCommand) *reqSpec {
	base, query := splitQuery(c.url)
	r := &reqSpec{method: c.method, url: base, timeout: c.timeout, noFollow: !c.follow}
	if r.method == "" {
		r.method = "GET"
		if len(c.fields) > 0 || c.raw != nil {
			r.method = "POST"
		}
	}
	r.name = b.uniqueName(stepName(r.method, base))
	for _, q := range append(query, c.query...) {
		r.query = append(r.query, b.field(q[0], q[1]))
	}
	for _, h := range c.headers {
		v := h[1]
		if strings.EqualFold(h[0], "Authorization") {
			v = b.authHeader(v)
		}
		r.headers = append(r.headers, kv{h[0], str(v)})
	}
	b.httpieAuth(r, c)
	b.httpieBody(r, c)
	return r
}

// httpieAuth adds -a credentials: basic by default, bearer with -A bearer.
func (b *builder) httpieAuth(r *reqSpec, c *httpieCommand) {
	if c.auth == "" {
		return
	}
	switch c.authType {
	case "bearer":
		r.headers = append(r.headers, kv{"Authorization", str("Bearer " + b.secretValue("token", c.auth))})
	case "", "basic":
		user, pass, _ := strings.Cut(c.auth, ":")
		pass = b.secretValue("password", pass)
		r.headers = append(r.headers, kv{"Authorization", str(fmt.Sprintf(`Basic {{ base64_encode(%q + ":" + %s) }}`, user, exprOfTemplate(pass)))})
	default:
		c.notes = append(c.notes, fmt.Sprintf("auth type %s is not supported; add its header by hand", c.authType))
	}
}

// exprOfTemplate returns the expression of a lone template, or a quoted
// literal.
func exprOfTemplate(s string) string {
	if strings.HasPrefix(s, "{{") && strings.HasSuffix(s, "}}") && strings.Count(s, "{{") == 1 {
		return strings.TrimSpace(s[2 : len(s)-2])
	}
	return fmt.Sprintf("%q", s)
}

// httpieBody sets the body: raw text, multipart, form or JSON, with the
// headers HTTPie adds for JSON.
func (b *builder) httpieBody(r *reqSpec, c *httpieCommand) {
	hasHeader := func(n string) bool { _, i := r.header(n); return i >= 0 }
	switch {
	case c.raw != nil:
		r.raw = c.raw
	case c.multipart:
		for _, f := range c.fields {
			if f.isFile {
				r.parts = append(r.parts, curlFilePart(f.name, f.file))
				continue
			}
			r.parts = append(r.parts, partSpec{field: f.name, value: b.field(f.name, f.text).value})
		}
	case c.form && len(c.fields) > 0:
		for _, f := range c.fields {
			r.form = append(r.form, b.field(f.name, f.text))
		}
		if !hasHeader("Content-Type") {
			r.headers = append(r.headers, kv{"Content-Type", str("application/x-www-form-urlencoded; charset=utf-8")})
		}
	case len(c.fields) > 0:
		text := httpieJSON(c.fields)
		r.raw = &text
		if !hasHeader("Content-Type") {
			r.headers = append(r.headers, kv{"Content-Type", str("application/json")})
		}
		if !hasHeader("Accept") {
			r.headers = append(r.headers, kv{"Accept", str("application/json, */*;q=0.5")})
		}
	}
}

// httpieJSON writes data fields as HTTPie does: Python's json.dumps, a
// space after each colon and comma, non-ASCII escaped.
func httpieJSON(fields []httpieField) string {
	parts := make([]string, len(fields))
	for i, f := range fields {
		v := pyJSONString(f.text)
		if f.isJSON {
			v = pyJSON(f.json)
		}
		parts[i] = pyJSONString(f.name) + ": " + v
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// pyJSONString writes a string as Python's json.dumps does: \uXXXX for
// everything outside ASCII.
func pyJSONString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r > 0x7e && r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		case r >= 0x10000:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// pyJSON rewrites raw JSON as Python's json.dumps writes the value it
// decodes to: ", " and ": " between items, strings escaped as
// pyJSONString does, numbers as written.
func pyJSON(raw string) string {
	n, err := jsonNode(raw, nil)
	if err != nil {
		return raw
	}
	var b strings.Builder
	writePyJSON(&b, n)
	return b.String()
}

func writePyJSON(b *strings.Builder, n *yaml.Node) {
	switch n.Kind {
	case yaml.MappingNode:
		b.WriteByte('{')
		for i := 0; i < len(n.Content); i += 2 {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(pyJSONString(n.Content[i].Value) + ": ")
			writePyJSON(b, n.Content[i+1])
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, it := range n.Content {
			if i > 0 {
				b.WriteString(", ")
			}
			writePyJSON(b, it)
		}
		b.WriteByte(']')
	default:
		switch n.ShortTag() {
		case "!!str":
			b.WriteString(pyJSONString(n.Value))
		case "!!float":
			b.WriteString(pyFloat(n.Value))
		default:
			b.WriteString(n.Value)
		}
	}
}

// pyFloat writes a JSON decimal as Python's repr of the float writes it.
func pyFloat(text string) string {
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return text
	}
	if a := math.Abs(f); a != 0 && (a >= 1e16 || a < 1e-4) {
		s := strconv.FormatFloat(f, 'e', -1, 64)
		mant, exp, _ := strings.Cut(s, "e")
		sign := exp[0]
		digits := strings.TrimLeft(exp[1:], "0")
		if len(digits) < 2 {
			digits = fmt.Sprintf("%02s", digits)
		}
		return mant + "e" + string(sign) + digits
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}
