package openapi

import "gopkg.in/yaml.v3"

// Description is a loaded OpenAPI description: its operations in document
// order, with what each documents, and where each element is written. It
// is read-only once loaded, and safe for concurrent use.
type Description struct {
	// File is the root file, as positions name it.
	File string
	// Version is the openapi (3.0.x, 3.1.x) or swagger (2.0) field.
	Version string
	// Title, APIVersion and Description are from info.
	Title       string
	APIVersion  string
	Description string
	Tags        []Tag
	// Servers are the description's servers; operations may override
	// them (Operation.Servers). Swagger 2.0's host, basePath and schemes
	// become one server per scheme.
	Servers         []Server
	SecuritySchemes []*SecurityScheme
	Operations      []*Operation

	src  *source
	byID map[string]*Operation
}

// Tag is an entry of the description's tags list.
type Tag struct {
	Name, Description string
}

// Server is a base URL operations are served from. Its URL may hold
// {variables}.
type Server struct {
	URL         string
	Description string
	Variables   []ServerVariable
}

// ServerVariable is a {name} in a server URL.
type ServerVariable struct {
	Name, Default, Description string
	Enum                       []string
}

// Operation is a method on a path.
type Operation struct {
	// Method is upper case: GET, POST…
	Method string
	// Path is the path template as written, such as /pets/{petId}.
	Path        string
	ID          string // operationId; may be empty
	Summary     string
	Tags        []string
	Deprecated  bool
	Servers     []Server     // those that apply to this operation
	Parameters  []*Parameter // the path's and the operation's; the operation's win
	RequestBody *RequestBody // nil when no body is documented
	Responses   []*Response  // in document order
	// Security lists alternatives: meeting any one is enough. Nil means
	// the operation needs no credentials, and an empty alternative that
	// they are optional.
	Security []SecurityRequirement
	Loc      Location

	at       ref
	template *pathTemplate
}

// Parameter is a path, query, header or cookie parameter.
type Parameter struct {
	Name     string
	In       string // path, query, header or cookie
	Required bool
	Loc      Location

	schema  *node // nil when the parameter has no schema
	example node  // written in the description, if ok
	// explode is true when an array in the query repeats the name
	// (form style, the default).
	explode bool
}

// RequestBody is the documented request body.
type RequestBody struct {
	Required bool
	Content  []*MediaType
	Loc      Location
}

// Response is a documented response.
type Response struct {
	// Status is as written: 200, 2XX or default.
	Status      string
	Description string
	Headers     []*Header
	Content     []*MediaType
	Loc         Location
}

// Header is a documented response header.
type Header struct {
	Name     string
	Required bool
	Loc      Location

	schema *node
}

// MediaType is a documented content type of a body and its schema.
type MediaType struct {
	// Type is the media type as written, such as application/json.
	Type string
	Loc  Location

	schema  *node
	example node
}

// SecurityScheme is an entry of components.securitySchemes (Swagger 2.0:
// securityDefinitions).
type SecurityScheme struct {
	Name string
	// Type is http, apiKey, oauth2 or openIdConnect.
	Type string
	// Scheme is the HTTP scheme of type http, such as basic or bearer.
	Scheme      string
	Description string
	// In (header, query or cookie) and ParamName say where an apiKey goes.
	In, ParamName string
	// Flows are the OAuth 2.0 flows of type oauth2, in document order.
	Flows []OAuthFlow
	// OpenIDConnectURL is the discovery document of type openIdConnect.
	OpenIDConnectURL string
	Loc              Location
}

// OAuthFlow is one OAuth 2.0 flow of a security scheme.
type OAuthFlow struct {
	// Grant is authorizationCode, clientCredentials, password or implicit.
	Grant                                  string
	AuthorizationURL, TokenURL, RefreshURL string
	Scopes                                 []string
}

// SecurityRequirement is a set of schemes that must all be used.
type SecurityRequirement []SchemeRequirement

// SchemeRequirement names a security scheme and the scopes it needs.
type SchemeRequirement struct {
	Scheme string
	Scopes []string
}

// Operation returns the operation with the operationId id, or nil.
func (d *Description) Operation(id string) *Operation { return d.byID[id] }

// Scheme returns the security scheme called name, or nil.
func (d *Description) Scheme(name string) *SecurityScheme {
	for _, s := range d.SecuritySchemes {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Example returns the parameter's example as a YAML value: the one the
// description writes, else one made from its schema. written reports
// which.
func (d *Description) Example(p *Parameter) (value *yaml.Node, written bool) {
	if p.example.ok() {
		return copyNode(p.example.n), true
	}
	return d.sample(p.schema), false
}

// BodyExample returns an example body of the media type: the one the
// description writes, else one made from its schema. Properties that are
// readOnly are left out of made examples.
func (d *Description) BodyExample(m *MediaType) (value *yaml.Node, written bool) {
	if m.example.ok() {
		return copyNode(m.example.n), true
	}
	return d.sample(m.schema), false
}

// HasSchema reports whether the media type documents a schema.
func (m *MediaType) HasSchema() bool { return m.schema != nil }
