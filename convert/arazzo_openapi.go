package convert

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/lazyregexp"
)

// azOperation is an operation the steps call, as the generated description
// documents it.
type azOperation struct {
	id, method, path, server, summary string
	// params are the parameters steps send (values unused).
	params []azParam
	// media are the request bodies' content types; statuses the response
	// statuses the steps expect, or default.
	media, statuses []string
}

// azOperations are the operations of the generated description.
type azOperations struct {
	list  []*azOperation
	byKey map[string]*azOperation
	ids   map[string]bool
}

// source returns the source description called name, adding it.
func (x *azExporter) source(name, server string) *azSource {
	for _, s := range x.sources {
		if s.name == name {
			return s
		}
	}
	s := &azSource{name: name, server: server}
	x.sources = append(x.sources, s)
	return s
}

// varSource returns the source of the URLs that start with a variable:
// its server is the variable's value when that is literal.
func (x *azExporter) varSource(name, step string) *azSource {
	for _, s := range x.sources {
		if s.name == name {
			return s
		}
	}
	server, ok := x.staticVar(name, 0)
	if !ok || server == "" {
		x.note(step, fmt.Sprintf("%s has no literal value: give the server of source %s when running the document", name, name))
		server = "/"
	}
	if len(server) > 1 {
		server = strings.TrimSuffix(server, "/")
	}
	return x.source(name, server)
}

// operation returns how a step names the operation it calls: an
// operationId of the generated description, or the operation of the
// given description that the method and path match (whose path
// parameter names the call then takes). ok is false when the given
// description has no such operation.
func (x *azExporter) operation(call *azCall, step, contentType string, statuses []string) (key, target string, ok bool) {
	if x.opts.OpenAPI != nil {
		return x.givenOperation(call, step)
	}
	op := x.ops.use(call, step, contentType, statuses)
	return "operationId", "$sourceDescriptions." + call.source.name + "." + op.id, true
}

// azTemplateRE matches the parameters of a path template.
var azTemplateRE = lazyregexp.New(`\{[^{}]*\}`)

// samePath gives a call the path template already written for the same
// path with other parameter names (/items/{id} and /items/{item_id} are
// one path in OpenAPI), renaming the call's path parameters to match.
func (ops *azOperations) samePath(call *azCall) {
	shape := azTemplateRE.ReplaceAllString(call.path, "{}")
	for _, op := range ops.list {
		if op.path == call.path || azTemplateRE.ReplaceAllString(op.path, "{}") != shape {
			continue
		}
		ours, theirs := azTemplateRE.FindAllStringSubmatch(call.path, -1), azTemplateRE.FindAllStringSubmatch(op.path, -1)
		for i := range call.params {
			j := slices.IndexFunc(ours, func(m []string) bool { return m[0] == "{"+call.params[i].name+"}" })
			if call.params[i].in == "path" && j >= 0 {
				call.params[i].name = strings.Trim(theirs[j][0], "{}")
			}
		}
		call.path = op.path
		return
	}
}

// use records a call of an operation and returns the operation.
func (ops *azOperations) use(call *azCall, step, contentType string, statuses []string) *azOperation {
	ops.samePath(call)
	key := call.method + " " + call.source.server + " " + call.path
	op := ops.byKey[key]
	if op == nil {
		op = &azOperation{method: call.method, path: call.path, server: call.source.server, summary: step, id: ops.newID(step)}
		ops.byKey[key] = op
		ops.list = append(ops.list, op)
	}
	for _, p := range call.params {
		if !slices.ContainsFunc(op.params, func(q azParam) bool { return q.in == p.in && strings.EqualFold(q.name, p.name) }) {
			op.params = append(op.params, azParam{in: p.in, name: p.name})
		}
	}
	if mt := strings.TrimSpace(strings.Split(contentType, ";")[0]); mt != "" && !slices.Contains(op.media, mt) {
		op.media = append(op.media, mt)
	}
	for _, s := range statuses {
		if !slices.Contains(op.statuses, s) {
			op.statuses = append(op.statuses, s)
		}
	}
	return op
}

// newID makes an operationId of a step name, in lower camel case.
func (ops *azOperations) newID(name string) string {
	words := strings.Fields(azNonNameRE.ReplaceAllString(name, " "))
	id := "call"
	if len(words) > 0 {
		id = strings.ToLower(words[0])
		for _, w := range words[1:] {
			id += strings.ToUpper(w[:1]) + strings.ToLower(w[1:])
		}
	}
	out := id
	for i := 2; ops.ids[out]; i++ {
		out = fmt.Sprintf("%s%d", id, i)
	}
	ops.ids[out] = true
	return out
}

// givenOperation finds the operation of the given description that a call
// matches by method and path under its server's path.
func (x *azExporter) givenOperation(call *azCall, step string) (key, target string, ok bool) {
	var base string
	if u, err := url.Parse(call.source.server); err == nil {
		base = strings.TrimSuffix(u.Path, "/")
	}
	var markers []string
	for _, p := range call.params {
		if p.in == "path" {
			markers = append(markers, p.name)
		}
	}
	concrete := call.path
	for i, name := range markers {
		concrete = strings.ReplaceAll(concrete, "{"+name+"}", fmt.Sprintf("azp%dazp", i))
	}
	m, err := x.opts.OpenAPI.Find(call.method, &url.URL{Path: base + concrete})
	if err != nil {
		x.note(step, fmt.Sprintf("the description has no operation %s %s: the step is not exported", call.method, call.path))
		return "", "", false
	}
	for descName, v := range m.Params {
		for i := range call.params {
			if call.params[i].in == "path" && fmt.Sprintf("azp%dazp", slices.Index(markers, call.params[i].name)) == v {
				call.params[i].name = descName
			}
		}
	}
	op := m.Operation
	if op.ID != "" {
		return "operationId", "$sourceDescriptions." + call.source.name + "." + op.ID, true
	}
	ptr := "/paths/" + strings.NewReplacer("~", "~0", "/", "~1").Replace(op.Path) + "/" + strings.ToLower(op.Method)
	return "operationPath", "{$sourceDescriptions." + call.source.name + ".url}#" + ptr, true
}

// description writes the OpenAPI description of the operations called.
func (ops *azOperations) description(c *collections.Collection, sources []*azSource) *yaml.Node {
	root := mapping()
	add(root, "openapi", str("3.1.0"))
	info := mapping()
	add(info, "title", str(c.Name))
	add(info, "version", str("1.0.0"))
	add(info, "description", str("The operations that "+c.File+" calls, as callsheet export arazzo found them. Add schemas to check responses."))
	add(root, "info", info)
	rootServer := ""
	if len(sources) > 0 {
		rootServer = sources[0].server
		add(root, "servers", azServers(rootServer))
	}
	paths := mapping()
	for _, op := range ops.list {
		item := get(paths, op.path)
		if item == nil {
			item = mapping()
			add(paths, op.path, item)
		}
		add(item, strings.ToLower(op.method), op.node(rootServer))
	}
	add(root, "paths", paths)
	return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}
}

func azServers(url string) *yaml.Node {
	s := flowMapping()
	add(s, "url", str(url))
	return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{s}}
}

// azIgnoredHeaders are the header parameters OpenAPI ignores.
var azIgnoredHeaders = []string{"accept", "authorization", "content-type"}

// node writes the operation.
func (op *azOperation) node(rootServer string) *yaml.Node {
	n := mapping()
	add(n, "operationId", str(op.id))
	add(n, "summary", str(op.summary))
	if op.server != rootServer {
		add(n, "servers", azServers(op.server))
	}
	params := sequence()
	for _, p := range op.params {
		if p.in == "header" && slices.Contains(azIgnoredHeaders, strings.ToLower(p.name)) {
			continue
		}
		pn := flowMapping()
		add(pn, "name", str(p.name))
		add(pn, "in", str(p.in))
		if p.in == "path" {
			add(pn, "required", scalar(true))
		}
		add(pn, "schema", flowMapping())
		params.Content = append(params.Content, pn)
	}
	if len(params.Content) > 0 {
		add(n, "parameters", params)
	}
	if len(op.media) > 0 {
		content := mapping()
		for _, m := range op.media {
			mt := mapping()
			add(mt, "schema", flowMapping())
			add(content, m, mt)
		}
		rb := mapping()
		add(rb, "content", content)
		add(n, "requestBody", rb)
	}
	responses := mapping()
	statuses := op.statuses
	if len(statuses) == 0 {
		statuses = []string{"default"}
	}
	for _, s := range statuses {
		r := mapping()
		add(r, "description", str("What "+op.summary+" expects."))
		add(responses, s, r)
	}
	add(n, "responses", responses)
	return n
}
