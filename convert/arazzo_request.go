package convert

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/lazyregexp"
)

// azBoundary separates the parts of multipart bodies, which Arazzo
// payloads write as text.
const azBoundary = "callsheet-arazzo-boundary"

// step writes one step of the collection.
func (x *azExporter) step(s *collections.Step) {
	x.stepNotes = nil
	switch {
	case s.Include() != nil:
		x.note(s.Name, "include: is not exported: export the included collection on its own")
		return
	case s.Fail() != nil:
		x.note(s.Name, "fail: is not exported: Arazzo steps call operations")
		return
	case s.Authorize() != nil:
		x.authorizeStep(s)
	case s.Request() != nil:
		x.requestStep(s)
	}
}

// azParam is a parameter of a step: where it goes, its name and value.
type azParam struct {
	in, name string
	value    *yaml.Node
}

// azCall is what a request step calls: the source its URL starts with,
// the method and path template, and the parameters the URL holds.
type azCall struct {
	source *azSource
	method string
	path   string
	params []azParam
}

// requestStep writes a step that sends a request.
func (x *azExporter) requestStep(s *collections.Step) {
	call, ok := x.call(s.Request().Method, s.Request().URL, s.Name)
	if !ok {
		return
	}
	for _, q := range s.Request().Query {
		call.params = append(call.params, azParam{"query", q.Key, x.paramValue(q.Value, s.Name)})
	}
	body, contentType := x.body(s.Request(), s.Name)
	call.params = append(call.params, x.headers(s, body != nil)...)
	if s.Auth != "" {
		if value, ok := x.profileToken(s.Auth, s.Name); ok {
			call.params = append(call.params, azParam{"header", "Authorization", str(value)})
		}
	}
	call.params = x.mergeParams(call.params, s.Name)
	key, target, ok := x.operation(call, s.Name, contentType, azStatuses(s.Expect))
	if !ok {
		return
	}
	x.flowNotes(s)
	id := x.stepID(s.Name)
	n := x.stepNode(id, s.Name, key, target, call.params)
	if body != nil {
		rb := mapping()
		add(rb, "contentType", str(contentType))
		add(rb, "payload", body)
		add(n, "requestBody", rb)
	}
	x.finishStep(n, id, s)
}

// stepNode starts the node of a step that calls an operation: its id,
// its description, the operation and the parameters.
func (x *azExporter) stepNode(id, name, key, target string, params []azParam) *yaml.Node {
	n := mapping()
	add(n, "stepId", str(id))
	if id != name {
		add(n, "description", str(name))
	}
	add(n, key, str(target))
	if len(params) > 0 {
		ps := sequence()
		for _, p := range params {
			pn := flowMapping()
			add(pn, "name", str(p.name))
			add(pn, "in", str(p.in))
			add(pn, "value", p.value)
			ps.Content = append(ps.Content, pn)
		}
		add(n, "parameters", ps)
	}
	return n
}

// finishStep adds a step's criteria, actions and outputs, the comment
// with its notes, and records its captures for the steps after it.
func (x *azExporter) finishStep(n *yaml.Node, id string, s *collections.Step) {
	if crit := x.criteria(s); len(crit.Content) > 0 {
		add(n, "successCriteria", crit)
	}
	if r := s.Flow.Retry; r != nil && s.Flow.Until == nil {
		a := flowMapping()
		add(a, "name", str("retry"))
		add(a, "type", str("retry"))
		add(a, "retryAfter", scalar(r.Interval.Seconds()))
		add(a, "retryLimit", scalar(int64(r.Count)))
		add(n, "onFailure", &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{a}})
	}
	if out := x.captures(s, id); len(out.Content) > 0 {
		add(n, "outputs", out)
	}
	if len(x.stepNotes) > 0 {
		n.HeadComment = "note: " + strings.Join(x.stepNotes, "\nnote: ")
	}
	x.steps = append(x.steps, n)
}

// flowNotes notes the control flow Arazzo has no form for.
func (x *azExporter) flowNotes(s *collections.Step) {
	f := s.Flow
	for _, c := range []struct {
		set  bool
		text string
	}{
		{s.If != nil, "if: has no Arazzo form: the step always runs"},
		{f.Delay > 0, "delay: has no Arazzo form"},
		{f.Iterates(), "repeat: and for_each: have no Arazzo form: the step runs once"},
		{f.Until != nil, "until: has no Arazzo form: the step runs once"},
		{f.Retry != nil && f.Until == nil && f.Retry.Backoff != 0 && f.Retry.Backoff != 1, "retry backoff has no Arazzo form: retries wait the same interval"},
		{s.Request() != nil && s.Request().Timeout > 0, "timeout: has no Arazzo 1.0 form"},
		{s.Request() != nil && s.Request().FollowRedirects != nil && !*s.Request().FollowRedirects, "follow_redirects: false is up to the client that runs the document"},
	} {
		if c.set {
			x.note(s.Name, c.text)
		}
	}
}

// azOriginRE splits a literal URL into its scheme and host, and the rest.
var azOriginRE = lazyregexp.New(`^([A-Za-z][A-Za-z0-9+.-]*://[^/?#]*)(.*)$`)

// call splits a URL into the source it starts with (a variable, or a
// literal scheme and host), the path template (expressions in it become
// path parameters) and the query parameters written in it.
func (x *azExporter) call(method string, u *collections.Template, step string) (*azCall, bool) {
	parts := x.expandHead(u.Parts)
	var src *azSource
	switch {
	case len(parts) > 0 && parts[0].Expr != nil && parts[0].Expr.IsName() && x.isVar(parts[0].Expr.Source):
		src = x.varSource(parts[0].Expr.Source, step)
		parts = parts[1:]
	case len(parts) > 0 && parts[0].Expr == nil && azOriginRE.MatchString(parts[0].Literal):
		m := azOriginRE.FindStringSubmatch(parts[0].Literal)
		src = x.source(azInputName(strings.SplitN(m[1], "://", 2)[1]), m[1])
		parts = append([]collections.Part{{Literal: m[2]}}, parts[1:]...)
	default:
		x.note(step, fmt.Sprintf("the URL %s does not start with a variable or a host, so it names no operation: the step is not exported", u.Raw))
		return nil, false
	}
	c := &azCall{source: src, method: method}
	query := x.splitPath(c, parts, step)
	c.params = append(c.params, x.urlQuery(query, step)...)
	if !strings.HasPrefix(c.path, "/") {
		c.path = "/" + c.path
	}
	return c, true
}

// expandHead replaces a var made of other vars at the start of a URL by
// its template, so that URLs start with the variable (or host) they are
// built on.
func (x *azExporter) expandHead(parts []collections.Part) []collections.Part {
	for i := 0; i < 32 && len(parts) > 0 && parts[0].Expr != nil && parts[0].Expr.IsName(); i++ {
		ref := x.names[parts[0].Expr.Source]
		if ref.derived == nil {
			break
		}
		parts = append(slices.Clone(ref.derived.Parts), parts[1:]...)
	}
	return parts
}

// isVar reports whether a name is a variable (of the collection, or
// defined outside it) rather than a capture.
func (x *azExporter) isVar(name string) bool {
	ref, ok := x.names[name]
	return !ok || ref.input != nil || ref.derived != nil
}

// splitPath reads the path of a URL into c, and returns the parts of its
// query.
func (x *azExporter) splitPath(c *azCall, parts []collections.Part, step string) []collections.Part {
	var path strings.Builder
	var query []collections.Part
	for i, p := range parts {
		if p.Expr == nil {
			before, after, found := strings.Cut(p.Literal, "?")
			for _, piece := range x.literalPieces(before) {
				if piece.expr == "" {
					path.WriteString(piece.lit)
					continue
				}
				name := strings.TrimPrefix(piece.expr, "$inputs.")
				path.WriteString("{" + name + "}")
				c.params = append(c.params, azParam{"path", name, str(piece.expr)})
			}
			if found {
				query = append([]collections.Part{{Literal: after}}, parts[i+1:]...)
				break
			}
			continue
		}
		name := azInputName(p.Expr.Source)
		path.WriteString("{" + name + "}")
		c.params = append(c.params, azParam{"path", name, x.exprNode(p.Expr, step)})
	}
	c.path = path.String()
	if strings.Contains(c.path, "#") {
		x.note(step, "the URL's fragment is not sent")
		c.path, _, _ = strings.Cut(c.path, "#")
	}
	return query
}

// exprNode is the value of one expression as a parameter value.
func (x *azExporter) exprNode(e *collections.Expr, step string) *yaml.Node {
	t := &collections.Template{Parts: []collections.Part{{Expr: e}}}
	s, _ := x.text(t, step)
	return str(s)
}

// urlQuery reads the query written in a URL: name=value pairs split at &,
// whose values may hold expressions.
func (x *azExporter) urlQuery(parts []collections.Part, step string) []azParam {
	var out []azParam
	var name string
	var value []collections.Part
	inValue := false
	flush := func() {
		if name != "" || len(value) > 0 {
			s, _ := x.text(&collections.Template{Parts: value}, step)
			out = append(out, azParam{"query", name, str(s)})
		}
		name, value, inValue = "", nil, false
	}
	for _, p := range parts {
		if p.Expr != nil {
			if !inValue {
				x.note(step, fmt.Sprintf("the query name {{ %s }} has no Arazzo form", p.Expr.Source))
				continue
			}
			value = append(value, p)
			continue
		}
		for i, pair := range strings.Split(p.Literal, "&") {
			if i > 0 {
				flush()
			}
			if !inValue {
				k, v, found := strings.Cut(pair, "=")
				name, inValue = azUnescape(k), found
				pair = v
			}
			if pair != "" {
				value = append(value, collections.Part{Literal: azUnescape(pair)})
			}
		}
	}
	flush()
	return out
}

func azUnescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// mergeParams joins parameters of the same name and location into one
// whose value is the list of their values, since Arazzo allows a
// parameter once: a query parameter then repeats its name, a header joins
// its values with commas.
func (x *azExporter) mergeParams(params []azParam, step string) []azParam {
	var out []azParam
	for _, p := range params {
		i := slices.IndexFunc(out, func(q azParam) bool {
			return q.in == p.in && (q.name == p.name || p.in == "header" && strings.EqualFold(q.name, p.name))
		})
		if i < 0 {
			out = append(out, p)
			continue
		}
		if out[i].value.Kind != yaml.SequenceNode {
			x.note(step, fmt.Sprintf("%s parameter %s is repeated: Arazzo sends its values together%s", p.in, p.name,
				map[bool]string{true: ", joined by commas in one field", false: ""}[p.in == "header"]))
			out[i].value = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Content: []*yaml.Node{out[i].value}}
		}
		out[i].value.Content = append(out[i].value.Content, p.value)
	}
	return out
}

// paramValue writes the value of a query parameter or header.
func (x *azExporter) paramValue(v *collections.Value, step string) *yaml.Node {
	return x.node(v, step)
}

// headers are the step's header parameters: the collection's default
// headers that the step does not set, then the step's. Content-Type goes
// with the body when there is one.
func (x *azExporter) headers(s *collections.Step, hasBody bool) []azParam {
	var out []azParam
	set := map[string]bool{}
	for _, h := range s.Request().Headers {
		set[strings.ToLower(h.Key)] = true
	}
	for _, h := range x.c.Defaults.Headers {
		if !set[strings.ToLower(h.Key)] {
			out = append(out, x.header(h, s.Name, hasBody)...)
		}
	}
	for _, h := range s.Request().Headers {
		out = append(out, x.header(h, s.Name, hasBody)...)
	}
	return out
}

func (x *azExporter) header(h *collections.KeyValue, step string, hasBody bool) []azParam {
	if hasBody && strings.EqualFold(h.Key, "Content-Type") {
		return nil
	}
	if h.Value.Kind == collections.KindList {
		x.note(step, fmt.Sprintf("header %s is a list: Arazzo sends its items joined by commas in one field", h.Key))
	}
	return []azParam{{"header", h.Key, x.paramValue(h.Value, step)}}
}

// body writes the request body as a payload and its content type.
func (x *azExporter) body(r *collections.Request, step string) (*yaml.Node, string) {
	b := r.Body
	if b == nil {
		return nil, ""
	}
	ct := ""
	for _, h := range r.Headers {
		if strings.EqualFold(h.Key, "Content-Type") && h.Value.Kind == collections.KindString && h.Value.Template.IsLiteral() {
			ct = h.Value.Template.Raw
		}
	}
	switch b.Kind {
	case collections.BodyJSON:
		return x.node(b.JSON, step), cmpOr(ct, "application/json")
	case collections.BodyForm:
		return x.formPayload(b.Fields, step), "application/x-www-form-urlencoded"
	case collections.BodyMultipart:
		return x.multipartPayload(b.Parts, step), "multipart/form-data; boundary=" + azBoundary
	}
	s, _ := x.text(b.Raw, step)
	return str(s), cmpOr(ct, "text/plain; charset=utf-8")
}

// formPayload writes form fields as an object; a repeated field becomes
// a list, which Arazzo sends as the name repeated.
func (x *azExporter) formPayload(fields []*collections.KeyValue, step string) *yaml.Node {
	n := mapping()
	for _, f := range fields {
		v := x.node(f.Value, step)
		prev := get(n, f.Key)
		switch {
		case prev == nil:
			add(n, f.Key, v)
		case prev.Kind == yaml.SequenceNode && f.Value.Kind != collections.KindList:
			prev.Content = append(prev.Content, v)
		default:
			x.note(step, fmt.Sprintf("form field %s is repeated: Arazzo sends its values together", f.Key))
			list := sequence()
			list.Content = append(list.Content, prev, v)
			for i := 0; i < len(n.Content); i += 2 {
				if n.Content[i].Value == f.Key {
					n.Content[i+1] = list
				}
			}
		}
	}
	return n
}

// multipartPayload writes the text parts of a multipart body as the text
// a multipart/form-data body is, with expressions embedded.
func (x *azExporter) multipartPayload(parts []*collections.MultipartPart, step string) *yaml.Node {
	var b strings.Builder
	for _, p := range parts {
		if p.File != nil {
			x.note(step, fmt.Sprintf("the file part %s is not exported: an Arazzo payload cannot read a file", p.Field))
			continue
		}
		values := []*collections.Value{p.Value}
		if p.Value != nil && p.Value.Kind == collections.KindList {
			values = p.Value.Items
		}
		for _, v := range values {
			b.WriteString("--" + azBoundary + "\r\n")
			b.WriteString(fmt.Sprintf("Content-Disposition: form-data; name=%q\r\n", p.Field))
			if p.ContentType != nil {
				b.WriteString("Content-Type: " + x.plainText(&collections.Value{Kind: collections.KindString, Template: p.ContentType}, step) + "\r\n")
			}
			for _, h := range p.Headers {
				b.WriteString(h.Key + ": " + x.plainText(h.Value, step) + "\r\n")
			}
			b.WriteString("\r\n" + x.plainText(v, step) + "\r\n")
		}
	}
	b.WriteString("--" + azBoundary + "--\r\n")
	return str(b.String())
}

// plainText writes a scalar value as text with {$…} expressions embedded.
func (x *azExporter) plainText(v *collections.Value, step string) string {
	if v == nil {
		return ""
	}
	if v.Kind != collections.KindString {
		return scalarText(v)
	}
	ps := x.pieces(v.Template, step, 0)
	var b strings.Builder
	for _, p := range ps {
		if p.expr != "" {
			b.WriteString("{" + p.expr + "}")
		} else {
			b.WriteString(p.lit)
		}
	}
	return b.String()
}
