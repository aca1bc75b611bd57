package openapi

import (
	"bytes"
	"cmp"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Checker checks requests and responses against a description. It holds
// every schema of the description compiled, so that each check is only
// a validation; it is read-only and safe for concurrent use. Make one per
// description and keep it for the run.
type Checker struct {
	d       *Description
	schemas map[ref]*jsonschema.Schema
	// origins are the places of schemas compiled on their own.
	origins map[string]ref
}

// NewChecker compiles the schemas of every operation's parameters,
// headers and bodies. A schema that does not compile is an error at its
// position.
func NewChecker(d *Description) (*Checker, error) {
	c := &Checker{d: d, schemas: map[ref]*jsonschema.Schema{}, origins: map[string]ref{}}
	sc := &schemaCompiler{src: d.src, docs: &schemaDocs{src: d.src, version: d.Version, values: map[string]any{}},
		comp: jsonschema.NewCompiler(), origins: c.origins}
	sc.comp.UseLoader(sc.docs)
	sc.comp.DefaultDraft(draftOf(d.Version, d.src.root(d.src.files[d.src.order[0]]).str("jsonSchemaDialect")))
	sc.comp.AssertFormat()
	for _, f := range openAPIFormats {
		sc.comp.RegisterFormat(f)
	}
	var errs ErrorList
	add := func(s *node) {
		if s == nil {
			return
		}
		r := s.ref()
		if _, done := c.schemas[r]; done {
			return
		}
		sch, err := sc.compile(r)
		if err != nil {
			errs = append(errs, sc.compileError(r, err))
		}
		c.schemas[r] = sch
	}
	for _, op := range d.Operations {
		for _, p := range op.Parameters {
			add(p.schema)
		}
		if op.RequestBody != nil {
			for _, m := range op.RequestBody.Content {
				add(m.schema)
			}
		}
		for _, r := range op.Responses {
			for _, h := range r.Headers {
				add(h.schema)
			}
			for _, m := range r.Content {
				add(m.schema)
			}
		}
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return c, nil
}

// Description returns the description the checker checks against.
func (c *Checker) Description() *Description { return c.d }

// Kind says what a violation is about.
type Kind int

// The kinds of violation.
const (
	// KindStatus: the status is not documented.
	KindStatus Kind = iota + 1
	// KindHeader: a required header is missing, or a header does not
	// match its schema.
	KindHeader
	// KindContentType: the Content-Type is not one documented.
	KindContentType
	// KindBody: the body is missing, not documented, not JSON, or does
	// not match its schema.
	KindBody
	// KindParameter: a required parameter is missing, or one does not
	// match its schema.
	KindParameter
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case KindStatus:
		return "status"
	case KindContentType:
		return "content type"
	case KindBody:
		return "body"
	case KindHeader:
		return "header"
	case KindParameter:
		return "parameter"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Violation is a way a request or response differs from the description.
type Violation struct {
	Kind Kind
	// Name is the header's name, or the parameter's location and name
	// (query company_id), for those kinds.
	Name string
	// Path is the JSON pointer of the offending value in the body (or in
	// the header or parameter value); empty for the whole.
	Path string
	// Schema is where the description says otherwise: the schema keyword
	// that failed, or the element that documents what is missing.
	Schema  Location
	Message string
}

// String formats the violation on one line, with the description's
// location last.
func (v Violation) String() string {
	var b strings.Builder
	b.WriteString(v.Kind.String())
	if v.Name != "" {
		b.WriteString(" " + v.Name)
	}
	if v.Path != "" {
		b.WriteString(" at " + v.Path)
	}
	fmt.Fprintf(&b, ": %s (%s %s)", v.Message, v.Schema, "#"+v.Schema.Pointer)
	return b.String()
}

// CheckResponse checks a response to the matched operation: its status is
// documented, its documented headers are there and valid, its Content-Type
// is documented, and its body matches the schema. A writeOnly property
// may be missing even when required. The violations are sorted by kind
// and path.
func (c *Checker) CheckResponse(m *Match, status int, header http.Header, body []byte) []Violation {
	op := m.Operation
	r := documented(op.Responses, status)
	if r == nil {
		codes := make([]string, len(op.Responses))
		for i, r := range op.Responses {
			codes[i] = r.Status
		}
		return []Violation{{Kind: KindStatus, Schema: c.d.src.locate(ref{op.at.file, op.at.ptr + "/responses"}),
			Message: fmt.Sprintf("status %d is not documented (documented: %s)", status, strings.Join(codes, ", "))}}
	}
	var out []Violation
	for _, h := range r.Headers {
		if strings.EqualFold(h.Name, "Content-Type") {
			continue
		}
		out = append(out, c.headerValue(h, header.Values(h.Name))...)
	}
	noBody := op.Method == http.MethodHead || status == http.StatusNoContent || status == http.StatusNotModified
	if !noBody {
		out = append(out, c.body(fmt.Sprintf("status %s", r.Status), r.Loc, r.Content, header, body, false)...)
	}
	sortViolations(out)
	return out
}

// documented returns the response documented for status: its code, else
// its class (4XX), else default.
func documented(responses []*Response, status int) *Response {
	code, class := fmt.Sprint(status), fmt.Sprintf("%dXX", status/100)
	var byClass, byDefault *Response
	for _, r := range responses {
		switch {
		case r.Status == code:
			return r
		case strings.EqualFold(r.Status, class):
			byClass = r
		case r.Status == "default":
			byDefault = r
		}
	}
	return cmp.Or(byClass, byDefault)
}

// CheckRequest checks a request to the matched operation: its required
// parameters are there and every parameter matches its schema, and its
// body is documented and matches the schema (a readOnly property may be
// missing even when required). A server may accept what these find, so
// they are warnings.
func (c *Checker) CheckRequest(m *Match, u *url.URL, header http.Header, body []byte) []Violation {
	op := m.Operation
	var out []Violation
	query := u.Query()
	for _, p := range op.Parameters {
		var values []string
		switch p.In {
		case "path":
			if v, ok := m.Params[p.Name]; ok {
				values = []string{v}
			}
		case "query":
			values = query[p.Name]
		case "header":
			if isReservedHeader(p.Name) {
				continue
			}
			values = header.Values(p.Name)
		case "cookie":
			values = cookieValues(header, p.Name)
		}
		out = append(out, c.paramValue(p, values)...)
	}
	rb := op.RequestBody
	switch {
	case rb == nil && len(body) > 0:
		out = append(out, Violation{Kind: KindBody, Schema: op.Loc, Message: "the description documents no request body"})
	case rb != nil && len(body) == 0:
		if rb.Required {
			out = append(out, Violation{Kind: KindBody, Schema: rb.Loc, Message: "the request body is required"})
		}
	case rb != nil:
		out = append(out, c.body("the request", rb.Loc, rb.Content, header, body, true)...)
	}
	sortViolations(out)
	return out
}

// isReservedHeader reports whether OpenAPI ignores a header parameter of
// that name (Accept, Content-Type and Authorization are described
// elsewhere).
func isReservedHeader(name string) bool {
	return strings.EqualFold(name, "Accept") || strings.EqualFold(name, "Content-Type") || strings.EqualFold(name, "Authorization")
}

// cookieValues returns the values of the cookie name in a Cookie header.
func cookieValues(h http.Header, name string) []string {
	var out []string
	for _, ck := range (&http.Request{Header: h}).Cookies() {
		if ck.Name == name {
			out = append(out, ck.Value)
		}
	}
	return out
}

// body checks a body against the documented content: what describes the
// status or request, at loc. request says whether readOnly (rather than
// writeOnly) properties may be missing.
func (c *Checker) body(what string, loc Location, content []*MediaType, h http.Header, body []byte, request bool) []Violation {
	if len(content) == 0 {
		if len(body) == 0 {
			return nil
		}
		return []Violation{{Kind: KindBody, Schema: loc, Message: fmt.Sprintf("the description documents no body for %s", what)}}
	}
	types := make([]string, len(content))
	for i, m := range content {
		types[i] = m.Type
	}
	if len(body) == 0 {
		return []Violation{{Kind: KindBody, Schema: loc, Message: fmt.Sprintf("the body is empty; the description documents %s", strings.Join(types, ", "))}}
	}
	ct := h.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return []Violation{{Kind: KindContentType, Schema: loc, Message: fmt.Sprintf("Content-Type %q is not a media type; the description documents %s", ct, strings.Join(types, ", "))}}
	}
	m := mediaFor(content, mt)
	if m == nil {
		return []Violation{{Kind: KindContentType, Schema: loc, Message: fmt.Sprintf("Content-Type %s is not documented for %s (documented: %s)", mt, what, strings.Join(types, ", "))}}
	}
	if m.schema == nil || !isJSON(mt) {
		return nil
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return []Violation{{Kind: KindBody, Schema: m.Loc, Message: "the body is not valid JSON: " + err.Error()}}
	}
	return c.validate(KindBody, "", *m.schema, inst, request)
}

// mediaFor returns the documented media type that covers mt: the same
// type, else a type/* range, else */*.
func mediaFor(content []*MediaType, mt string) *MediaType {
	best, bestRank := (*MediaType)(nil), 0
	for _, m := range content {
		dt, _, err := mime.ParseMediaType(m.Type)
		if err != nil {
			dt = strings.ToLower(m.Type)
		}
		rank := 0
		switch {
		case dt == mt:
			rank = 3
		case strings.HasSuffix(dt, "/*") && strings.HasPrefix(mt, strings.TrimSuffix(dt, "*")):
			rank = 2
		case dt == "*/*":
			rank = 1
		}
		if rank > bestRank {
			best, bestRank = m, rank
		}
	}
	return best
}

// isJSON reports whether a media type is JSON: application/json or any
// type ending in +json.
func isJSON(mt string) bool {
	_, sub, _ := strings.Cut(mt, "/")
	return sub == "json" || strings.HasSuffix(sub, "+json")
}

// validate checks inst against the schema at s. The violations are of
// kind k, about name.
func (c *Checker) validate(k Kind, name string, s node, inst any, request bool) []Violation {
	sch := c.schemas[s.ref()]
	if sch == nil {
		return nil
	}
	err := sch.Validate(inst)
	if err == nil {
		return nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return []Violation{{Kind: k, Name: name, Schema: c.d.src.locate(s.ref()), Message: err.Error()}}
	}
	var out []Violation
	p := message.NewPrinter(language.English)
	leaves(ve, func(e *jsonschema.ValidationError) {
		msg := errorText(p, e)
		if req, ok := e.ErrorKind.(*kind.Required); ok {
			missing := c.required(e.SchemaURL, req.Missing, request)
			if len(missing) == 0 {
				return
			}
			msg = "required: missing property " + quoteList(missing)
			if len(missing) > 1 {
				msg = "required: missing properties " + quoteList(missing)
			}
		}
		r, _ := place(c.origins, e.SchemaURL)
		for _, tok := range e.ErrorKind.KeywordPath() {
			r.ptr += "/" + escapeToken(tok)
		}
		path := ""
		for _, tok := range e.InstanceLocation {
			path += "/" + escapeToken(tok)
		}
		out = append(out, Violation{Kind: k, Name: name, Path: path, Schema: c.d.src.locate(r), Message: msg})
	})
	return out
}

// leaves calls fn with each error of e that has no causes; a failed anyOf
// or oneOf is one error, not the failures of each alternative.
func leaves(e *jsonschema.ValidationError, fn func(*jsonschema.ValidationError)) {
	switch e.ErrorKind.(type) {
	case *kind.AnyOf, *kind.OneOf:
		fn(e)
		return
	}
	if len(e.Causes) == 0 {
		fn(e)
		return
	}
	for _, cause := range e.Causes {
		leaves(cause, fn)
	}
}

// required returns the missing properties that count: a readOnly
// property may be missing from a request, and a writeOnly one from a
// response.
func (c *Checker) required(schemaURL string, missing []string, request bool) []string {
	r, ok := place(c.origins, schemaURL)
	if !ok {
		return missing
	}
	f, err := c.d.src.open(r.file)
	if err != nil {
		return missing
	}
	obj, err := c.d.src.at(f, r.ptr)
	if err != nil {
		return missing
	}
	skip := "writeOnly"
	if request {
		skip = "readOnly"
	}
	var out []string
	for _, name := range missing {
		if p, err := c.d.src.deref(obj.key("properties").key(name)); err == nil && p.flag(skip) {
			continue
		}
		out = append(out, name)
	}
	return out
}

// errorText is the text of a validation error in English, starting with
// its keyword.
func errorText(p *message.Printer, e *jsonschema.ValidationError) string {
	msg := e.ErrorKind.LocalizedString(p)
	if kw := e.ErrorKind.KeywordPath(); len(kw) > 0 {
		last := kw[len(kw)-1]
		msg = last + ": " + strings.TrimPrefix(msg, last+": ")
	}
	return msg
}

// quoteList formats names as 'a', 'b'.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "'" + n + "'"
	}
	return strings.Join(q, ", ")
}

// sortViolations orders violations by kind, name and path.
func sortViolations(vs []Violation) {
	slices.SortStableFunc(vs, func(a, b Violation) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Path, b.Path))
	})
}
