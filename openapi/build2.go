package openapi

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// build2 reads a Swagger 2.0 description. Its parts map to the model as
// OpenAPI 3 does: host, basePath and schemes become servers, a body
// parameter or formData parameters the request body (one media type per
// consumes entry), and a response schema one media type per produces
// entry. A parameter or header object holds its own schema.
func (b *builder) build2(root node) {
	b.info(root)
	b.d.Servers = servers2(root)
	b.d.SecuritySchemes = b.securitySchemes2(root.key("securityDefinitions"))
	security := b.security(root.key("security"))
	consumes, produces := mediaTypes2(root.key("consumes"), nil), mediaTypes2(root.key("produces"), nil)
	b.deref(root.key("paths")).pairs(func(p string, item node) {
		item = b.deref(item)
		params := item.key("parameters").items()
		for _, m := range methods {
			on := item.key(m)
			if !on.ok() {
				continue
			}
			op := &Operation{
				Method: strings.ToUpper(m), Path: p, ID: on.str("operationId"), Summary: on.str("summary"),
				Tags: on.key("tags").strings(), Deprecated: on.flag("deprecated"), Servers: b.d.Servers,
				Security: security, Loc: b.loc(on), at: on.ref(),
			}
			if s := on.key("security"); s.ok() {
				op.Security = b.security(s)
			}
			opConsumes := mediaTypes2(on.key("consumes"), consumes)
			b.parameters2(op, append(slices.Clip(params), on.key("parameters").items()...), opConsumes)
			op.Responses = b.responses2(on.key("responses"), mediaTypes2(on.key("produces"), produces))
			b.d.Operations = append(b.d.Operations, op)
		}
	})
}

// servers2 makes one server per scheme from host and basePath.
func servers2(root node) []Server {
	host, base := root.str("host"), root.str("basePath")
	if host == "" {
		if base == "" {
			return nil
		}
		return []Server{{URL: base}}
	}
	schemes := root.key("schemes").strings()
	if len(schemes) == 0 {
		schemes = []string{"https"}
	}
	out := make([]Server, len(schemes))
	for i, s := range schemes {
		out[i] = Server{URL: s + "://" + host + strings.TrimSuffix(base, "/")}
	}
	return out
}

// mediaTypes2 reads a consumes or produces list, else the inherited one,
// else application/json.
func mediaTypes2(n node, inherited []string) []string {
	if list := n.strings(); len(list) > 0 {
		return list
	}
	if inherited != nil {
		return inherited
	}
	return []string{"application/json"}
}

// parameters2 reads the parameters of an operation: the body and formData
// parameters become its request body.
func (b *builder) parameters2(op *Operation, list []node, consumes []string) {
	var form []node
	for _, pn := range list {
		pn = b.deref(pn)
		if !pn.ok() {
			continue
		}
		switch in := pn.str("in"); in {
		case "body":
			op.RequestBody = &RequestBody{Required: pn.flag("required"), Loc: b.loc(pn)}
			schema := pn.key("schema")
			for _, mt := range consumes {
				m := &MediaType{Type: mt, Loc: b.loc(pn), example: pn.key("x-example")}
				if schema.ok() {
					m.schema = &schema
				}
				op.RequestBody.Content = append(op.RequestBody.Content, m)
			}
		case "formData":
			form = append(form, pn)
		default:
			p := &Parameter{Name: pn.str("name"), In: in, Required: pn.flag("required") || in == "path", Loc: b.loc(pn),
				schema: &pn, example: pn.key("x-example"), explode: pn.str("collectionFormat") == "multi"}
			op.Parameters = replaceParameter(op.Parameters, p)
		}
	}
	if len(form) > 0 {
		op.RequestBody = b.formBody(form, consumes)
	}
}

// formBody makes the request body of formData parameters: a form, or a
// multipart body when the operation consumes one or sends a file. Its
// example holds each field's example.
func (b *builder) formBody(form []node, consumes []string) *RequestBody {
	mt := "application/x-www-form-urlencoded"
	example := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	required := false
	for _, f := range form {
		if f.str("type") == "file" || slices.Contains(consumes, "multipart/form-data") {
			mt = "multipart/form-data"
		}
		required = required || f.flag("required")
		value := f.key("x-example")
		v := value.n
		if !value.ok() {
			v = b.d.sample(&f)
		}
		example.Content = append(example.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: f.str("name")}, copyNode(v))
	}
	return &RequestBody{Required: required, Loc: b.loc(form[0]),
		Content: []*MediaType{{Type: mt, Loc: b.loc(form[0]), example: node{n: example}}}}
}

// responses2 reads an operation's responses.
func (b *builder) responses2(n node, produces []string) []*Response {
	var out []*Response
	b.deref(n).pairs(func(status string, rn node) {
		r := &Response{Status: status, Loc: b.loc(rn)}
		rn = b.deref(rn)
		r.Description = rn.str("description")
		rn.key("headers").pairs(func(name string, hn node) {
			r.Headers = append(r.Headers, &Header{Name: name, Loc: b.loc(hn), schema: &hn})
		})
		if schema := rn.key("schema"); schema.ok() {
			for _, mt := range produces {
				r.Content = append(r.Content, &MediaType{Type: mt, Loc: b.loc(schema), schema: &schema, example: rn.key("examples").key(mt)})
			}
		}
		out = append(out, r)
	})
	return out
}

// flows2 maps Swagger 2.0 OAuth flow names to OpenAPI 3's.
var flows2 = map[string]string{"accessCode": "authorizationCode", "application": "clientCredentials", "password": "password", "implicit": "implicit"}

// securitySchemes2 reads securityDefinitions.
func (b *builder) securitySchemes2(n node) []*SecurityScheme {
	var out []*SecurityScheme
	n.pairs(func(name string, sn node) {
		sn = b.deref(sn)
		s := &SecurityScheme{Name: name, Type: sn.str("type"), Description: sn.str("description"),
			In: sn.str("in"), ParamName: sn.str("name"), Loc: b.loc(sn)}
		switch s.Type {
		case "basic":
			s.Type, s.Scheme = "http", "basic"
		case "oauth2":
			s.Flows = []OAuthFlow{b.flow(flows2[sn.str("flow")], sn)}
		}
		out = append(out, s)
	})
	return out
}
