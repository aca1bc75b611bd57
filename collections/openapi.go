package collections

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// OpenAPI is an openapi: key, on the collection or on a step: the
// OpenAPI description that the responses of its requests are checked
// against (package runner, contract.go). It is written
//
//	openapi: openapi.yaml
//	openapi: {file: openapi.yaml, requests: warn}
//	openapi: false   # on a step: its response is not checked
type OpenAPI struct {
	// Pos is the position of the key's value.
	Pos Pos
	// File is the description's path as written, relative to the folder
	// of the collection file; it is a literal path, never a template,
	// so that the description is read and compiled once, before anything
	// is sent.
	File    string
	FilePos Pos
	// Requests is RequestsOff or RequestsWarn.
	Requests string
	// Off is set by openapi: false on a step.
	Off bool
}

// The values of openapi.requests.
const (
	// RequestsOff: requests are not checked (the default).
	RequestsOff = "off"
	// RequestsWarn: each request is checked too, and what differs from
	// the description is a warning, which does not fail the step.
	RequestsWarn = "warn"
)

// openAPI reads an openapi: key; onStep allows false.
func (l *loader) openAPI(p pair, onStep bool) *OpenAPI {
	n := resolve(p.value)
	o := &OpenAPI{Pos: l.pos(n), Requests: RequestsOff}
	switch {
	case onStep && n.Kind == yaml.ScalarNode && n.ShortTag() == "!!bool" && n.Value == "false":
		o.Off = true
		return o
	case n.Kind == yaml.MappingNode:
		ps, _ := l.pairs(n, "openapi")
		for _, q := range l.known(ps, "openapi", OpenAPIKeys.Keys) {
			switch q.key {
			case "file":
				o.File, _ = l.str(q.value, "openapi file")
				o.FilePos = l.pos(q.value)
				l.openAPIFile(q.value, o.File)
			case "requests":
				o.Requests = l.openAPIRequests(q.value)
			}
		}
		if o.File == "" && !slices.ContainsFunc(ps, func(q pair) bool { return q.key == "file" }) {
			l.errorAt(p.keyN, "for example openapi: {file: openapi.yaml, requests: warn}", "openapi has no file")
		}
	case isString(n):
		o.File, o.FilePos = n.Value, l.pos(n)
		l.openAPIFile(n, o.File)
	default:
		hint := "write the description's path, such as openapi.yaml, or a mapping {file: openapi.yaml, requests: warn}"
		if onStep {
			hint += ", or false to check nothing"
		}
		l.errorAt(n, hint, "openapi must be a file path or a mapping, not %s", describe(n))
	}
	return o
}

// openAPIRequests reads openapi.requests: off or warn.
func (l *loader) openAPIRequests(n *yaml.Node) string {
	s, ok := l.str(n, "openapi requests")
	if !ok {
		return RequestsOff
	}
	if s != RequestsOff && s != RequestsWarn {
		l.errorAt(n, "write warn (check each request, warn about what differs) or off", "openapi requests must be warn or off, not %q", s)
		return RequestsOff
	}
	return s
}

// openAPIFile checks the description's path, at n: a literal path to a
// file inside the collection's folder that exists.
func (l *loader) openAPIFile(n *yaml.Node, p string) {
	if p == "" {
		l.errorAt(n, "write the description's path, such as openapi.yaml", "openapi file must not be empty")
		return
	}
	if strings.Contains(p, "{{") {
		l.errorAt(n, "write the path literally: the description is read once, before anything is sent", "openapi file must be a literal path, not a template")
		return
	}
	if l.fileOutside(p, false) {
		l.errorAt(n, outsideHint, "openapi file %q is outside the collection's folder", p)
		return
	}
	var err error
	if l.inc.fsys != nil {
		_, err = fs.Stat(l.inc.fsys, path.Join(path.Dir(l.file), path.Clean(p)))
	} else {
		_, err = os.Stat(filepath.Join(filepath.Dir(l.file), filepath.FromSlash(p)))
	}
	if err != nil {
		l.errorAt(n, "the path is relative to the collection file's folder", "openapi file %q not found", p)
	}
}

// operationID reads a step's operation_id:.
func (l *loader) operationID(s *Step, p pair) {
	if id, ok := l.str(p.value, "operation_id"); ok {
		if id == "" {
			l.errorAt(p.value, "name the operationId of the description's operation", "operation_id must not be empty")
			return
		}
		s.OperationID, s.OperationIDPos = id, l.pos(p.value)
	}
}

// OpenAPIFor returns the openapi: that applies to step s of c: the
// step's own, else the collection's; nil when neither names one, or
// when the step says openapi: false.
func (c *Collection) OpenAPIFor(s *Step) *OpenAPI {
	o := c.OpenAPI
	if s.OpenAPI != nil {
		o = s.OpenAPI
	}
	if o == nil || o.Off {
		return nil
	}
	return o
}

// stepOpenAPI reads a step's openapi: or operation_id:, which only a
// request step takes.
func (l *loader) stepOpenAPI(s *Step, p pair) {
	if s.Authorize() != nil {
		l.errorAt(p.keyN, "an authorize step sends no request of its own; put the key on the token request", "%s: is not allowed on an authorize step", p.key)
		return
	}
	if p.key == "operation_id" {
		l.operationID(s, p)
		return
	}
	s.OpenAPI = l.openAPI(p, true)
}
