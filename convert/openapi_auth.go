package convert

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/openapi"
)

// security gives the step the credentials of the operation's first
// security alternative that can be translated (else its first): an OAuth
// 2.0 or bearer scheme becomes an auth profile the step names, a basic or
// API key scheme a header (or query parameter). When an alternative is
// empty, credentials are optional and none are sent.
func (oi *openAPIImport) security(r *reqSpec, op *openapi.Operation) (profile string, left []string) {
	if len(op.Security) == 0 || slices.ContainsFunc(op.Security, func(a openapi.SecurityRequirement) bool { return len(a) == 0 }) {
		return "", nil
	}
	alt := op.Security[0]
	if i := slices.IndexFunc(op.Security, oi.translatable); i >= 0 {
		alt = op.Security[i]
	}
	for _, req := range alt {
		s := oi.d.Scheme(req.Scheme)
		switch {
		case s == nil:
			left = append(left, fmt.Sprintf("security scheme %s is not defined", req.Scheme))
		case s.Type == "oauth2" || s.Type == "http" && s.Scheme == "bearer":
			if profile != "" {
				left = append(left, fmt.Sprintf("security scheme %s: a step uses one auth profile; add its token by hand", s.Name))
				continue
			}
			var l []string
			profile, l = oi.profile(op, s, req.Scopes)
			left = append(left, l...)
		case s.Type == "http" && s.Scheme == "basic":
			oi.credential("username", false)
			oi.credential("password", true)
			r.headers = append(r.headers, kv{"Authorization", str(`Basic {{ base64_encode(username + ":" + password) }}`)})
		case s.Type == "apiKey":
			v := varName(s.Name)
			oi.credential(v, true)
			switch s.In {
			case "query":
				r.query = append(r.query, kv{s.ParamName, str("{{ " + v + " }}")})
			case "cookie":
				r.headers = append(r.headers, kv{"Cookie", str(s.ParamName + "={{ " + v + " }}")})
			default:
				r.headers = append(r.headers, kv{s.ParamName, str("{{ " + v + " }}")})
			}
		default:
			left = append(left, fmt.Sprintf("security scheme %s (%s %s) is not supported: add its credentials by hand", s.Name, s.Type, s.Scheme))
		}
	}
	return profile, left
}

// translatable reports whether every scheme of a security requirement
// has a translation: OAuth 2.0 with the authorization code or client
// credentials flow, HTTP bearer or basic, or an API key.
func (oi *openAPIImport) translatable(alt openapi.SecurityRequirement) bool {
	for _, req := range alt {
		s := oi.d.Scheme(req.Scheme)
		switch {
		case s == nil:
			return false
		case s.Type == "oauth2":
			if !slices.ContainsFunc(s.Flows, func(f openapi.OAuthFlow) bool {
				return f.Grant == "authorizationCode" || f.Grant == "clientCredentials"
			}) {
				return false
			}
		case s.Type == "http" && (s.Scheme == "bearer" || s.Scheme == "basic"), s.Type == "apiKey":
		default:
			return false
		}
	}
	return true
}

// credential declares an empty variable to set on the command line,
// masked when secret.
func (oi *openAPIImport) credential(name string, secret bool) {
	if !oi.b.hasVar(name) {
		oi.b.setVar(name, str(""), "set it with --var "+name+"=… or --env-file")
	}
	if secret {
		oi.b.secret(name)
	}
}

// grants maps OAuth 2.0 flows to the auth profile grants, in order of
// preference.
var grants = []struct{ flow, grant string }{
	{"authorizationCode", "authorization_code"},
	{"clientCredentials", "client_credentials"},
}

// profile returns the name of the auth profile of a scheme, adding it the
// first time:
// the authorization code or client credentials flow of an OAuth 2.0
// scheme, or a bearer token. Later operations add the scopes they need.
func (oi *openAPIImport) profile(op *openapi.Operation, s *openapi.SecurityScheme, scopes []string) (string, []string) {
	name := varName(s.Name)
	if prof, done := oi.profiles[s.Name]; done {
		addScopes(prof, scopes)
		return name, nil
	}
	if oi.auth == nil {
		oi.auth = mapping()
	}
	p := mapping()
	add(oi.auth, name, p)
	var flow *openapi.OAuthFlow
	grant := ""
	for _, g := range grants {
		for i := range s.Flows {
			if flow == nil && s.Flows[i].Grant == g.flow {
				flow, grant = &s.Flows[i], g.grant
			}
		}
	}
	var left []string
	if s.Type == "oauth2" && flow == nil {
		left = append(left, fmt.Sprintf("security scheme %s: auth profiles do not run the OAuth 2.0 %s flow; set the token with --var", s.Name, flowNames(s.Flows)))
	}
	if flow == nil {
		v := name + "_token"
		oi.credential(v, true)
		add(p, "grant", str("bearer"))
		add(p, "token", str("{{ "+v+" }}"))
		oi.profiles[s.Name] = nil
		return name, left
	}
	add(p, "grant", str(grant))
	if grant == "authorization_code" {
		add(p, "authorize_url", str(oi.absolute(op, flow.AuthorizationURL)))
	}
	add(p, "token_url", str(oi.absolute(op, flow.TokenURL)))
	prefix := ""
	if len(oi.profiles) > 0 {
		prefix = name + "_"
	}
	oi.credential(prefix+"client_id", false)
	oi.credential(prefix+"client_secret", true)
	add(p, "client_id", str("{{ "+prefix+"client_id }}"))
	add(p, "client_secret", str("{{ "+prefix+"client_secret }}"))
	addScopes(p, scopes)
	oi.profiles[s.Name] = p
	return name, left
}

// flowNames lists the flows of a scheme.
func flowNames(flows []openapi.OAuthFlow) string {
	names := make([]string, len(flows))
	for i, f := range flows {
		names[i] = f.Grant
	}
	return strings.Join(names, ", ")
}

// addScopes adds the scopes missing from the profile p's space-separated
// scope.
func addScopes(p *yaml.Node, scopes []string) {
	if p == nil || len(scopes) == 0 {
		return
	}
	n := get(p, "scope")
	if n == nil {
		n = str("")
		add(p, "scope", n)
	}
	have := strings.Fields(n.Value)
	for _, s := range scopes {
		if !slices.Contains(have, s) {
			have = append(have, s)
		}
	}
	n.Value = strings.Join(have, " ")
	NormalizeQuoting(n)
}

// absolute makes a relative OAuth URL absolute under the operation's
// base URL.
func (oi *openAPIImport) absolute(op *openapi.Operation, u string) string {
	if strings.Contains(u, "://") {
		return u
	}
	return oi.base(op) + "/" + strings.TrimPrefix(u, "/")
}
