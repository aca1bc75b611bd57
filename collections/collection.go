package collections

import (
	"regexp"
	"time"
)

// Collection is one loaded collection file: variables, defaults and the steps
// to run in order. Every field that came from the file carries its position.
type Collection struct {
	// Name is the collection's name (the file's base name when the file has none).
	Name string
	// Description is the collection's optional description.
	Description string
	// File is the path the collection was loaded from, as given to the loader.
	File string
	// Bundled is set for a collection built into the binary (LoadBundled),
	// whose File is not on the user's disk.
	Bundled bool
	// Source is the file's content, kept so errors can quote the line.
	Source []byte
	// Vars are the collection's variables in file order. A variable's value
	// may use earlier variables and env.NAME.
	Vars []*Var
	// Secrets names variables and captures whose values are masked in every
	// output.
	Secrets []string
	// secretPos are the positions of the Secrets entries.
	secretPos []Pos
	// Defaults apply to every request step.
	Defaults Defaults
	// Steps run in file order.
	Steps []*Step
	// Auth are the named auth profiles of the top-level auth: mapping.
	Auth []*AuthProfile
	// Finally are steps that always run after Steps, even after a failure,
	// for cleanup (flow.go).
	Finally []*Step
	// Load, when set, says how `callsheet load` runs the collection
	// (loadtest.go).
	Load *LoadTest
	// Tags label the collection for --tag.
	Tags []string
	// OpenAPI, when set, names the description every response is checked
	// against (openapi.go).
	OpenAPI *OpenAPI
}

// Var is one entry of the collection's vars mapping.
type Var struct {
	Pos   Pos
	Name  string
	Value *Value
}

// Defaults holds collection-wide request settings.
type Defaults struct {
	// Headers are sent with every request unless the step sets the same header.
	Headers []*KeyValue
	// Timeout is the per-request timeout; zero means the runner's default.
	Timeout time.Duration
}

// Step is one unit of a collection: an action with its checks, captures
// and control flow.
type Step struct {
	Pos  Pos
	Name string
	// namePos is the position of the name's value (the step's when unnamed).
	namePos Pos
	// Action is what the step does.
	Action Action
	// Expect holds the checks run against the response.
	Expect *Expect
	// Captures are evaluated, in order, after the checks.
	Captures []*Capture
	// If, when set, is evaluated before the step; a false result skips it.
	If *Expr
	// Auth names the auth profile whose token the request carries; empty
	// for none. AuthPos is the position of the name.
	Auth    string
	AuthPos Pos
	// Flow is the step's delay, retry, until, iterations and tags
	// (flow.go).
	Flow Flow
	// OpenAPI is the step's own openapi:, over the collection's; nil
	// when it has none (openapi.go).
	OpenAPI *OpenAPI
	// OperationID names the description's operation the response is
	// checked against, instead of the one its method and path match.
	OperationID    string
	OperationIDPos Pos
}

// Action is what a step does: send an HTTP request (*Request), obtain an
// authorization code (*Authorize), run another collection's steps
// (*Include) or stop the collection on purpose (*Fail).
type Action interface{ action() }

func (*Request) action()   {}
func (*Authorize) action() {}
func (*Include) action()   {}
func (*Fail) action()      {}

// Fail is a fail: step: it fails with its message and stops the
// collection, even under --continue; finally: steps still run.
type Fail struct {
	Pos     Pos
	Message *Template
}

// Request returns the step's HTTP request, or nil when its action is
// another.
func (s *Step) Request() *Request {
	r, _ := s.Action.(*Request)
	return r
}

// Authorize returns the step's authorization request, or nil when its
// action is another. Its result is exposed to captures as a JSON object
// {"code", "state", "code_verifier", "redirect_uri"}.
func (s *Step) Authorize() *Authorize {
	a, _ := s.Action.(*Authorize)
	return a
}

// Include returns the step's include:, or nil when its action is
// another.
func (s *Step) Include() *Include {
	inc, _ := s.Action.(*Include)
	return inc
}

// Fail returns the step's fail:, or nil when its action is another.
func (s *Step) Fail() *Fail {
	f, _ := s.Action.(*Fail)
	return f
}

// Request describes the HTTP request of a step.
type Request struct {
	// Method is upper case (GET, POST, …).
	Method    string
	MethodPos Pos
	URL       *Template
	// Query parameters are appended to the URL's own, in order.
	Query []*KeyValue
	// Headers are sent in order; a name may repeat.
	Headers []*KeyValue
	// Body is nil for requests without a body.
	Body *Body
	// Timeout overrides the collection and run timeout when non-zero.
	Timeout time.Duration
	// FollowRedirects is nil for the default (follow).
	FollowRedirects *bool
}

// KeyValue is an ordered name/value pair: a header, a query parameter or a
// form field. A value that renders to a list sends the name once per item.
type KeyValue struct {
	Pos   Pos
	Key   string
	Value *Value
}

// BodyKind tells how a request body is encoded.
type BodyKind int

// The body kinds.
const (
	// BodyJSON sends Body.JSON encoded as JSON (application/json).
	BodyJSON BodyKind = iota + 1
	// BodyForm sends Body.Fields urlencoded (application/x-www-form-urlencoded).
	BodyForm
	// BodyMultipart sends Body.Parts as multipart/form-data.
	BodyMultipart
	// BodyRaw sends Body.Raw as it is (text/plain unless a header says otherwise).
	BodyRaw
)

// String returns the YAML key of the body kind.
func (k BodyKind) String() string {
	switch k {
	case BodyJSON:
		return "json"
	case BodyForm:
		return "form"
	case BodyMultipart:
		return "multipart"
	case BodyRaw:
		return "body"
	}
	return "unknown"
}

// Body is a request body.
type Body struct {
	Pos  Pos
	Kind BodyKind
	// JSON is the value sent for BodyJSON: its mappings keep their key
	// order and its numbers the text they were written with.
	JSON *Value
	// Fields are the form fields, in order; a field whose value is a list
	// is sent once per item.
	Fields []*KeyValue
	// Parts are the multipart parts, text and files, in the order written.
	Parts []*MultipartPart
	// Raw is the text sent for BodyRaw, byte for byte.
	Raw *Template
}

// MultipartPart is one part of a multipart body: a text value or a file's content.
type MultipartPart struct {
	Pos Pos
	// Field is the form field name.
	Field string
	// Value is the text of a text part; nil for a file part.
	Value *Value
	// File is the file to send, relative to the collection file's folder;
	// nil for a text part.
	File *Template
	// Filename overrides the file name sent; nil means the base name of
	// File, and no file name for a text part.
	Filename *Template
	// ContentType sets the part's Content-Type; nil means, for a file,
	// the type its extension gives (else application/octet-stream), and
	// none for a text part.
	ContentType *Template
	// Headers are further header fields of the part, in order.
	Headers []*KeyValue
}

// Authorize is an OAuth 2.0 authorization request (RFC 6749 section 4.1.1):
// the runner builds the URL, obtains the code and exposes it to captures.
type Authorize struct {
	Pos         Pos
	URL         *Template
	ClientID    *Template
	RedirectURI *Template
	// Scope is optional; space-separated scopes.
	Scope *Template
	// PKCE asks for a S256 code challenge.
	PKCE bool
	// Auto fetches the URL and takes the code from the redirect or the page,
	// for servers that approve without a person (the sandbox).
	Auto bool
}

// Expect is the set of checks of a step.
type Expect struct {
	Pos Pos
	// Status is nil when the step does not check the status.
	Status *Check
	// Headers checks are keyed by header name (Check.Subject).
	Headers []*Check
	// JSON checks are keyed by gjson path (Check.Subject).
	JSON []*Check
	// Body checks the whole body as text (Check.Subject is empty).
	Body *Check
	// Cookies checks are keyed by cookie name (Check.Subject).
	Cookies []*Check
	// Duration checks the response time in milliseconds.
	Duration *Check
	// XPath and CSS checks are keyed by query (Check.Subject), compiled in
	// Check.Query.
	XPath []*Check
	CSS   []*Check
	// Schema validates the JSON body against a JSON Schema; nil when unset.
	Schema *Schema
	// Snapshot compares the body with a stored file; nil when unset.
	Snapshot *Snapshot
	// Asserts are expressions over the response that must be true.
	Asserts []*Assert
}

// Checks returns the checks of e in the order they are evaluated: status,
// headers, JSON paths, body, cookies, duration, XPath and CSS queries.
func (e *Expect) Checks() []*Check {
	out := make([]*Check, 0, 4+len(e.Headers)+len(e.JSON)+len(e.Cookies)+len(e.XPath)+len(e.CSS))
	if e.Status != nil {
		out = append(out, e.Status)
	}
	out = append(append(out, e.Headers...), e.JSON...)
	if e.Body != nil {
		out = append(out, e.Body)
	}
	out = append(out, e.Cookies...)
	if e.Duration != nil {
		out = append(out, e.Duration)
	}
	return append(append(out, e.XPath...), e.CSS...)
}

// Check is one subject (a status, a header, a JSON path, the body) with the
// predicates that must all hold for it.
type Check struct {
	Pos Pos
	// Subject is the header name, gjson path, cookie name or query; empty
	// for status, body and duration.
	Subject string
	// Query is the compiled query of an XPath or CSS check.
	Query      *Query
	Predicates []*Predicate
}

// Op names a predicate.
type Op string

// The predicates. Expected values are typed: 200 is not "200".
const (
	OpEq          Op = "eq"           // equal, JSON-typed
	OpNe          Op = "ne"           // not equal
	OpGt          Op = "gt"           // greater than (numbers)
	OpGte         Op = "gte"          // greater than or equal
	OpLt          Op = "lt"           // less than
	OpLte         Op = "lte"          // less than or equal
	OpBetween     Op = "between"      // a number within [low, high], inclusive
	OpContains    Op = "contains"     // substring, array element or object key
	OpNotContains Op = "not_contains" // the negation of contains
	OpStartsWith  Op = "starts_with"  // a string prefix
	OpEndsWith    Op = "ends_with"    // a string suffix
	OpMatches     Op = "matches"      // regular expression (RE2) on a string
	OpNotMatches  Op = "not_matches"  // the negation of matches
	OpExists      Op = "exists"       // the subject is present (true) or absent (false)
	OpType        Op = "type"         // string, number, integer, boolean, array, object, null
	OpLength      Op = "length"       // length of a string, array or object
	OpIsEmpty     Op = "is_empty"     // "", [], {} or null (true), or not (false)
	OpOneOf       Op = "one_of"       // equal, typed, to one of the listed values
	OpIsUUID      Op = "is_uuid"      // an RFC 9562 UUID in its textual form
	OpIsISODate   Op = "is_iso_date"  // an ISO 8601 date or date-time
	OpIsEmail     Op = "is_email"     // an e-mail address (RFC 5322 addr-spec)
	OpIsURL       Op = "is_url"       // an absolute URL with a scheme and a host
	// OpStatusIn holds a list of statuses and classes ("2xx"); status only.
	OpStatusIn Op = "status_in"
)

// Ops lists the predicates a user may write, in documentation order.
var Ops = []Op{OpEq, OpNe, OpGt, OpGte, OpLt, OpLte, OpBetween, OpContains, OpNotContains, OpStartsWith, OpEndsWith,
	OpMatches, OpNotMatches, OpExists, OpType, OpLength, OpIsEmpty, OpOneOf, OpIsUUID, OpIsISODate, OpIsEmail, OpIsURL}

// Predicate is one operation with its expected value.
type Predicate struct {
	Pos      Pos
	Op       Op
	Expected *Value
	// Pattern is the compiled pattern of a matches or not_matches whose
	// expected value is written as it is; nil when it is a template.
	Pattern *regexp.Regexp
}

// Schema is a JSON Schema the JSON body must validate against: a file
// (Path, relative to the collection's folder) or a schema written inline.
type Schema struct {
	Pos Pos
	// Path is the schema file; empty for an inline schema.
	Path string
	// Inline is the schema written in YAML; nil for a file.
	Inline *Value
}

// Snapshot compares the response body with a stored file, created on the
// first run and rewritten by callsheet run --update-snapshots.
type Snapshot struct {
	Pos Pos
	// Path is the snapshot file, relative to the collection's folder.
	Path string
	// Ignore lists gjson paths whose values are set to null on both sides
	// before comparing, such as ids and timestamps.
	Ignore []string
}

// Assert is one expr-lang expression over the response that must be true.
// It reads res.status, res.headers, res.json, res.body, res.duration,
// res.cookies, vars and earlier captures.
type Assert struct {
	Pos  Pos
	Expr *Expr
}

// ResName is the variable through which assert expressions read the
// response.
const ResName = "res"

// CaptureSource tells where a capture takes its value from.
type CaptureSource int

// The capture sources.
const (
	// FromJSON takes Capture.Path (gjson) from the JSON body.
	FromJSON CaptureSource = iota + 1
	// FromHeader takes the header named Capture.Path.
	FromHeader
	// FromStatus takes the status code as an integer.
	FromStatus
	// FromBody takes the whole body as a string.
	FromBody
	// FromRegex takes the first group of Capture.Pattern matched on the
	// body, or on the header Capture.Path when Path is set.
	FromRegex
	// FromCookie takes the value of the response cookie named Capture.Query.
	FromCookie
	// FromDuration takes the response time in milliseconds (an integer).
	FromDuration
	// FromURL takes the final URL, after redirects.
	FromURL
	// FromRedirects takes the number of redirects followed (an integer).
	FromRedirects
	// FromXPath takes the result of the XPath query Capture.Markup on an
	// HTML or XML body: the text of the first node, or a number, string or
	// boolean for expressions such as count(//li).
	FromXPath
	// FromCSS takes the text of the first element matching the CSS
	// selector Capture.Markup on an HTML body.
	FromCSS
)

// captureSources are the keys of the capture sources, in their order.
var captureSources = []string{"json", "header", "status", "body", "regex", "cookie", "duration", "url", "redirects", "xpath", "css"}

// String returns the YAML key of the source.
func (s CaptureSource) String() string {
	if s < FromJSON || int(s) > len(captureSources) {
		return "unknown"
	}
	return captureSources[s-FromJSON]
}

// Capture stores a value from the response under Name for later steps.
type Capture struct {
	Pos    Pos
	Name   string
	Source CaptureSource
	// Path is the gjson path (FromJSON) or header name (FromHeader, and
	// FromRegex applied to a header).
	Path string
	// Regex is the pattern of FromRegex as written, and Pattern the
	// pattern compiled; its first group is captured.
	Regex   string
	Pattern *regexp.Regexp
	// Secret masks the value in every output from now on.
	Secret bool
	// Query is the cookie name (FromCookie), or the source of the XPath
	// expression or CSS selector Markup (FromXPath, FromCSS).
	Query  string
	Markup *Query
	// Default, when set, is captured when the source finds nothing.
	Default *Value
}
