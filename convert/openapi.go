package convert

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/internal/safetext"
	"github.com/callsheet/callsheet/openapi"
)

// OpenAPIOptions are the choices of ImportOpenAPI.
type OpenAPIOptions struct {
	// Single puts every operation in one collection instead of one per
	// tag.
	Single bool
	// Name names the single collection; the default is the description's
	// title.
	Name string
}

// ImportOpenAPI converts an OpenAPI description into collections: one per
// tag (an operation goes with its first tag; untagged operations with the
// description's title), or one in all with Single. Each operation becomes
// a step: its URL under a base_url variable from its servers, path
// parameters as variables holding their examples, required query and
// header parameters, an example body (written in the description or made
// from the schema), its security as an auth profile (OAuth 2.0 flows,
// bearer) or headers (basic, API key), and a check of the documented
// success status.
func ImportOpenAPI(d *openapi.Description, opts OpenAPIOptions) (*Import, error) {
	out := &Import{}
	files := map[string]int{}
	for _, g := range groupOperations(d, opts) {
		oi := &openAPIImport{d: d, b: newBuilder(g.name), bases: map[string]string{}, profiles: map[string]*yaml.Node{}}
		oi.b.description = g.description
		for _, op := range g.ops {
			oi.operation(op)
		}
		oi.b.auth = oi.auth
		header := fmt.Sprintf("imported from %q %s (%s, %s)", d.Title, d.APIVersion, path.Base(d.File), versionName(d.Version))
		yml, err := oi.b.build(header)
		if err != nil {
			return nil, fmt.Errorf("import openapi: %w", err)
		}
		name := fileName(g.name)
		if files[name]++; files[name] > 1 {
			name = fmt.Sprintf("%s-%d.yaml", strings.TrimSuffix(name, ".yaml"), files[name])
		}
		out.Files = append(out.Files, File{Name: name, Data: yml})
		for _, n := range oi.b.notes {
			if n.Step != "" && !opts.Single {
				n.Step = g.name + " / " + n.Step
			}
			out.Notes = append(out.Notes, n)
		}
	}
	if len(out.Files) == 0 {
		return nil, fmt.Errorf("import openapi: %s describes no operation", d.File)
	}
	return out, nil
}

// versionName names the format version: OpenAPI 3.1.0, Swagger 2.0.
func versionName(v string) string {
	if v == "2.0" {
		return "Swagger 2.0"
	}
	return "OpenAPI " + v
}

// opGroup is the operations of one imported collection.
type opGroup struct {
	name, description string
	ops               []*openapi.Operation
}

// groupOperations sorts the operations into collections: by first tag, in
// the order the description declares its tags (then in order of use),
// untagged ones last under the title; or all in one with Single.
func groupOperations(d *openapi.Description, opts OpenAPIOptions) []*opGroup {
	title := cmpOr(d.Title, "imported")
	if opts.Single {
		return []*opGroup{{name: cmpOr(opts.Name, title), description: d.Description, ops: d.Operations}}
	}
	var groups []*opGroup
	byName := map[string]*opGroup{}
	group := func(name, desc string) *opGroup {
		if g := byName[name]; g != nil {
			return g
		}
		g := &opGroup{name: name, description: desc}
		byName[name] = g
		groups = append(groups, g)
		return g
	}
	for _, t := range d.Tags {
		group(t.Name, t.Description)
	}
	var untagged []*openapi.Operation
	for _, op := range d.Operations {
		if len(op.Tags) == 0 {
			untagged = append(untagged, op)
			continue
		}
		g := group(op.Tags[0], "")
		g.ops = append(g.ops, op)
	}
	if len(untagged) > 0 {
		g := group(cmpOr(opts.Name, title), d.Description)
		g.ops = append(g.ops, untagged...)
	}
	return slices.DeleteFunc(groups, func(g *opGroup) bool { return len(g.ops) == 0 })
}

// cmpOr returns the first of a and b that is not empty.
func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// openAPIImport builds one collection from operations.
type openAPIImport struct {
	d *openapi.Description
	b *builder
	// bases maps a server URL to the variable holding it.
	bases map[string]string
	// auth is the collection's auth profiles; profiles maps a security
	// scheme to its OAuth 2.0 profile (nil for a bearer profile).
	auth     *yaml.Node
	profiles map[string]*yaml.Node
}

// operation adds the step of one operation.
func (oi *openAPIImport) operation(op *openapi.Operation) {
	name := oi.b.uniqueName(cmpOr(op.ID, op.Method+" "+op.Path))
	r := &reqSpec{name: name, method: op.Method}
	var left, optional []string
	r.url = oi.base(op) + oi.path(op)
	for _, p := range op.Parameters {
		if !p.Required && p.In != "path" {
			optional = append(optional, p.In+" "+p.Name)
			continue
		}
		left = append(left, oi.param(r, p)...)
	}
	left = append(left, oi.body(r, op.RequestBody)...)
	profile, authLeft := oi.security(r, op)
	left = append(left, authLeft...)
	r.expect = mapping()
	if status, noFollow, ok := successStatus(op); ok {
		add(r.expect, "status", status)
		r.noFollow = noFollow
	} else {
		left = append(left, "no success response is documented: add expect.status by hand")
	}
	step := r.node()
	if profile != "" {
		add(step, "auth", str(profile))
	}
	oi.b.addStep(step, name, nil, left)
	var lines []string
	if op.Summary != "" && op.Summary != name {
		lines = append(lines, safetext.Line(op.Summary))
	}
	if op.Deprecated {
		lines = append(lines, "deprecated")
	}
	if len(op.Tags) > 1 {
		lines = append(lines, "also tagged "+strings.Join(op.Tags[1:], ", "))
	}
	if len(optional) > 0 {
		lines = append(lines, "optional: "+strings.Join(optional, ", "))
	}
	if step.HeadComment != "" {
		lines = append(lines, step.HeadComment)
	}
	step.HeadComment = strings.Join(lines, "\n")
}
