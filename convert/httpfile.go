package convert

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/lazyregexp"
	"gopkg.in/yaml.v3"
)

// .http files (the JetBrains HTTP Client and the VS Code REST Client
// share the syntax): @name = value variables, requests separated by ###
// lines, a request line, header lines, a blank line and the body (or
// "< file"), then an optional "> {% … %}" response handler.

// httpRequest is one request of an .http file.
type httpRequest struct {
	line    int
	name    string
	method  string
	url     string
	headers [][2]string
	body    []string
	// bodyFile is the file of a "< path" body.
	bodyFile string
	handler  string
	noFollow bool
	notes    []string
}

// jsonIndexRE matches a JSONPath index, [0].
var jsonIndexRE = lazyregexp.New(`\[(\d+)\]`)

var (
	httpVarRE      = lazyregexp.New(`^@([A-Za-z_][\w.-]*)\s*=\s*(.*)$`)
	httpRequestRE  = lazyregexp.New(`^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE|CONNECT)\s+(\S.*?)(?:\s+HTTP/[\d.]+)?$`)
	httpURLOnlyRE  = lazyregexp.New(`^(https?://|\{\{)\S*$`)
	httpNameRE     = lazyregexp.New(`^(?:#|//)\s*@name\s*=?\s*(\S+)`)
	httpHeaderRE   = lazyregexp.New(`^([!#$%&'*+.^\w|~-]+)\s*:\s*(.*)$`)
	httpHandlerRE  = lazyregexp.New(`(?s)^>\s*\{%(.*?)%\}`)
	httpRequestRef = lazyregexp.New(`\{\{\s*([A-Za-z_][\w-]*)\.response\.(body|headers)\.([^}]*?)\s*\}\}`)
)

// ImportHTTPFile converts an .http file into a collection, one step per
// request. {{var}} references become templates, $ dynamic variables
// template functions, "< file" bodies {{ file("…") }}, JetBrains response
// handlers (client.global.set, client.test, client.assert) and VS Code
// request variables ({{login.response.body.$.token}}) captures and
// checks; what cannot be translated is kept as a comment.
func ImportHTTPFile(name string, data []byte) (*Import, error) {
	vars, reqs, err := parseHTTPFile(string(data))
	if err != nil {
		return nil, fmt.Errorf("import http: %w", err)
	}
	if len(reqs) == 0 {
		return nil, fmt.Errorf("import http: no request found (a request starts with a line such as GET https://host/path)")
	}
	b := newBuilder(name)
	for _, v := range vars {
		b.setVar(varName(v[0]), str(b.httpTemplate(v[1], "")), "")
		if secretFieldRE.MatchString(v[0]) {
			b.secret(varName(v[0]))
		}
	}
	refs := b.httpRequestRefs(reqs)
	for _, hr := range reqs {
		b.httpStep(hr, refs)
	}
	yml, err := b.build("")
	if err != nil {
		return nil, fmt.Errorf("import http: %w", err)
	}
	return &Import{Files: []File{{Name: fileName(name), Data: yml}}, Notes: b.notes, Scripts: b.scripts}, nil
}

// parseHTTPFile splits the file into its variables and requests.
func parseHTTPFile(text string) (vars [][2]string, reqs []*httpRequest, err error) {
	p := &httpParser{lines: strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")}
	for ; p.i < len(p.lines); p.i++ {
		if err := p.line(); err != nil {
			return nil, nil, err
		}
	}
	return p.vars, p.reqs, nil
}

// httpParser reads an .http file line by line.
type httpParser struct {
	lines []string
	i     int // the line read, from 0
	cur   *httpRequest
	// state is where the parser is in cur: "" (between requests),
	// "headers", "body" or "done" (after a response handler).
	state       string
	pendingName string // the name given to the next request
	noFollow    bool   // @no-redirect was given for the next request
	vars        [][2]string
	reqs        []*httpRequest
}

// line reads line p.i.
func (p *httpParser) line() error {
	l := p.lines[p.i]
	t := strings.TrimSpace(l)
	switch {
	case strings.HasPrefix(t, "###"):
		p.cur, p.state, p.noFollow = nil, "", false
		p.pendingName = strings.TrimSpace(strings.TrimLeft(t, "#"))
	case p.cur == nil || p.state == "":
		return p.between(t)
	case p.state == "headers":
		return p.header(t)
	case p.state == "body":
		return p.body(l, t)
	}
	return nil
}

// between reads a line outside a request: a name, a comment, a variable
// or a request line.
func (p *httpParser) between(t string) error {
	if m := httpNameRE.FindStringSubmatch(t); m != nil {
		p.pendingName = m[1]
		return nil
	}
	if strings.Contains(t, "@no-redirect") {
		p.noFollow = true
	}
	if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//") {
		return nil
	}
	if m := httpVarRE.FindStringSubmatch(t); m != nil {
		p.vars = append(p.vars, [2]string{m[1], strings.TrimSpace(m[2])})
		return nil
	}
	method, u := "GET", t
	if m := httpRequestRE.FindStringSubmatch(t); m != nil {
		method, u = m[1], m[2]
	} else if !httpURLOnlyRE.MatchString(t) {
		return fmt.Errorf("line %d: %q is not a request line (METHOD URL), a variable (@name = value) or a ### separator", p.i+1, t)
	}
	// Query continuation lines: an indented ? or &.
	for p.i+1 < len(p.lines) && isQueryContinuation(p.lines[p.i+1]) {
		p.i++
		u += strings.TrimSpace(p.lines[p.i])
	}
	p.cur = &httpRequest{line: p.i + 1, name: p.pendingName, method: method, url: u, noFollow: p.noFollow}
	p.pendingName = ""
	p.reqs = append(p.reqs, p.cur)
	p.state = "headers"
	return nil
}

// isQueryContinuation reports whether l continues a request line's query:
// an indented line starting with ? or &.
func isQueryContinuation(l string) bool {
	t := strings.TrimSpace(l)
	return (strings.HasPrefix(t, "?") || strings.HasPrefix(t, "&")) && t != "" && l != strings.TrimLeft(l, " \t")
}

// header reads a line of the request's headers.
func (p *httpParser) header(t string) error {
	if t == "" {
		p.state = "body"
		return nil
	}
	if strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//") {
		return nil
	}
	if strings.HasPrefix(t, ">") || strings.HasPrefix(t, "<") {
		p.state = "body"
		p.i--
		return nil
	}
	m := httpHeaderRE.FindStringSubmatch(t)
	if m == nil {
		return fmt.Errorf("line %d: %q is not a header (Name: value); leave a blank line before the body", p.i+1, t)
	}
	p.cur.headers = append(p.cur.headers, [2]string{m[1], m[2]})
	return nil
}

// body reads a line of the request's body: a response handler, a body
// file or a line of the body itself.
func (p *httpParser) body(l, t string) error {
	cur := p.cur
	switch {
	case strings.HasPrefix(t, "> {%"):
		return p.handler()
	case strings.HasPrefix(t, ">"):
		cur.notes = append(cur.notes, "response handler file "+strings.TrimSpace(t[1:])+" is not translated")
	case strings.HasPrefix(t, "<>"):
	case strings.HasPrefix(t, "<@"):
		cur.bodyFile = strings.TrimSpace(t[2:])
		cur.notes = append(cur.notes, "body file "+cur.bodyFile+" is sent as it is: {{variables}} in it are not replaced")
	case strings.HasPrefix(t, "< "):
		cur.bodyFile = strings.TrimSpace(t[1:])
	default:
		cur.body = append(cur.body, l)
	}
	return nil
}

// handler reads an inline response handler, > {% … %}, which ends the
// request.
func (p *httpParser) handler() error {
	end := p.i
	for end < len(p.lines) && !strings.Contains(p.lines[end], "%}") {
		end++
	}
	if end == len(p.lines) {
		return fmt.Errorf("line %d: response handler without %%}", p.i+1)
	}
	block := strings.Join(p.lines[p.i:end+1], "\n")
	if m := httpHandlerRE.FindStringSubmatch(strings.TrimSpace(block)); m != nil {
		p.cur.handler += m[1]
	}
	p.i = end
	p.state = "done"
	return nil
}

// httpDynamic maps the dynamic variables of both clients to template
// expressions.
var httpDynamic = map[string]string{
	"$guid": "uuid()", "$uuid": "uuid()", "$random.uuid": "uuid()", "$randomUUID": "uuid()",
	"$timestamp": "unix()", "$isoTimestamp": `now().UTC().Format("2006-01-02T15:04:05.000Z")`,
	"$randomInt": "random_int(0, 1000)", "$random.integer": "random_int(0, 1000)",
	"$random.email":     `lower(random_string(10)) + "@example.com"`,
	"$datetime iso8601": `now().UTC().Format("2006-01-02T15:04:05.000Z")`,
	"$datetime rfc1123": `now().UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT")`,
}

var (
	httpRandIntRE  = lazyregexp.New(`^\$randomInt\s+(-?\d+)\s+(-?\d+)$`)
	httpRandCallRE = lazyregexp.New(`^\$random\.(integer|alphabetic|alphanumeric|hexadecimal)\(\s*(\d+)?\s*(?:,\s*(\d+)\s*)?\)$`)
	httpEnvRE      = lazyregexp.New(`^\$(?:processEnv|dotenv)\s+%?([A-Za-z_]\w*)$|^\$env\.([A-Za-z_]\w*)$`)
	httpVarRefRE   = lazyregexp.New(`\{\{\s*([^{}]+?)\s*\}\}`)
)

// httpTemplate converts {{var}} and the dynamic variables into templates.
func (b *builder) httpTemplate(s, step string) string {
	return httpVarRefRE.ReplaceAllStringFunc(s, func(m string) string {
		ref := strings.TrimSpace(m[2 : len(m)-2])
		if e, ok := httpDynamic[ref]; ok {
			return "{{ " + e + " }}"
		}
		if x := httpRandIntRE.FindStringSubmatch(ref); x != nil {
			return fmt.Sprintf("{{ random_int(%s, %s) }}", x[1], x[2])
		}
		if x := httpRandCallRE.FindStringSubmatch(ref); x != nil {
			if x[1] == "integer" && x[2] != "" && x[3] != "" {
				return fmt.Sprintf("{{ random_int(%s, %s) }}", x[2], x[3])
			}
			if x[1] != "integer" && x[2] != "" {
				return fmt.Sprintf("{{ random_string(%s) }}", x[2])
			}
		}
		if x := httpEnvRE.FindStringSubmatch(ref); x != nil {
			return "{{ env." + x[1] + x[2] + " }}"
		}
		if strings.HasPrefix(ref, "$") {
			b.note(step, fmt.Sprintf("dynamic variable {{%s}} is not translated; set the value by hand", ref))
			return "{{ " + varName(ref) + " }}"
		}
		v := varName(ref)
		b.use(v)
		return "{{ " + v + " }}"
	})
}

// httpRef is a VS Code request variable: a later request reads a value of
// the response of the request named req.
type httpRef struct {
	req, capture string
	node         *yaml.Node
}

// httpRequestRefs finds the request variables the requests read and the
// captures they become in the named request, keyed by the reference text.
func (b *builder) httpRequestRefs(reqs []*httpRequest) map[string]httpRef {
	refs := map[string]httpRef{}
	for _, hr := range reqs {
		texts := []string{hr.url, strings.Join(hr.body, "\n")}
		for _, h := range hr.headers {
			texts = append(texts, h[1])
		}
		for _, t := range texts {
			for _, m := range httpRequestRef.FindAllStringSubmatch(t, -1) {
				if _, ok := refs[m[0]]; ok {
					continue
				}
				r := httpRef{req: m[1], capture: varName(m[1] + "_" + strings.Trim(strings.NewReplacer("$", "", "[", "_", "]", "", "*", "").Replace(m[3]), "._"))}
				if m[2] == "headers" {
					r.node = flowMapping()
					add(r.node, "header", str(m[3]))
				} else {
					r.node = str(jsonPathToGJSON(m[3]))
				}
				refs[m[0]] = r
			}
		}
	}
	return refs
}

// jsonPathToGJSON turns a simple JSONPath ($.a.b[0]) into a gjson path.
func jsonPathToGJSON(p string) string {
	p = strings.TrimPrefix(strings.TrimPrefix(p, "$"), ".")
	p = jsonIndexRE.ReplaceAllString(p, ".$1")
	return strings.TrimPrefix(p, ".")
}

// httpStep adds the step of one request.
func (b *builder) httpStep(hr *httpRequest, refs map[string]httpRef) {
	name := hr.name
	if name == "" {
		name = stepName(hr.method, hr.url)
	}
	name = b.uniqueName(name)
	replaceRefs := func(s string) string {
		for text, r := range refs {
			s = strings.ReplaceAll(s, text, "{{"+r.capture+"}}")
		}
		return s
	}
	method := hr.method
	left := hr.notes
	if !collections.IsMethod(method) {
		left = append(left, fmt.Sprintf("method %s is not supported; sent as GET", method))
		method = "GET"
	}
	// Spaces and bytes outside ASCII are sent encoded, as both clients do.
	r := &reqSpec{name: name, method: method, url: b.httpTemplate(pmEncode(replaceRefs(hr.url), false), name), noFollow: hr.noFollow}
	for _, h := range hr.headers {
		v := b.httpTemplate(replaceRefs(h[1]), name)
		if strings.EqualFold(h[0], "Authorization") {
			v = b.authHeader(v)
		}
		r.headers = append(r.headers, kv{h[0], str(v)})
	}
	b.httpBody(r, hr, replaceRefs)
	r.expect, r.capture = mapping(), mapping()
	captures := b.httpCaptures(r, hr, refs)
	if hr.handler != "" {
		out := b.translateScript(hr.handler, "handler", name)
		captures = append(captures, b.applyScript(r, out)...)
		for _, l := range out.left {
			left = append(left, "handler: "+l)
		}
		if len(out.left) > 0 {
			markUntranslated(r, len(out.left))
		}
	}
	b.addStep(r.node(), name, captures, left)
}

// httpBody sets r's body: the body file, or the body's lines with their
// references to earlier responses replaced.
func (b *builder) httpBody(r *reqSpec, hr *httpRequest, replaceRefs func(string) string) {
	switch {
	case hr.bodyFile != "":
		text := fmt.Sprintf("{{ file(%q) }}", hr.bodyFile)
		r.raw = &text
	case len(hr.body) > 0:
		body := strings.TrimRight(strings.Join(hr.body, "\n"), "\n ")
		if body != "" {
			text := b.httpTemplate(replaceRefs(body), r.name)
			r.raw = &text
		}
	}
}

// httpCaptures captures into r what later requests read of hr's response
// (refs), secret when the name says so, and returns the names captured.
func (b *builder) httpCaptures(r *reqSpec, hr *httpRequest, refs map[string]httpRef) []string {
	var captures []string
	for _, text := range slices.Sorted(maps.Keys(refs)) {
		if ref := refs[text]; ref.req == hr.name {
			node := ref.node
			if secretFieldRE.MatchString(ref.capture) {
				node = withKey(node, "secret", boolNode(true))
				b.secret(ref.capture)
			}
			setCapture(r.capture, ref.capture, node)
			captures = append(captures, ref.capture)
		}
	}
	return captures
}
