package convert

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
	"gopkg.in/yaml.v3"
)

// jsonName returns the "name" of a JSON document, or "".
func jsonName(data []byte) string {
	var v struct {
		Name string `json:"name"`
	}
	_ = json.Unmarshal(data, &v)
	return v.Name
}

// bruMethods are the blocks that hold a request's method and URL.
var bruMethods = []string{"get", "post", "put", "patch", "delete", "head", "options"}

// bruStep adds the step of one request file.
func (b *builder) bruStep(r *bruRequest) {
	name := b.uniqueName(r.name)
	method := bruMethod(r)
	if method == "" {
		b.note(name, r.file+": no method block (get {, post {…); skipped")
		return
	}
	req := b.bruRequestSpec(r, method, name)
	var left []string
	left = append(left, b.bruAuth(req, r, r.value(method, "auth"), name)...)
	left = append(left, b.bruBody(req, r, r.value(method, "body"), name)...)
	for _, v := range bruPairs(r.block("vars:pre-request")) {
		b.setVar(varName(v[0]), str(b.template(v[1], name)), "")
	}
	captures, scriptLeft := b.bruScripts(req, r, name)
	b.addStep(req.node(), name, captures, append(left, scriptLeft...))
}

// bruMethod is the method block of r (get, post…), "" when it has none.
func bruMethod(r *bruRequest) string {
	method := ""
	for _, m := range bruMethods {
		if r.block(m) != nil {
			method = m
		}
	}
	return method
}

// bruRequestSpec is the request of r: its URL with the path parameters
// filled in, its query and its headers.
func (b *builder) bruRequestSpec(r *bruRequest, method, name string) *reqSpec {
	rawURL := r.value(method, "url")
	for _, p := range bruPairs(r.block("params:path")) {
		rawURL = strings.ReplaceAll(rawURL, ":"+p[0], p[1])
	}
	base, _, _ := strings.Cut(rawURL, "?")
	req := &reqSpec{name: name, method: strings.ToUpper(method), url: b.template(pmEncode(base, false), name)}
	if q := r.block("params:query"); q != nil {
		for _, p := range q.pairs {
			req.query = append(req.query, kv{p[0], str(b.template(p[1], name))})
		}
	} else if strings.Contains(rawURL, "?") {
		req.url = b.template(pmEncode(rawURL, false), name)
	}
	for _, h := range bruPairs(r.block("headers")) {
		v := b.template(h[1], name)
		if strings.EqualFold(h[0], "Authorization") {
			v = b.authHeader(v)
		}
		req.headers = append(req.headers, kv{h[0], str(v)})
	}
	return req
}

// bruScripts translates r's scripts, post-response variables and asserts
// into req's checks and captures, and returns the captures and what was
// not translated, each line labelled with its block.
func (b *builder) bruScripts(req *reqSpec, r *bruRequest, name string) (captures, left []string) {
	req.expect, req.capture = mapping(), mapping()
	untranslated := 0
	add := func(out scriptOut, label string) {
		captures = append(captures, b.applyScript(req, out)...)
		for _, l := range out.left {
			left = append(left, label+": "+l)
		}
		untranslated += len(out.left)
	}
	for _, blk := range []string{"script:pre-request", "script:post-response", "tests"} {
		if bl := r.block(blk); bl != nil {
			add(b.translateScript(bl.text, blk, name), blk)
		}
	}
	add(b.bruVarsPost(r, name), "vars:post-response")
	add(b.bruAsserts(r, name), "assert")
	if untranslated > 0 {
		markUntranslated(req, untranslated)
	}
	return captures, left
}

// bruPairs returns a block's pairs; nil for no block.
func bruPairs(b *bruBlock) [][2]string {
	if b == nil {
		return nil
	}
	return b.pairs
}

// bruAuth adds the request's own auth; inherited auth is noted.
func (b *builder) bruAuth(req *reqSpec, r *bruRequest, mode, step string) []string {
	switch mode {
	case "", "none":
	case "bearer":
		req.headers = append(req.headers, kv{"Authorization", str("Bearer " + b.secretValue("token", b.template(r.value("auth:bearer", "token"), step)))})
	case "basic":
		user := b.template(r.value("auth:basic", "username"), step)
		pass := b.secretValue("password", b.template(r.value("auth:basic", "password"), step))
		req.headers = append(req.headers, kv{"Authorization", str(fmt.Sprintf(`Basic {{ base64_encode(%s + ":" + %s) }}`, exprOfTemplate(user), exprOfTemplate(pass)))})
	case "apikey":
		key, value := r.value("auth:apikey", "key"), b.secretValue("api_key", b.template(r.value("auth:apikey", "value"), step))
		if r.value("auth:apikey", "placement") == "queryparams" {
			req.query = append(req.query, kv{key, str(value)})
		} else {
			req.headers = append(req.headers, kv{key, str(value)})
		}
	default:
		return []string{fmt.Sprintf("auth %s is not translated; add its header by hand", mode)}
	}
	return nil
}

// bruBody sets the body of the mode the method block names.
func (b *builder) bruBody(req *reqSpec, r *bruRequest, mode, step string) []string {
	if mode == "" || mode == "none" {
		return nil
	}
	// The method block names the mode in camel case, the body block in
	// kebab case.
	if m, ok := map[string]string{"formUrlEncoded": "form-urlencoded", "multipartForm": "multipart-form"}[mode]; ok {
		mode = m
	}
	blk := r.block("body:" + mode)
	if blk == nil {
		return []string{fmt.Sprintf("body %s has no body:%s block", mode, mode)}
	}
	has := func(n string) bool { _, i := req.header(n); return i >= 0 }
	setType := func(ct string) {
		if !has("Content-Type") {
			req.headers = append(req.headers, kv{"Content-Type", str(ct)})
		}
	}
	switch mode {
	case "json", "text", "xml", "sparql":
		text := b.template(blk.text, step)
		req.raw = &text
		setType(map[string]string{"json": "application/json", "text": "text/plain", "xml": "application/xml", "sparql": "application/sparql-query"}[mode])
	case "form-urlencoded":
		for _, p := range blk.pairs {
			req.form = append(req.form, b.field(p[0], b.template(p[1], step)))
		}
	case "multipart-form":
		for _, p := range blk.pairs {
			if f, ok := strings.CutPrefix(p[1], "@file("); ok {
				req.parts = append(req.parts, partSpec{field: p[0], path: strings.TrimSuffix(f, ")")})
				continue
			}
			req.parts = append(req.parts, partSpec{field: p[0], value: b.field(p[0], b.template(p[1], step)).value})
		}
	default:
		return []string{fmt.Sprintf("body mode %s is not translated", mode)}
	}
	return nil
}

// bruExpr evaluates one JavaScript expression of a Bruno file.
func (s *script) bruExpr(src string) jsVal {
	prog, err := parser.ParseFile(nil, "", src, 0)
	if err != nil || len(prog.Body) != 1 {
		return jsVal{}
	}
	st, ok := prog.Body[0].(*ast.ExpressionStatement)
	if !ok {
		return jsVal{}
	}
	return s.eval(st.Expression)
}

// bruVarsPost translates vars:post-response (name: expression) into
// captures.
func (b *builder) bruVarsPost(r *bruRequest, step string) scriptOut {
	s := &script{b: b, step: step, scopes: []map[string]jsVal{{}}}
	for _, p := range bruPairs(r.block("vars:post-response")) {
		if node, ok := captureNode(s.bruExpr(p[1])); ok {
			s.out.captures = append(s.out.captures, pmCapture{name: varName(p[0]), node: node})
			s.done()
			continue
		}
		s.out.lines++
		s.out.left = append(s.out.left, p[0]+": "+p[1])
	}
	return s.out
}

// bruOps maps Bruno's assertion operators to predicates and whether they
// take an argument. It is built at first use: its nodes are normalized
// through the YAML encoder, work no other command should pay for at
// start-up.
var bruOps = sync.OnceValue(func() map[string]bruOp {
	return map[string]bruOp{
		"eq": {"eq", nil}, "neq": {"ne", nil}, "gt": {"gt", nil}, "gte": {"gte", nil}, "lt": {"lt", nil}, "lte": {"lte", nil},
		"in": {"one_of", nil}, "contains": {"contains", nil}, "notContains": {"not_contains", nil}, "length": {"length", nil},
		"matches": {"matches", nil}, "notMatches": {"not_matches", nil}, "startsWith": {"starts_with", nil}, "endsWith": {"ends_with", nil},
		"between": {"between", nil},
		"isEmpty": {"is_empty", boolNode(true)}, "isNotEmpty": {"is_empty", boolNode(false)}, "isNull": {"eq", scalar(nil)},
		"isUndefined": {"exists", boolNode(false)}, "isDefined": {"exists", boolNode(true)},
		"isNumber": {"type", str("number")}, "isString": {"type", str("string")}, "isBoolean": {"type", str("boolean")},
		"isArray": {"type", str("array")}, "isJson": {"type", str("object")},
	}
})

// bruOp is a Bruno assertion operator's predicate and its fixed argument,
// nil when the assertion takes one.
type bruOp struct {
	op    string
	value *yaml.Node
}

// bruAsserts translates the assert block: subject: operator argument.
func (b *builder) bruAsserts(r *bruRequest, step string) scriptOut {
	s := &script{b: b, step: step, scopes: []map[string]jsVal{{}}}
	for _, p := range bruPairs(r.block("assert")) {
		word, arg, _ := strings.Cut(strings.TrimSpace(p[1]), " ")
		spec, ok := bruOps()[word]
		value := spec.value
		if ok && value == nil {
			value, ok = bruArg(strings.TrimSpace(arg), word == "in" || word == "between")
		}
		subject := s.bruExpr(p[0])
		var c *check
		if ok {
			if word == "isTruthy" {
				c = truthy(subject)
			} else {
				c, ok = makeCheck(subject, spec.op, value)
			}
		}
		if !ok {
			s.out.lines++
			s.out.left = append(s.out.left, p[0]+": "+p[1])
			continue
		}
		s.out.checks = append(s.out.checks, c)
		s.done()
	}
	return s.out
}

// bruArg reads an assertion's argument: a JSON value (a number, a quoted
// string, true, false, null, or a list for in and between, where Bruno
// also accepts items separated by commas), else the text as a string.
func bruArg(text string, list bool) (*yaml.Node, bool) {
	if list && !strings.HasPrefix(text, "[") {
		text = "[" + text + "]"
	}
	if n, err := jsonNode(text, nil); err == nil {
		if list && n.Kind == yaml.SequenceNode {
			n.Style = yaml.FlowStyle
		}
		return n, true
	}
	if list || text == "" {
		return nil, false
	}
	return str(text), true
}
