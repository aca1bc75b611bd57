package expr

import (
	"strconv"
	"strings"
)

// Kind is the root of a runtime expression: what it reads from.
type Kind uint8

// The roots of runtime expressions.
const (
	URL                Kind = iota + 1 // $url
	Method                             // $method
	StatusCode                         // $statusCode
	Request                            // $request.<source>
	Response                           // $response.<source>
	Message                            // $message.<source> (Arazzo 1.1)
	Inputs                             // $inputs.<name>
	Outputs                            // $outputs.<name>
	Steps                              // $steps.<stepId>.outputs.<name>
	Workflows                          // $workflows.<workflowId>.<inputs|outputs>.<name>
	SourceDescriptions                 // $sourceDescriptions.<name>.<reference>
	Components                         // $components.<type>.<name>
	Self                               // $self (Arazzo 1.1)
)

// rootNames are the words after $, by kind.
var rootNames = [...]string{
	URL: "url", Method: "method", StatusCode: "statusCode", Request: "request",
	Response: "response", Message: "message", Inputs: "inputs", Outputs: "outputs",
	Steps: "steps", Workflows: "workflows", SourceDescriptions: "sourceDescriptions",
	Components: "components", Self: "self",
}

// String returns the root as written, such as "$statusCode".
func (k Kind) String() string {
	if int(k) < len(rootNames) && rootNames[k] != "" {
		return "$" + rootNames[k]
	}
	return "$?"
}

// RootNames lists the words that may follow $, for suggestions.
func RootNames() []string {
	return append([]string(nil), rootNames[1:]...)
}

// Source is the part of a request, response or message an expression reads.
type Source uint8

// The sources of $request, $response and $message.
const (
	Header  Source = iota + 1 // header.<token>
	Query                     // query.<name>
	Path                      // path.<name>
	Body                      // body[#pointer]
	Payload                   // payload[#pointer] (Arazzo 1.1)
)

var sourceNames = [...]string{Header: "header", Query: "query", Path: "path", Body: "body", Payload: "payload"}

// String returns the source's word, such as "header".
func (s Source) String() string {
	if int(s) < len(sourceNames) && sourceNames[s] != "" {
		return sourceNames[s]
	}
	return "?"
}

// Accessor is one step of a property path applied after an expression:
// .name or ['name'] selects a member of an object, [n] an array element.
type Accessor struct {
	Name    string
	Index   int
	IsIndex bool
}

// Expr is a parsed runtime expression. Which fields are set depends on
// Kind:
//
//	$request/$response/$message  Source, Name (header, query, path)
//	$inputs, $outputs            Name
//	$steps                       ID (stepId), Name (output name)
//	$workflows                   ID (workflowId), Field (inputs|outputs), Name
//	$sourceDescriptions          ID (source name), Name (reference)
//	$components                  ID (component type), Name
//
// Body, payload, inputs and outputs may carry a JSON pointer after #, or a
// property path (.name, [0]) instead.
type Expr struct {
	Kind   Kind
	Source Source
	ID     string
	Field  string
	Name   string
	// Pointer holds the decoded reference tokens of the JSON pointer after
	// #; HasPointer tells "#" (the whole value) from no pointer at all.
	Pointer    []string
	HasPointer bool
	// Path is the property path after body, payload or a name.
	Path []Accessor
}

// Ref returns a copy of e without its pointer and path: the value a
// Context looks up.
func (e *Expr) Ref() *Expr {
	r := *e
	r.Pointer, r.HasPointer, r.Path = nil, false, nil
	return &r
}

// String returns the expression in canonical form; parsing it gives an
// equal expression.
func (e *Expr) String() string {
	var b strings.Builder
	b.WriteString(e.Kind.String())
	switch e.Kind {
	case Request, Response, Message:
		b.WriteString("." + e.Source.String())
		if e.Source == Header {
			b.WriteString("." + e.Name)
		} else if e.Source == Query || e.Source == Path {
			b.WriteString("." + escapeChars(e.Name))
		}
	case Inputs, Outputs, Components:
		if e.Kind == Components {
			b.WriteString("." + e.ID)
		}
		b.WriteString("." + e.Name)
	case Steps:
		b.WriteString("." + e.ID + ".outputs." + e.Name)
	case Workflows:
		b.WriteString("." + e.ID + "." + e.Field + "." + e.Name)
	case SourceDescriptions:
		b.WriteString("." + e.ID + "." + escapeChars(e.Name))
	}
	if e.HasPointer {
		b.WriteString("#" + PointerString(e.Pointer))
	}
	b.WriteString(PathString(e.Path))
	return b.String()
}

// PathString renders a property path: .name for plain names, ['x'] for
// others, [n] for indexes.
func PathString(path []Accessor) string {
	var b strings.Builder
	for _, a := range path {
		switch {
		case a.IsIndex:
			b.WriteString("[" + strconv.Itoa(a.Index) + "]")
		case isStrictIdent(a.Name):
			b.WriteString("." + a.Name)
		default:
			b.WriteString("['" + strings.ReplaceAll(a.Name, "'", "''") + "']")
		}
	}
	return b.String()
}

// PointerString renders decoded reference tokens as a JSON pointer.
func PointerString(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteString("/")
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(t))
	}
	return b.String()
}

// isStrictIdent reports whether s matches [A-Za-z0-9_-]+.
func isStrictIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isStrictByte(s[i]) {
			return false
		}
	}
	return true
}

func isStrictByte(c byte) bool {
	return c == '_' || c == '-' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// IsIdentifier reports whether s matches the identifier rule of the
// specification, [A-Za-z0-9.\-_]+ (component keys, input and output names).
func IsIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isStrictByte(s[i]) && s[i] != '.' {
			return false
		}
	}
	return true
}

// IsStrictIdentifier reports whether s matches [A-Za-z0-9_\-]+ (step ids,
// workflow ids and source description names).
func IsStrictIdentifier(s string) bool { return isStrictIdent(s) }

// isTchar reports whether c may appear in an HTTP token (RFC 9110).
func isTchar(r rune) bool {
	if r < 0x80 && isStrictByte(byte(r)) {
		return true
	}
	return strings.ContainsRune("!#$%&'*+.^`|~", r)
}

// isUnescapedChar reports whether r may appear unescaped in a name.
func isUnescapedChar(r rune) bool {
	return r >= 0x20 && r != '"' && r != '\\' && r != '{' && r != '}'
}

// escapeChars escapes the runes of a name that must be escaped.
func escapeChars(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case isUnescapedChar(r):
			b.WriteRune(r)
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		default:
			b.WriteString(`\u` + strconv.FormatInt(int64(r)|0x10000, 16)[1:])
		}
	}
	return b.String()
}
