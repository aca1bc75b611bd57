package convert

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/collections"
)

// oobRedirectURI is the out-of-band redirect URI, for which the server
// shows the code on a page.
const oobRedirectURI = "urn:ietf:wg:oauth:2.0:oob"

// azCodeXPath finds the code on an out-of-band page (Doorkeeper's, which
// Procore and the sandbox show).
const azCodeXPath = "//code[@id='authorization_code']"

// azAuthorize is what an authorization request is made of.
type azAuthorize struct {
	url, clientID, redirectURI, scope *collections.Template
	pkce                              bool
}

// authorizeStep writes an authorize step: a step that calls the
// authorization endpoint and reads the code from the out-of-band page it
// is redirected to.
func (x *azExporter) authorizeStep(s *collections.Step) {
	a := s.Authorize()
	id := x.stepID(s.Name)
	n, ok := x.authorizeNode(id, s.Name, azAuthorize{a.URL, a.ClientID, a.RedirectURI, a.Scope, a.PKCE})
	if !ok {
		return
	}
	x.flowNotes(s)
	if s.Expect != nil {
		x.note(s.Name, "the checks of an authorize step are not exported")
	}
	out := mapping()
	for _, cp := range s.Captures {
		if cp.Source != collections.FromJSON || cp.Path != "code" {
			x.note(s.Name, fmt.Sprintf("capture %s of the grant has no Arazzo form; only the code does", cp.Name))
			continue
		}
		add(out, cp.Name, x.codeSelector())
		x.names[cp.Name] = azRef{expr: "$steps." + id + ".outputs." + cp.Name}
	}
	if len(out.Content) > 0 {
		add(n, "outputs", out)
	}
	if len(x.stepNotes) > 0 {
		n.HeadComment = "note: " + strings.Join(x.stepNotes, "\nnote: ")
	}
	x.steps = append(x.steps, n)
}

// codeSelector reads the code from the out-of-band page.
func (x *azExporter) codeSelector() *yaml.Node { return x.xpathSelector(azCodeXPath) }

// xpathSelector reads the body with an XPath expression: a Selector
// Object, which needs Arazzo 1.1.
func (x *azExporter) xpathSelector(query string) *yaml.Node {
	if x.minor == 0 {
		x.minor = 1
		x.note("", "the document is Arazzo 1.1.0: it reads values with XPath Selector Objects (authorize steps read the code that way)")
	}
	sel := mapping()
	add(sel, "context", str("$response.body"))
	add(sel, "selector", str(query))
	add(sel, "type", str("xpath"))
	return sel
}

// authorizeNode writes the step that asks for an authorization code, with
// its criteria: the page with the code was reached.
func (x *azExporter) authorizeNode(id, name string, a azAuthorize) (*yaml.Node, bool) {
	call, ok := x.call("GET", a.url, name)
	if !ok {
		return nil, false
	}
	params := []struct {
		name string
		t    *collections.Template
	}{{"client_id", a.clientID}, {"redirect_uri", a.redirectURI}, {"scope", a.scope}}
	call.params = append(call.params, azParam{"query", "response_type", str("code")})
	for _, p := range params {
		if p.t != nil {
			v, _ := x.text(p.t, name)
			call.params = append(call.params, azParam{"query", p.name, str(v)})
		}
	}
	if uri, ok := x.staticText(a.redirectURI, 0); !ok || uri != oobRedirectURI {
		x.note(name, "the code is read from the out-of-band page: this works with the redirect URI "+oobRedirectURI+" only")
	}
	if a.pkce {
		x.note(name, "PKCE has no Arazzo form: the request has no code challenge")
	}
	x.note(name, "the client that runs the document must follow redirects, and the server approve at once (as the sandbox does)")
	key, target, ok := x.operation(call, name, "", []string{"200", "302"})
	if !ok {
		return nil, false
	}
	n := x.stepNode(id, name, key, target, call.params)
	crit := sequence()
	crit.Content = append(crit.Content, simpleCriterion("$statusCode == 200"))
	xp := flowMapping()
	add(xp, "context", str("$response.body"))
	add(xp, "condition", str(azCodeXPath))
	add(xp, "type", str("xpath"))
	crit.Content = append(crit.Content, xp)
	add(n, "successCriteria", crit)
	return n, true
}

// profileToken returns the Authorization value of the auth profile name,
// writing first the steps that get its token.
func (x *azExporter) profileToken(name, step string) (string, bool) {
	if v, ok := x.profiles[name]; ok {
		return v, true
	}
	p := x.c.Profile(name)
	if p == nil {
		return "", false
	}
	saved := x.stepNotes
	x.stepNotes = nil
	defer func() { x.stepNotes = saved }()
	var value string
	switch p.Grant {
	case "bearer":
		tok, whole := x.text(p.Token, step)
		value = "Bearer " + tok
		if whole {
			value = "Bearer {" + tok + "}"
		}
	case "client_credentials", "refresh_token", "authorization_code":
		id, ok := x.profileSteps(p)
		if !ok {
			return "", false
		}
		value = "Bearer {$steps." + id + ".outputs.access_token}"
		x.notes = append(x.notes, Note{Step: step, Text: fmt.Sprintf("auth profile %s: its token is fetched once, by the step %s; callsheet's token cache and refresh have no Arazzo form", name, id)})
	default:
		return "", false
	}
	x.profiles[name] = value
	return value, true
}

// profileSteps writes the steps that get a profile's token and returns
// the id of the one that gets it.
func (x *azExporter) profileSteps(p *collections.AuthProfile) (string, bool) {
	fields := mapping()
	add(fields, "grant_type", str(p.Grant))
	switch p.Grant {
	case "authorization_code":
		authName := p.Name + " authorize"
		authID := x.stepID(authName)
		n, ok := x.authorizeNode(authID, authName, azAuthorize{p.AuthorizeURL, p.ClientID, p.RedirectURI, p.Scope, p.PKCE})
		if !ok {
			return "", false
		}
		out := mapping()
		add(out, "code", x.codeSelector())
		add(n, "outputs", out)
		x.steps = append(x.steps, n)
		add(fields, "code", str("$steps."+authID+".outputs.code"))
		x.addField(fields, "redirect_uri", p.RedirectURI, p.Name)
	case "refresh_token":
		x.addField(fields, "refresh_token", p.RefreshToken, p.Name)
	}
	x.addField(fields, "client_id", p.ClientID, p.Name)
	x.addField(fields, "client_secret", p.ClientSecret, p.Name)
	if p.Grant == "client_credentials" {
		x.addField(fields, "scope", p.Scope, p.Name)
	}
	if p.ClientAuth == "basic" {
		x.note(p.Name+" token", "basic client authentication has no Arazzo form: the client credentials go in the body")
	}
	return x.tokenStep(p, fields)
}

// addField adds a form field from a template, when it is set.
func (x *azExporter) addField(m *yaml.Node, key string, t *collections.Template, step string) {
	if t != nil {
		v, _ := x.text(t, step)
		add(m, key, str(v))
	}
}

// tokenStep writes the step that posts a profile's grant to its token URL
// and outputs the access token.
func (x *azExporter) tokenStep(p *collections.AuthProfile, fields *yaml.Node) (string, bool) {
	name := p.Name + " token"
	call, ok := x.call("POST", p.TokenURL, name)
	if !ok {
		return "", false
	}
	ct := "application/x-www-form-urlencoded"
	key, target, ok := x.operation(call, name, ct, []string{"200"})
	if !ok {
		return "", false
	}
	id := x.stepID(name)
	n := x.stepNode(id, name, key, target, call.params)
	rb := mapping()
	add(rb, "contentType", str(ct))
	add(rb, "payload", fields)
	add(n, "requestBody", rb)
	crit := sequence()
	crit.Content = append(crit.Content, simpleCriterion("$statusCode == 200"))
	add(n, "successCriteria", crit)
	out := mapping()
	add(out, "access_token", str("$response.body#/access_token"))
	add(n, "outputs", out)
	x.steps = append(x.steps, n)
	return id, true
}
