package runner

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/mask"
	"github.com/callsheet/callsheet/openapi"
)

// OpConforms is the Op of the results of the contract check: the
// response (or, as a warning, the request) conforms to the description's
// element that CheckResult.Expected names, such as
// openapi.yaml#/paths/~1me/get/responses/200/content/application~1json/schema/properties/id/type.
const OpConforms collections.Op = "conforms"

// The subjects of the contract check's results start with contractSubject:
// "openapi response", "openapi status", "openapi header Total",
// "openapi content type", "openapi body data.0.id",
// "openapi request query company_id", "openapi operation".
const contractSubject = "openapi "

// contracts is the contract stage: it checks each response against the
// OpenAPI description that its step's openapi: names (package openapi),
// and, with requests: warn, each request, as warnings. The descriptions
// are loaded and compiled when the run starts, once per Runner and
// collection (contractCache); included runs share them.
type contracts struct {
	checkers map[*collections.OpenAPI]*openapi.Checker
	// mask masks the credentials of header values (Set-Cookie) as the
	// results of header checks are.
	mask *mask.Masker
}

// contractCache keeps, by collection, the descriptions a Runner loaded,
// so that a collection run many times (a load test's iterations, --watch
// runs of one load) loads and compiles them once. A run waits while
// another loads.
type contractCache struct {
	mu     sync.Mutex
	byColl map[*collections.Collection]loadedContracts
}

// loadedContracts are the checkers of a collection's openapi: keys, or
// why they did not load.
type loadedContracts struct {
	checkers map[*collections.OpenAPI]*openapi.Checker
	err      error
}

// get returns the contract stage of a run of c, whose results m masks:
// nil when c names no description.
func (cc *contractCache) get(ctx context.Context, c *collections.Collection, m *mask.Masker) (*contracts, error) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	l, ok := cc.byColl[c]
	if !ok {
		l.checkers, l.err = loadContracts(ctx, c)
		if ctx.Err() == nil {
			if cc.byColl == nil {
				cc.byColl = map[*collections.Collection]loadedContracts{}
			}
			cc.byColl[c] = l
		}
	}
	if l.err != nil || len(l.checkers) == 0 {
		return nil, l.err
	}
	return &contracts{checkers: l.checkers, mask: m}, nil
}

// loadContracts loads and compiles the descriptions that c, its steps and
// the collections it includes name, each file once. The error is a
// *collections.Error at the openapi: or operation_id: that is wrong.
func loadContracts(ctx context.Context, c *collections.Collection) (map[*collections.OpenAPI]*openapi.Checker, error) {
	k := &contracts{checkers: map[*collections.OpenAPI]*openapi.Checker{}}
	byFile := map[string]*openapi.Checker{}
	var walk func(c *collections.Collection, seen map[*collections.Collection]bool) error
	walk = func(c *collections.Collection, seen map[*collections.Collection]bool) error {
		if seen[c] {
			return nil
		}
		seen[c] = true
		for _, s := range slices.Concat(c.Steps, c.Finally) {
			if inc := s.Include(); inc != nil && inc.Collection != nil {
				if err := walk(inc.Collection, seen); err != nil {
					return err
				}
				continue
			}
			if err := k.add(ctx, c, s, byFile); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(c, map[*collections.Collection]bool{}); err != nil {
		return nil, err
	}
	return k.checkers, nil
}

// add loads the description that applies to step s of c, unless it is
// loaded already, and checks the step's operation_id: against it.
func (k *contracts) add(ctx context.Context, c *collections.Collection, s *collections.Step, byFile map[string]*openapi.Checker) error {
	spec := c.OpenAPIFor(s)
	if spec == nil {
		if s.OperationID != "" {
			return &collections.Error{Pos: s.OperationIDPos, Msg: "operation_id needs an OpenAPI description",
				Hint: "add openapi: FILE to the collection or to the step"}
		}
		return nil
	}
	ch, ok := k.checkers[spec]
	if !ok {
		key := descriptionKey(c, spec.File)
		if ch, ok = byFile[key]; !ok {
			var err error
			if ch, err = loadChecker(ctx, c, spec); err != nil {
				return err
			}
			byFile[key] = ch
		}
		k.checkers[spec] = ch
	}
	if s.OperationID != "" && ch.Description().Operation(s.OperationID) == nil {
		return &collections.Error{Pos: s.OperationIDPos, Msg: fmt.Sprintf("%s has no operation with operationId %q", spec.File, s.OperationID)}
	}
	return nil
}

// descriptionKey identifies the description file that c names as file.
func descriptionKey(c *collections.Collection, file string) string {
	return fmt.Sprint(c.Bundled, path.Join(path.Dir(filepath.ToSlash(c.File)), filepath.ToSlash(file)))
}

// loadChecker loads the description spec names, relative to the folder
// of c's file (inside it: its $refs may not lead out), and compiles its
// schemas. Locations in the description name its files relative to that
// folder.
func loadChecker(ctx context.Context, c *collections.Collection, spec *collections.OpenAPI) (*openapi.Checker, error) {
	var fsys fs.FS
	if c.Bundled {
		sub, err := fs.Sub(collections.Bundled(), path.Dir(c.File))
		if err != nil {
			return nil, specError(c, spec, err)
		}
		fsys = sub
	} else {
		root, err := os.OpenRoot(filepath.Dir(c.File))
		if err != nil {
			return nil, specError(c, spec, err)
		}
		defer root.Close()
		fsys = root.FS()
	}
	d, err := openapi.Load(ctx, fsys, path.Clean(filepath.ToSlash(spec.File)))
	if err != nil {
		return nil, specError(c, spec, err)
	}
	ch, err := openapi.NewChecker(d)
	if err != nil {
		return nil, specError(c, spec, err)
	}
	return ch, nil
}

// specError is the error of a description that does not load, at the
// openapi: that names it. The positions in the description's own errors
// name its files from the current folder, as the collection's do.
func specError(c *collections.Collection, spec *collections.OpenAPI, err error) error {
	var list openapi.ErrorList
	var one *openapi.Error
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = openapi.ErrorList{one}
	}
	msg := err.Error()
	if list != nil && !c.Bundled {
		lines := make([]string, len(list))
		for i, e := range list {
			at := *e
			at.File = filepath.Join(filepath.Dir(c.File), filepath.FromSlash(e.File))
			lines[i] = at.Error()
		}
		msg = strings.Join(lines, "\n")
	}
	msg = strings.ReplaceAll(msg, "\n", "\n  ")
	return &collections.Error{Pos: spec.FilePos, Msg: fmt.Sprintf("the OpenAPI description %s does not load:\n  %s", spec.File, msg)}
}

// check checks the exchange of step s of c: the request req as sent and
// the response subj. It returns nothing when no description applies;
// else one passed result for a conforming response, or a failed one per
// violation, after a warning per violation of the request with requests:
// warn.
func (k *contracts) check(c *collections.Collection, s *collections.Step, req *exchange.Request, subj *subject) []*CheckResult {
	if k == nil || req == nil || subj == nil || s.Request() == nil {
		return nil
	}
	spec := c.OpenAPIFor(s)
	ch := k.checkers[spec]
	if ch == nil {
		return nil
	}
	pos := s.Request().MethodPos
	u, err := url.Parse(req.URL)
	if err != nil {
		return []*CheckResult{{Pos: pos, Subject: contractSubject + "operation", Op: OpConforms,
			Expected: Typed{Value: spec.File}, Actual: Typed{Value: req.URL}, Message: "the URL does not parse: " + err.Error()}}
	}
	m, err := findOperation(ch.Description(), s, req.Method, u)
	if err != nil {
		return []*CheckResult{{Pos: pos, Subject: contractSubject + "operation", Op: OpConforms,
			Expected: Typed{Value: spec.File}, Actual: Typed{Value: req.Method + " " + u.EscapedPath()}, Message: err.Error()}}
	}
	var out []*CheckResult
	if spec.Requests == collections.RequestsWarn {
		header := canonical(req.Header)
		for _, v := range ch.CheckRequest(m, u, header, req.Body) {
			r := violationResult(pos, v, "request ", k.requestActual(v, u, m, header, req.Body))
			r.Warning = true
			switch in, name, _ := strings.Cut(v.Name, " "); {
			case v.Kind == openapi.KindParameter && in == "header":
				r.Message = k.maskHeaderIn(r.Message, name, header.Values(name))
			case v.Kind == openapi.KindParameter && in == "cookie":
				r.Message = k.maskHeaderIn(r.Message, "Cookie", cookieValues(header, name))
			}
			out = append(out, r)
		}
	}
	vs := ch.CheckResponse(m, subj.status, subj.header, subj.body)
	if len(vs) == 0 {
		return append(out, &CheckResult{Pos: pos, Subject: contractSubject + "response", Op: OpConforms, Passed: true,
			Expected: Typed{Value: m.Operation.Loc.Ref()}, Actual: Typed{Value: int64(subj.status)}})
	}
	for _, v := range vs {
		r := violationResult(pos, v, "", k.responseActual(v, subj))
		if v.Kind == openapi.KindHeader {
			r.Message = k.maskHeaderIn(r.Message, v.Name, subj.header.Values(v.Name))
		}
		out = append(out, r)
	}
	return out
}

// findOperation returns the operation the step names with operation_id:,
// else the one its method and path match.
func findOperation(d *openapi.Description, s *collections.Step, method string, u *url.URL) (*openapi.Match, error) {
	if s.OperationID == "" {
		return d.Find(method, u)
	}
	op := d.Operation(s.OperationID)
	if m, err := d.Find(method, u); err == nil && m.Operation == op {
		return m, nil // with the path parameters
	}
	return &openapi.Match{Operation: op, Params: map[string]string{}}, nil
}

// violationResult is the failed result of a violation: its subject names
// what differs (the body's JSON path as a json: check writes it), its
// expected value the description's element, and its details the
// element's position and the value's JSON pointer.
func violationResult(pos collections.Pos, v openapi.Violation, prefix string, actual Typed) *CheckResult {
	subject := contractSubject + prefix + v.Kind.String()
	switch v.Kind {
	case openapi.KindHeader, openapi.KindParameter:
		subject += " " + v.Name
	case openapi.KindBody:
		if p := pointerPath(v.Path); p != "" {
			subject += " " + p
		}
	}
	details := []string{"described at " + v.Schema.String()}
	if v.Path != "" {
		details = append(details, "JSON pointer "+v.Path)
	}
	return &CheckResult{Pos: pos, Subject: subject, Op: OpConforms, Expected: Typed{Value: v.Schema.Ref()},
		Actual: actual, Message: v.Message, Details: details}
}

// pointerPath turns a JSON pointer (/data/0/id) into the path a json:
// check writes (data.0.id).
func pointerPath(ptr string) string {
	if ptr == "" {
		return ""
	}
	var p string
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		p = joinPath(p, escapePathKey(tok))
	}
	return p
}

// responseActual is the value of the response a violation is about.
func (k *contracts) responseActual(v openapi.Violation, s *subject) Typed {
	switch v.Kind {
	case openapi.KindStatus:
		return Typed{Value: int64(s.status)}
	case openapi.KindHeader:
		return k.headerActual(s.header, v.Name)
	case openapi.KindContentType:
		return k.headerActual(s.header, "Content-Type")
	}
	if len(s.body) == 0 {
		return Typed{Missing: true}
	}
	if !s.validJSON() {
		return Typed{Value: string(s.body)}
	}
	actual, _ := s.jsonValue(pointerPath(v.Path))
	return actual
}

// requestActual is the value of the request a violation is about.
func (k *contracts) requestActual(v openapi.Violation, u *url.URL, m *openapi.Match, h http.Header, body []byte) Typed {
	switch v.Kind {
	case openapi.KindParameter:
		in, name, _ := strings.Cut(v.Name, " ")
		var values []string
		switch in {
		case "query":
			values = u.Query()[name]
		case "header":
			return k.headerActual(h, name)
		case "path":
			if p, ok := m.Params[name]; ok {
				values = []string{p}
			}
		case "cookie":
			if len(cookieValues(h, name)) > 0 {
				return Typed{Value: k.mask.Header("Cookie", "")}
			}
		}
		if len(values) == 0 {
			return Typed{Missing: true}
		}
		return Typed{Value: values[0]}
	case openapi.KindBody:
		if len(body) == 0 {
			return Typed{Missing: true}
		}
		req := &subject{body: body}
		if !req.validJSON() {
			return Typed{Value: string(body)}
		}
		actual, _ := req.jsonValue(pointerPath(v.Path))
		return actual
	}
	return k.headerActual(h, "Content-Type")
}

// headerActual is the first value of a header, its credentials masked,
// or none.
func (k *contracts) headerActual(h http.Header, name string) Typed {
	if vs := h.Values(name); len(vs) > 0 {
		return Typed{Value: k.mask.Header(name, vs[0])}
	}
	return Typed{Missing: true}
}

// canonical returns the fields of h in an http.Header with canonical
// names, so that lookups find a header whatever its spelling.
func canonical(h exchange.Header) http.Header {
	out := http.Header{}
	for _, f := range h {
		out.Add(f.Name, f.Value)
	}
	return out
}

// maskHeaderIn masks, in a message, the values of the header name whose
// credentials the masker hides (Cookie, Set-Cookie, Authorization): the
// schema's messages quote the value they refused.
func (k *contracts) maskHeaderIn(msg, name string, values []string) string {
	for _, v := range values {
		if masked := k.mask.Header(name, v); v != "" && masked != v {
			msg = strings.ReplaceAll(msg, v, masked)
		}
	}
	return msg
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
