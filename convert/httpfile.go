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
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var cur *httpRequest
	state := "" // "", "headers", "body"
	pendingName := ""
	noFollow := false
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "###"):
			cur, state, noFollow = nil, "", false
			pendingName = strings.TrimSpace(strings.TrimLeft(t, "#"))
			continue
		case cur == nil || state == "":
			if m := httpNameRE.FindStringSubmatch(t); m != nil {
				pendingName = m[1]
				continue
			}
			if strings.Contains(t, "@no-redirect") {
				noFollow = true
			}
			if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//") {
				continue
			}
			if m := httpVarRE.FindStringSubmatch(t); m != nil {
				vars = append(vars, [2]string{m[1], strings.TrimSpace(m[2])})
				continue
			}
			method, u := "GET", t
			if m := httpRequestRE.FindStringSubmatch(t); m != nil {
				method, u = m[1], m[2]
			} else if !httpURLOnlyRE.MatchString(t) {
				return nil, nil, fmt.Errorf("line %d: %q is not a request line (METHOD URL), a variable (@name = value) or a ### separator", i+1, t)
			}
			// Query continuation lines: an indented ? or &.
			for i+1 < len(lines) && (strings.HasPrefix(strings.TrimSpace(lines[i+1]), "?") || strings.HasPrefix(strings.TrimSpace(lines[i+1]), "&")) && strings.TrimSpace(lines[i+1]) != "" && lines[i+1] != strings.TrimLeft(lines[i+1], " \t") {
				i++
				u += strings.TrimSpace(lines[i])
			}
			cur = &httpRequest{line: i + 1, name: pendingName, method: method, url: u, noFollow: noFollow}
			pendingName = ""
			reqs = append(reqs, cur)
			state = "headers"
		case state == "headers":
			if t == "" {
				state = "body"
				continue
			}
			if strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//") {
				continue
			}
			if strings.HasPrefix(t, ">") || strings.HasPrefix(t, "<") {
				state = "body"
				i--
				continue
			}
			m := httpHeaderRE.FindStringSubmatch(t)
			if m == nil {
				return nil, nil, fmt.Errorf("line %d: %q is not a header (Name: value); leave a blank line before the body", i+1, t)
			}
			cur.headers = append(cur.headers, [2]string{m[1], m[2]})
		case state == "body":
			switch {
			case strings.HasPrefix(t, "> {%"):
				end := i
				for end < len(lines) && !strings.Contains(lines[end], "%}") {
					end++
				}
				if end == len(lines) {
					return nil, nil, fmt.Errorf("line %d: response handler without %%}", i+1)
				}
				block := strings.Join(lines[i:end+1], "\n")
				if m := httpHandlerRE.FindStringSubmatch(strings.TrimSpace(block)); m != nil {
					cur.handler += m[1]
				}
				i = end
				state = "done"
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
		}
	}
	return vars, reqs, nil
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
	switch {
	case hr.bodyFile != "":
		text := fmt.Sprintf("{{ file(%q) }}", hr.bodyFile)
		r.raw = &text
	case len(hr.body) > 0:
		body := strings.TrimRight(strings.Join(hr.body, "\n"), "\n ")
		if body != "" {
			text := b.httpTemplate(replaceRefs(body), name)
			r.raw = &text
		}
	}
	r.expect, r.capture = mapping(), mapping()
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
