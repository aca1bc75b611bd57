package arazzo

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/asyncapi"
	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/lazyregexp"
)

// Operation is what the engine needs of an API operation.
type Operation struct {
	// ID is the operationId, "" when the operation has none.
	ID string
	// Method is the HTTP method in upper case.
	Method string
	// Path is the path template, such as /pets/{petId}.
	Path string
	// ServerURL is the absolute URL the path is appended to.
	ServerURL string
	// ContentType is the first media type of the operation's request
	// body, "" when it declares none.
	ContentType string
	// Security lists the security requirements of the operation, each
	// alternative as the names of its security schemes (an empty one:
	// credentials are optional); nil when it needs none or the API does
	// not say.
	Security [][]string
}

// API is an API description (OpenAPI) that a source description names, as
// the engine reads it. Implementations must be safe for concurrent use.
type API interface {
	// OperationByID returns the operation whose operationId is id.
	OperationByID(id string) (*Operation, bool)
	// OperationAt returns the operation at a JSON pointer into the
	// description, such as /paths/~1pets~1{petId}/get.
	OperationAt(pointer string) (*Operation, bool)
}

// OperationLister is an API that can list its operationIds, which error
// messages use for suggestions.
type OperationLister interface {
	OperationIDs() []string
}

// Sources tells Resolve how to read source descriptions.
type Sources struct {
	// URLs replaces the url of source descriptions, by name, in the
	// document and in the Arazzo documents it names: a local path or an
	// http(s) URL, used as given.
	URLs map[string]string
	// Servers replaces the server URL of every operation of the source
	// descriptions of that name, in every document.
	Servers map[string]string
	// OpenAPI reads an OpenAPI description from a location, a local path
	// or an http(s) URL. Resolve refuses documents that use OpenAPI
	// sources when it is nil.
	OpenAPI func(ctx context.Context, location string) (API, error)
	// Fetch reads an http(s) location: Arazzo source descriptions, and
	// untyped ones to learn their type. Nil refuses such locations.
	Fetch func(ctx context.Context, location string) ([]byte, error)
	// Protocols lists the message protocols the caller runs (ws, kafka,
	// …): a step of an AsyncAPI operation on a server of another protocol
	// is an error. Nil accepts every protocol.
	Protocols []string
	// Defer leaves the source descriptions at http(s) locations unread,
	// and the steps and references into them unchecked, for a later
	// Resolve that reads them; Description.Deferred reports whether there
	// were any. A Description with deferred sources must not be run.
	Defer bool
}

// Description is an Arazzo document with its source descriptions
// resolved: every operation and workflow its steps name is found. It is
// what an Engine runs. A Description is not modified by running it and may
// be run by several engines at once.
type Description struct {
	Document *Document
	// sources are the resolved source descriptions, by name.
	sources map[string]*resolvedSource
	// ops are the operations of the steps that call one.
	ops map[*Step]*Operation
	// channels are the AsyncAPI operations and channels of the steps that
	// name one.
	channels map[*Step]*AsyncOperation
	// servers are the server URL overrides, by source name.
	servers map[string]string
	// deferred is set when Sources.Defer left sources unread.
	deferred bool
}

// Deferred reports whether Sources.Defer left source descriptions of d,
// or of the Arazzo documents it names, unread.
func (d *Description) Deferred() bool { return d.deferred }

// resolvedSource is one source description after Resolve.
type resolvedSource struct {
	sd       *SourceDescription
	location string
	typ      string
	api      API
	async    *asyncapi.Document
	arazzo   *Description
	// deferred is set for a source Sources.Defer left unread.
	deferred bool
}

// Resolve reads the source descriptions of doc, and of the Arazzo
// documents it names in turn, and finds the operation or workflow of every
// step. Problems are reported together as a collections.ErrorList at the
// positions of the fields that name what is missing.
func Resolve(ctx context.Context, doc *Document, src Sources) (*Description, error) {
	r := &resolver{ctx: ctx, src: src, loaded: map[string]*Description{}}
	d := r.resolve(doc)
	d.deferred = r.deferred
	if len(r.errs) > 0 {
		return nil, dedupe(r.errs).Err()
	}
	return d, nil
}

// resolver holds the state of one Resolve.
type resolver struct {
	ctx    context.Context
	src    Sources
	errs   collections.ErrorList
	loaded map[string]*Description // Arazzo documents by location and by $self
	// deferred is set once Sources.Defer leaves a source unread.
	deferred bool
}

func (r *resolver) errorf(pos Pos, n int, hint, format string, args ...any) {
	r.errs = append(r.errs, &collections.Error{Pos: pos, Len: n, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

// resolve resolves doc and the Arazzo documents it names.
func (r *resolver) resolve(doc *Document) *Description {
	d := &Description{Document: doc, sources: map[string]*resolvedSource{}, ops: map[*Step]*Operation{},
		channels: map[*Step]*AsyncOperation{}, servers: r.src.Servers}
	r.loaded[identity(docLocation(doc))] = d
	if doc.Self != "" {
		r.loaded[baseURL(doc).String()] = d
	}
	for _, sd := range doc.SourceDescriptions {
		if rs := r.source(doc, sd); rs != nil {
			d.sources[sd.Name] = rs
		}
	}
	for _, w := range doc.Workflows {
		r.workflow(d, w)
	}
	return d
}

// source locates and reads one source description.
func (r *resolver) source(doc *Document, sd *SourceDescription) *resolvedSource {
	loc, err := sourceLocation(doc, sd, r.src.URLs)
	if err != nil {
		r.errorf(sd.URLPos, len(sd.URL), "", "source description %q: %v", sd.Name, err)
		return nil
	}
	rs := &resolvedSource{sd: sd, location: loc, typ: sd.Type}
	if r.src.Defer && isRemote(loc) {
		rs.deferred, r.deferred = true, true
		return rs
	}
	if rs.typ == "" {
		if rs.typ, err = r.sniff(loc); err != nil {
			r.errorf(sd.URLPos, len(sd.URL), "", "source description %q: %v", sd.Name, err)
			return nil
		}
	}
	switch rs.typ {
	case TypeOpenAPI:
		rs.api = r.openAPI(sd, loc)
	case TypeArazzo:
		rs.arazzo = r.arazzo(sd, loc)
	case TypeAsyncAPI:
		rs.async = r.asyncAPI(sd, loc)
	}
	return rs
}

func (r *resolver) openAPI(sd *SourceDescription, loc string) API {
	if r.src.OpenAPI == nil {
		r.errorf(sd.URLPos, len(sd.URL), "", "source description %q: no OpenAPI reader was given", sd.Name)
		return nil
	}
	api, err := r.src.OpenAPI(r.ctx, loc)
	if err != nil {
		r.errorf(sd.URLPos, len(sd.URL), "", "source description %q: %v", sd.Name, err)
		return nil
	}
	return api
}

// asyncAPI reads an AsyncAPI source description.
func (r *resolver) asyncAPI(sd *SourceDescription, loc string) *asyncapi.Document {
	data, err := r.read(loc)
	if err == nil {
		var doc *asyncapi.Document
		if doc, err = asyncapi.Parse(displayPath(loc), data); err == nil {
			return doc
		}
	}
	var list collections.ErrorList
	if errors.As(err, &list) {
		r.errs = append(r.errs, list...)
	} else {
		r.errorf(sd.URLPos, len(sd.URL), "", "source description %q: %v", sd.Name, err)
	}
	return nil
}

// arazzo reads and resolves an Arazzo source description, once per
// location; a document naming itself, directly or not, is read once.
func (r *resolver) arazzo(sd *SourceDescription, loc string) *Description {
	if d, ok := r.loaded[identity(loc)]; ok {
		return d
	}
	data, err := r.read(loc)
	if err != nil {
		r.errorf(sd.URLPos, len(sd.URL), "", "source description %q: %v", sd.Name, err)
		return nil
	}
	doc, err := Parse(displayPath(loc), data)
	if err != nil {
		var list collections.ErrorList
		if errors.As(err, &list) {
			r.errs = append(r.errs, list...)
		} else {
			r.errorf(sd.URLPos, len(sd.URL), "", "source description %q: %v", sd.Name, err)
		}
		return nil
	}
	return r.resolve(doc)
}

// displayPath is how errors name a document read at loc: a path relative
// to the working directory when it is below it.
func displayPath(loc string) string {
	if isRemote(loc) {
		return redacted(loc)
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, loc); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return loc
}

// redacted is an http(s) URL with the password of its user information
// written as xxxxx, as messages show it.
func redacted(loc string) string {
	u, err := url.Parse(loc)
	if err != nil {
		return loc
	}
	return u.Redacted()
}

// identity is the URI that identifies a location: the URL itself, or the
// file: URL of a path. Documents whose $self matches it are the same
// document.
func identity(loc string) string {
	if isRemote(loc) {
		return loc
	}
	return fileURL(loc)
}

// read reads a local path or, through Fetch, an http(s) URL.
func (r *resolver) read(loc string) ([]byte, error) {
	if isRemote(loc) {
		if r.src.Fetch == nil {
			return nil, fmt.Errorf("cannot read %s: no fetcher for URLs was given", displayPath(loc))
		}
		return r.src.Fetch(r.ctx, loc)
	}
	return readFile(loc)
}

// readFile reads a local file of at most MaxFileSize bytes; errors name it
// as displayPath does.
func readFile(loc string) ([]byte, error) {
	info, err := os.Stat(loc)
	if err == nil && info.Size() > MaxFileSize {
		return nil, fmt.Errorf("%s is larger than %d MiB", displayPath(loc), MaxFileSize>>20)
	}
	var data []byte
	if err == nil {
		data, err = os.ReadFile(loc)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return nil, fmt.Errorf("cannot read %s: %w", displayPath(loc), pe.Err)
	}
	return data, err
}

// sniff learns the type of an untyped source description from its first
// key: arazzo, openapi (or swagger) or asyncapi.
func (r *resolver) sniff(loc string) (string, error) {
	data, err := r.read(loc)
	if err != nil {
		return "", err
	}
	var head map[string]yaml.Node
	if err := yaml.Unmarshal(data, &head); err != nil {
		return "", fmt.Errorf("cannot tell its type: %v", err)
	}
	for key, typ := range map[string]string{"arazzo": TypeArazzo, "openapi": TypeOpenAPI, "swagger": TypeOpenAPI, "asyncapi": TypeAsyncAPI} {
		if _, ok := head[key]; ok {
			return typ, nil
		}
	}
	return "", fmt.Errorf("cannot tell its type: it has no arazzo, openapi or asyncapi field; give it a type")
}

func isRemote(loc string) bool {
	return strings.HasPrefix(loc, "http://") || strings.HasPrefix(loc, "https://")
}

// docLocation is where a document was read: its path or URL.
func docLocation(doc *Document) string {
	if isRemote(doc.File) {
		return doc.File
	}
	if abs, err := filepath.Abs(doc.File); err == nil {
		return abs
	}
	return doc.File
}

// baseURL is the base URI of a document's relative references: $self,
// itself resolved against where the document was read, or that place.
func baseURL(doc *Document) *url.URL {
	retrieved := doc.File
	if !isRemote(retrieved) {
		retrieved = fileURL(doc.File)
	}
	base, err := url.Parse(retrieved)
	if err != nil {
		base = &url.URL{Scheme: "file", Path: "/"}
	}
	if doc.Self != "" {
		if self, err := base.Parse(doc.Self); err == nil {
			return self
		}
	}
	return base
}

// sourceLocation is where a source description is read: the override
// given for its name, else its url resolved against the document's base
// URI, as a local path for file: URLs.
func sourceLocation(doc *Document, sd *SourceDescription, overrides map[string]string) (string, error) {
	if loc, ok := overrides[sd.Name]; ok {
		if isRemote(loc) {
			return loc, nil
		}
		return filepath.Abs(loc)
	}
	u, err := baseURL(doc).Parse(sd.URL)
	if err != nil {
		return "", err
	}
	switch u.Scheme {
	case "file":
		return filepath.FromSlash(u.Path), nil
	case "http", "https":
		return u.String(), nil
	}
	return "", fmt.Errorf("cannot read %s: scheme %q is not supported", u, u.Scheme)
}

// SourceURL is where doc's source description sd is read, with no
// override: its url resolved against the document's base URI, a local
// path for a file: URL.
func (doc *Document) SourceURL(sd *SourceDescription) (string, error) {
	return sourceLocation(doc, sd, nil)
}

// IsRemote reports whether a location is an http(s) URL.
func IsRemote(loc string) bool { return isRemote(loc) }

// Operation returns the operation step s of d's document calls, nil for
// a step that calls a workflow or an AsyncAPI operation.
func (d *Description) Operation(s *Step) *Operation { return d.ops[s] }

// workflow finds the operations and workflows the steps of w name.
func (r *resolver) workflow(d *Description, w *Workflow) {
	for _, s := range w.Steps {
		switch s.Target.Kind {
		case OperationByID, OperationByPath, Channel:
			r.operation(d, s)
		case CallWorkflow:
			r.workflowRef(d, s.Target.Workflow)
		}
		for _, a := range slices.Concat(s.OnSuccess, s.OnFailure) {
			r.workflowRef(d, a.Workflow)
		}
		for _, ref := range s.DependsOn {
			r.stepRef(d, ref)
		}
	}
	for _, ref := range w.DependsOn {
		r.workflowRef(d, ref)
	}
	for _, a := range slices.Concat(w.SuccessActions, w.FailureActions) {
		r.workflowRef(d, a.Workflow)
	}
}

// apiSource returns the source a step's operation is in: the named one,
// or the document's only API source.
func (d *Description) apiSource(t Target) *resolvedSource {
	if t.Source != "" {
		return d.sources[t.Source]
	}
	var found *resolvedSource
	for _, rs := range d.sources {
		if rs.typ != TypeArazzo {
			if found != nil {
				return nil
			}
			found = rs
		}
	}
	return found
}

func (r *resolver) operation(d *Description, s *Step) {
	rs := d.apiSource(s.Target)
	if rs == nil || rs.deferred {
		return // unreadable (reported) or not read yet
	}
	if rs.typ == TypeAsyncAPI {
		r.asyncOperation(d, s, rs)
		return
	}
	if s.Action != "" {
		r.errorf(s.ActionPos, len("action"), "", "action applies only to steps of AsyncAPI operations, and %s is not an AsyncAPI description", rs.sd.Name)
		return
	}
	if rs.api == nil {
		if rs.typ == TypeArazzo {
			r.errorf(s.Target.Pos, len(s.Target.Text), "", "source description %q is an Arazzo document and has no operations", rs.sd.Name)
		}
		return
	}
	var op *Operation
	var ok bool
	if s.Target.Kind == OperationByID {
		op, ok = rs.api.OperationByID(s.Target.OperationID)
	} else {
		op, ok = rs.api.OperationAt(s.Target.Pointer)
	}
	if !ok {
		r.missingOperation(rs, s)
		return
	}
	d.ops[s] = op
	r.pathParameters(s, op)
}

func (r *resolver) missingOperation(rs *resolvedSource, s *Step) {
	t := s.Target
	if t.Kind == OperationByPath {
		r.errorf(t.Pos, len(t.Text), "", "%s has no operation at %s", rs.sd.Name, t.Pointer)
		return
	}
	hint := ""
	if l, ok := rs.api.(OperationLister); ok {
		hint = didYouMean(t.OperationID, l.OperationIDs(), "")
	}
	r.errorf(t.Pos, len(t.Text), hint, "%s has no operation with operationId %q", rs.sd.Name, t.OperationID)
}

var templateVarRE = lazyregexp.New(`\{([^{}]+)\}`)

// pathParameters checks that a step gives a value for every variable of
// its operation's path template, and no path parameter the template
// lacks.
func (r *resolver) pathParameters(s *Step, op *Operation) {
	var vars []string
	for _, m := range templateVarRE.FindAllStringSubmatch(op.Path, -1) {
		vars = append(vars, m[1])
	}
	given := map[string]bool{}
	for _, p := range mergeParameters(s.workflow.Parameters, s.Parameters) {
		if p.In != InPath {
			continue
		}
		given[p.Name] = true
		if !slices.Contains(vars, p.Name) {
			r.errorf(p.Pos, 1, didYouMean(p.Name, vars, ""), "path parameter %q of step %q is not in the path %s", p.Name, s.ID, op.Path)
		}
	}
	for _, v := range vars {
		if !given[v] {
			r.errorf(s.Target.Pos, len(s.Target.Text), "add a parameter with in: path", "step %q gives no value for {%s} in the path %s", s.ID, v, op.Path)
		}
	}
}

// workflowRef checks that a reference to a workflow of an Arazzo source
// description names one.
func (r *resolver) workflowRef(d *Description, ref *WorkflowRef) {
	if ref == nil || ref.Source == "" {
		return
	}
	target := d.sources[ref.Source]
	if target == nil || target.arazzo == nil {
		if target != nil && !target.deferred && target.typ != TypeArazzo {
			r.errorf(ref.Pos, len(ref.Text), "", "source description %q is of type %s and holds no workflows", ref.Source, target.typ)
		}
		return
	}
	if target.arazzo.Document.Workflow(ref.ID) == nil {
		ids := workflowIDs(target.arazzo.Document)
		r.errorf(ref.Pos, len(ref.Text), didYouMean(ref.ID, ids, ""), "source description %q has no workflow %q", ref.Source, ref.ID)
	}
}

func (r *resolver) stepRef(d *Description, ref *StepRef) {
	if ref.Source == "" {
		return
	}
	wref := &WorkflowRef{Pos: ref.Pos, Text: ref.Text, Source: ref.Source, ID: ref.Workflow}
	r.workflowRef(d, wref)
	if rs := d.sources[ref.Source]; rs != nil && rs.arazzo != nil {
		if w := rs.arazzo.Document.Workflow(ref.Workflow); w != nil && w.Step(ref.Step) == nil {
			r.errorf(ref.Pos, len(ref.Text), didYouMean(ref.Step, stepIDs(w), ""), "dependsOn names step %q, which workflow %q lacks", ref.Step, w.ID)
		}
	}
}

func workflowIDs(doc *Document) []string {
	var out []string
	for _, w := range doc.Workflows {
		out = append(out, w.ID)
	}
	return out
}
