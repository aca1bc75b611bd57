package openapi

import (
	"errors"
	"strings"
)

// methods are the operation keys of a path item, in the order they are
// read.
var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// builder reads the description's model from its source. A $ref that
// leads nowhere is an error at its position; checkRefs reports those
// before building, so the builder meets them only in odd documents.
type builder struct {
	src  *source
	d    *Description
	errs ErrorList
}

// deref follows n's $ref, recording an error and returning a node that is
// not ok when it leads nowhere.
func (b *builder) deref(n node) node {
	if !n.ok() {
		return n
	}
	out, err := b.src.deref(n)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			e = &Error{Location: b.src.locate(n.ref()), Msg: err.Error()}
		}
		b.errs = append(b.errs, e)
		return node{}
	}
	return out
}

// loc is the position of n.
func (b *builder) loc(n node) Location { return b.src.locate(n.ref()) }

// info reads the title, description and tags, common to every version.
func (b *builder) info(root node) {
	info := b.deref(root.key("info"))
	b.d.Title, b.d.APIVersion = info.str("title"), info.str("version")
	b.d.Description = info.str("description")
	for _, t := range root.key("tags").items() {
		t = b.deref(t)
		b.d.Tags = append(b.d.Tags, Tag{Name: t.str("name"), Description: t.str("description")})
	}
}

// build3 reads an OpenAPI 3.x description.
func (b *builder) build3(root node) {
	b.info(root)
	b.d.Servers = b.servers(root.key("servers"), nil)
	b.d.SecuritySchemes = b.securitySchemes3(b.deref(root.key("components")).key("securitySchemes"))
	security := b.security(root.key("security"))
	b.deref(root.key("paths")).pairs(func(p string, item node) {
		item = b.deref(item)
		servers := b.servers(item.key("servers"), b.d.Servers)
		params := b.parameters3(item.key("parameters"), nil)
		for _, m := range methods {
			on := item.key(m)
			if !on.ok() {
				continue
			}
			op := &Operation{
				Method: strings.ToUpper(m), Path: p, ID: on.str("operationId"), Summary: on.str("summary"),
				Tags: on.key("tags").strings(), Deprecated: on.flag("deprecated"),
				Servers: b.servers(on.key("servers"), servers), Parameters: b.parameters3(on.key("parameters"), params),
				Responses: b.responses3(on.key("responses")), Security: security,
				Loc: b.loc(on), at: on.ref(),
			}
			if s := on.key("security"); s.ok() {
				op.Security = b.security(s)
			}
			if rb := b.deref(on.key("requestBody")); rb.ok() {
				op.RequestBody = &RequestBody{Required: rb.flag("required"), Content: b.content(rb.key("content")), Loc: b.loc(rb)}
			}
			b.d.Operations = append(b.d.Operations, op)
		}
	})
}

// servers reads a servers list; when it is empty, the servers are
// inherited.
func (b *builder) servers(list node, inherited []Server) []Server {
	var out []Server
	for _, s := range list.items() {
		s = b.deref(s)
		srv := Server{URL: s.str("url"), Description: s.str("description")}
		s.key("variables").pairs(func(name string, v node) {
			srv.Variables = append(srv.Variables, ServerVariable{
				Name: name, Default: v.str("default"), Description: v.str("description"), Enum: v.key("enum").strings(),
			})
		})
		out = append(out, srv)
	}
	if len(out) == 0 {
		return inherited
	}
	return out
}

// parameters3 reads a parameters list over the inherited ones: a
// parameter with the same name and location replaces the inherited one.
func (b *builder) parameters3(list node, inherited []*Parameter) []*Parameter {
	out := append([]*Parameter(nil), inherited...)
	for _, pn := range list.items() {
		pn = b.deref(pn)
		if !pn.ok() {
			continue
		}
		p := &Parameter{Name: pn.str("name"), In: pn.str("in"), Required: pn.flag("required"), Loc: b.loc(pn)}
		if p.In == "path" {
			p.Required = true
		}
		p.explode = p.In == "query" || p.In == "cookie"
		if e := pn.key("explode"); e.ok() {
			p.explode = pn.flag("explode")
		}
		if s := pn.key("schema"); s.ok() {
			p.schema = &s
		}
		if c := b.content(pn.key("content")); len(c) > 0 {
			p.schema, p.example = c[0].schema, c[0].example
		}
		if ex := b.example(pn); ex.ok() {
			p.example = ex
		}
		out = replaceParameter(out, p)
	}
	return out
}

// replaceParameter puts p in list, replacing one of the same name and
// location.
func replaceParameter(list []*Parameter, p *Parameter) []*Parameter {
	for i, q := range list {
		if q.Name == p.Name && q.In == p.In {
			list[i] = p
			return list
		}
	}
	return append(list, p)
}

// example returns the example of a parameter or media type object: its
// example, else the value of its first examples entry.
func (b *builder) example(n node) node {
	if ex := n.key("example"); ex.ok() {
		return ex
	}
	var first node
	n.key("examples").pairs(func(_ string, ex node) {
		if !first.ok() {
			first = b.deref(ex).key("value")
		}
	})
	return first
}

// content reads a content mapping: media type → schema and example.
func (b *builder) content(n node) []*MediaType {
	var out []*MediaType
	n.pairs(func(mt string, m node) {
		media := &MediaType{Type: mt, Loc: b.loc(m), example: b.example(m)}
		if s := m.key("schema"); s.ok() {
			media.schema = &s
		}
		out = append(out, media)
	})
	return out
}

// responses3 reads an operation's responses, in document order.
func (b *builder) responses3(n node) []*Response {
	var out []*Response
	b.deref(n).pairs(func(status string, rn node) {
		r := &Response{Status: status, Loc: b.loc(rn)}
		rn = b.deref(rn)
		r.Description = rn.str("description")
		rn.key("headers").pairs(func(name string, hn node) {
			hn = b.deref(hn)
			h := &Header{Name: name, Required: hn.flag("required"), Loc: b.loc(hn)}
			if s := hn.key("schema"); s.ok() {
				h.schema = &s
			}
			if c := b.content(hn.key("content")); len(c) > 0 {
				h.schema = c[0].schema
			}
			r.Headers = append(r.Headers, h)
		})
		r.Content = b.content(rn.key("content"))
		out = append(out, r)
	})
	return out
}

// security reads a security requirement list. An empty list means no
// credentials; an empty requirement in it, that credentials are optional.
func (b *builder) security(n node) []SecurityRequirement {
	var out []SecurityRequirement
	for _, alt := range n.items() {
		req := SecurityRequirement{}
		alt.pairs(func(name string, scopes node) {
			req = append(req, SchemeRequirement{Scheme: name, Scopes: scopes.strings()})
		})
		out = append(out, req)
	}
	return out
}

// flows3 are the OAuth 2.0 flow keys of OpenAPI 3.
var flows3 = []string{"authorizationCode", "clientCredentials", "password", "implicit"}

// securitySchemes3 reads components.securitySchemes.
func (b *builder) securitySchemes3(n node) []*SecurityScheme {
	var out []*SecurityScheme
	n.pairs(func(name string, sn node) {
		sn = b.deref(sn)
		s := &SecurityScheme{
			Name: name, Type: sn.str("type"), Scheme: strings.ToLower(sn.str("scheme")), Description: sn.str("description"),
			In: sn.str("in"), ParamName: sn.str("name"), OpenIDConnectURL: sn.str("openIdConnectUrl"), Loc: b.loc(sn),
		}
		flows := sn.key("flows")
		for _, grant := range flows3 {
			if f := flows.key(grant); f.ok() {
				s.Flows = append(s.Flows, b.flow(grant, f))
			}
		}
		out = append(out, s)
	})
	return out
}

// flow reads an OAuth 2.0 flow object.
func (b *builder) flow(grant string, f node) OAuthFlow {
	fl := OAuthFlow{Grant: grant, AuthorizationURL: f.str("authorizationUrl"), TokenURL: f.str("tokenUrl"), RefreshURL: f.str("refreshUrl")}
	f.key("scopes").pairs(func(scope string, _ node) { fl.Scopes = append(fl.Scopes, scope) })
	return fl
}
