package convert

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strings"

	"github.com/callsheet/callsheet/internal/lazyregexp"
	"gopkg.in/yaml.v3"
)

// Insomnia exports: v4 ({"_type": "export", "__export_format": 4,
// "resources": […]}, as JSON or YAML) lists workspaces, folders
// (request_group), requests and environments linked by parentId; v5 YAML
// (type: collection.insomnia.rest/5.0) nests folders' children and
// environments. Both read into the same tree.

// insRequest is a request or folder of either version.
type insRequest struct {
	ID             string         `yaml:"_id"`
	Type           string         `yaml:"_type"`
	ParentID       string         `yaml:"parentId"`
	Name           string         `yaml:"name"`
	Method         string         `yaml:"method"`
	URL            string         `yaml:"url"`
	Body           insBody        `yaml:"body"`
	Parameters     []insPair      `yaml:"parameters"`
	Headers        []insPair      `yaml:"headers"`
	Authentication map[string]any `yaml:"authentication"`
	SortKey        float64        `yaml:"metaSortKey"`
	Meta           struct {
		ID      string  `yaml:"id"`
		SortKey float64 `yaml:"sortKey"`
	} `yaml:"meta"`
	Children []*insRequest `yaml:"children"`
	Scripts  struct {
		PreRequest    string `yaml:"preRequest"`
		AfterResponse string `yaml:"afterResponse"`
	} `yaml:"scripts"`
	PreRequestScript    string `yaml:"preRequestScript"`
	AfterResponseScript string `yaml:"afterResponseScript"`
	// Environment data (v4 environment resources).
	Data map[string]any `yaml:"data"`
}

type insBody struct {
	MimeType string    `yaml:"mimeType"`
	Text     string    `yaml:"text"`
	Params   []insPair `yaml:"params"`
}

type insPair struct {
	Name     string `yaml:"name"`
	Value    string `yaml:"value"`
	Disabled bool   `yaml:"disabled"`
	Type     string `yaml:"type"`
	FileName string `yaml:"fileName"`
}

// insEnv is a v5 environment with its sub-environments.
type insEnv struct {
	Name            string         `yaml:"name"`
	Data            map[string]any `yaml:"data"`
	SubEnvironments []insEnv       `yaml:"subEnvironments"`
}

// insExport is either version, as far as the importer reads it.
type insExport struct {
	Type         string        `yaml:"_type"`
	Format       int           `yaml:"__export_format"`
	Resources    []*insRequest `yaml:"resources"`
	V5Type       string        `yaml:"type"`
	Name         string        `yaml:"name"`
	Collection   []*insRequest `yaml:"collection"`
	Environments insEnv        `yaml:"environments"`
}

// ImportInsomnia converts an Insomnia export (v4 JSON or YAML, v5 YAML)
// into a collection: folders become step-name prefixes, the base
// environment vars and each sub-environment env/NAME.yaml for --env NAME.
// Nunjucks templates ({{ _.var }}, {% uuid %}, {% now %}, and {%
// response %} tags, which become captures of the request they read) are
// translated; after-response scripts go through the script translator
// (insomnia.* is Postman's pm.* API).
func ImportInsomnia(name string, data []byte) (*Import, error) {
	var ex insExport
	if err := yaml.Unmarshal(data, &ex); err != nil { // JSON is YAML
		return nil, fmt.Errorf("import insomnia: %w", err)
	}
	b := newBuilder(name)
	var roots []*insRequest
	var envs []File
	switch {
	case ex.Type == "export" && ex.Format == 4:
		roots = insTree(ex.Resources)
		envs = b.insV4Envs(ex.Resources)
		for _, r := range ex.Resources {
			if r.Type == "workspace" && r.Name != "" {
				b.name = r.Name
				break
			}
		}
	case strings.HasPrefix(ex.V5Type, "collection.insomnia.rest/5"):
		roots = ex.Collection
		if ex.Name != "" {
			b.name = ex.Name
		}
		envs = b.insEnvs(ex.Environments)
	default:
		return nil, fmt.Errorf("import insomnia: not an Insomnia export (v4 with _type: export, or v5 with type: collection.insomnia.rest/5.0)")
	}
	ins := &insImporter{b: b, ids: map[string]*insRequest{}}
	ins.index(roots)
	ins.prepass(roots)
	ins.walk(roots, "")
	yml, err := b.build("")
	if err != nil {
		return nil, fmt.Errorf("import insomnia: %w", err)
	}
	return &Import{Files: append([]File{{Name: fileName(b.name), Data: yml}}, envs...), Notes: b.notes, Scripts: b.scripts}, nil
}

// insTree links v4 resources into folders' children, in sort order.
func insTree(resources []*insRequest) []*insRequest {
	byID := map[string]*insRequest{}
	for _, r := range resources {
		byID[r.ID] = r
	}
	var roots []*insRequest
	for _, r := range resources {
		if r.Type != "request" && r.Type != "request_group" {
			continue
		}
		r.Meta.ID, r.Meta.SortKey = r.ID, r.SortKey
		if p := byID[r.ParentID]; p != nil && p.Type == "request_group" {
			p.Children = append(p.Children, r)
		} else {
			roots = append(roots, r)
		}
	}
	return roots
}

// insImporter walks the request tree.
type insImporter struct {
	b   *builder
	ids map[string]*insRequest
	// captures maps a request id to the captures later requests need.
	captures map[string][]insCapture
}

// insCapture is a value of a response that a {% response %} tag reads.
type insCapture struct {
	name string
	node *yaml.Node
}

func (ins *insImporter) index(list []*insRequest) {
	for _, r := range list {
		if r.Meta.ID != "" {
			ins.ids[r.Meta.ID] = r
		}
		ins.index(r.Children)
	}
}

// walk adds the requests of list, folders first by sort key as Insomnia
// shows them.
func (ins *insImporter) walk(list []*insRequest, prefix string) {
	sorted := append([]*insRequest{}, list...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Meta.SortKey < sorted[j].Meta.SortKey })
	for _, r := range sorted {
		if r.Type == "request_group" || r.Method == "" && r.URL == "" {
			ins.walk(r.Children, prefix+r.Name+" / ")
			continue
		}
		ins.step(r, prefix+r.Name)
	}
}

// insEnvs converts a v5 environment tree.
func (b *builder) insEnvs(base insEnv) []File {
	b.insVars(base.Data)
	var out []File
	for _, sub := range base.SubEnvironments {
		out = append(out, b.insEnvFile(sub.Name, sub.Data))
	}
	return out
}

// insV4Envs converts v4 environments: the one whose parent is the
// workspace is the base, the others its sub-environments.
func (b *builder) insV4Envs(resources []*insRequest) []File {
	var out []File
	baseIDs := map[string]bool{}
	for _, r := range resources {
		if r.Type == "environment" && strings.HasPrefix(r.ParentID, "wrk_") {
			b.insVars(r.Data)
			baseIDs[r.ID] = true
		}
	}
	for _, r := range resources {
		if r.Type == "environment" && baseIDs[r.ParentID] {
			out = append(out, b.insEnvFile(r.Name, r.Data))
		}
	}
	return out
}

// insVars declares the base environment's variables, in name order.
func (b *builder) insVars(data map[string]any) {
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		n := varName(k)
		if s, ok := data[k].(string); ok {
			b.setVar(n, str(b.insTemplate(s, "")), "")
		} else {
			b.setVar(n, scalar(data[k]), "")
		}
		if secretFieldRE.MatchString(n) {
			b.secret(n)
		}
	}
	b.pending = nil
}

// insEnvFile writes a sub-environment as env/NAME.yaml.
func (b *builder) insEnvFile(name string, data map[string]any) File {
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	m := mapping()
	for _, k := range keys {
		if secretFieldRE.MatchString(k) {
			b.secret(varName(k))
		}
		if s, ok := data[k].(string); ok {
			add(m, varName(k), str(b.insTemplate(s, "")))
		} else {
			add(m, varName(k), scalar(data[k]))
		}
	}
	b.pending = nil
	text, _ := yaml.Marshal(m)
	return File{Name: "env/" + strings.TrimSuffix(fileName(name), ".yaml") + ".yaml", Data: text}
}

var (
	insVarRE      = lazyregexp.New(`\{\{\s*(?:_\.)?([A-Za-z_][\w.]*)\s*\}\}`)
	insTagRE      = lazyregexp.New(`\{%\s*(\w+)\s*(.*?)\s*%\}`)
	insTagArgRE   = lazyregexp.New(`'((?:\\.|[^'])*)'|"((?:\\.|[^"])*)"|(\d+)`)
	insB64FilterR = lazyregexp.New(`^b64::([A-Za-z0-9+/=]+)::`)
)

// insTemplate converts Nunjucks variables and the common tags.
func (b *builder) insTemplate(s, step string) string {
	s = insVarRE.ReplaceAllStringFunc(s, func(m string) string {
		v := varName(insVarRE.FindStringSubmatch(m)[1])
		b.use(v)
		return "{{ " + v + " }}"
	})
	return insTagRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := insTagRE.FindStringSubmatch(m)
		switch sub[1] {
		case "uuid":
			return "{{ uuid() }}"
		case "now":
			if strings.Contains(sub[2], "millis") {
				return "{{ now().UnixMilli() }}"
			}
			if strings.Contains(sub[2], "unix") {
				return "{{ unix() }}"
			}
			return `{{ now().UTC().Format("2006-01-02T15:04:05.000Z") }}`
		}
		b.note(step, fmt.Sprintf("template tag %s is not translated; set the value by hand", m))
		return m
	})
}

// insTagArgs returns the arguments of a tag.
func insTagArgs(s string) []string {
	var out []string
	for _, m := range insTagArgRE.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1]+m[2]+m[3])
	}
	return out
}

// responseTags finds the {% response 'body'|'header', 'req_id', 'filter'
// %} tags of text and replaces each with the capture it becomes in the
// request it reads.
func (ins *insImporter) responseTags(text string) string {
	return insTagRE.ReplaceAllStringFunc(text, func(m string) string {
		sub := insTagRE.FindStringSubmatch(m)
		if sub[1] != "response" {
			return m
		}
		args := insTagArgs(sub[2])
		if len(args) < 3 || ins.ids[args[1]] == nil {
			return m
		}
		filter := args[2]
		if f := insB64FilterR.FindStringSubmatch(filter); f != nil {
			if dec, err := base64.StdEncoding.DecodeString(f[1]); err == nil {
				filter = string(dec)
			}
		}
		var c insCapture
		switch args[0] {
		case "body":
			path := jsonPathToGJSON(filter)
			c = insCapture{name: varName(strings.ToLower(ins.ids[args[1]].Name + "_" + strings.ReplaceAll(path, ".", "_"))), node: str(path)}
		case "header":
			n := flowMapping()
			add(n, "header", str(filter))
			c = insCapture{name: varName(strings.ToLower(ins.ids[args[1]].Name + "_" + filter)), node: n}
		default:
			return m
		}
		if ins.captures == nil {
			ins.captures = map[string][]insCapture{}
		}
		list := ins.captures[args[1]]
		found := false
		for _, have := range list {
			found = found || have.name == c.name
		}
		if !found {
			ins.captures[args[1]] = append(list, c)
		}
		return "{{" + c.name + "}}"
	})
}

// prepass replaces the {% response %} tags of every request, so that the
// requests they read know their captures before their steps are made.
func (ins *insImporter) prepass(list []*insRequest) {
	for _, r := range list {
		r.URL = ins.responseTags(r.URL)
		r.Body.Text = ins.responseTags(r.Body.Text)
		for _, l := range [][]insPair{r.Parameters, r.Headers, r.Body.Params} {
			for i := range l {
				l[i].Value = ins.responseTags(l[i].Value)
			}
		}
		for k, v := range r.Authentication {
			if s, ok := v.(string); ok {
				r.Authentication[k] = ins.responseTags(s)
			}
		}
		ins.prepass(r.Children)
	}
}

// step adds the step of one request.
func (ins *insImporter) step(ir *insRequest, name string) {
	b := ins.b
	name = b.uniqueName(name)
	r := ins.request(ir, name)
	var left []string
	left = append(left, ins.auth(r, ir.Authentication, name)...)
	left = append(left, ins.body(r, ir.Body, name)...)
	r.expect, r.capture = mapping(), mapping()
	var captures []string
	for _, c := range ins.captures[ir.Meta.ID] {
		node := c.node
		if secretFieldRE.MatchString(c.name) {
			node = withKey(node, "secret", boolNode(true))
			b.secret(c.name)
		}
		setCapture(r.capture, c.name, node)
		captures = append(captures, c.name)
	}
	scriptCaptures, scriptLeft := ins.scripts(r, ir, name)
	b.addStep(r.node(), name, append(captures, scriptCaptures...), append(left, scriptLeft...))
}

// request is the request of ir: its method, URL, enabled query
// parameters and headers.
func (ins *insImporter) request(ir *insRequest, name string) *reqSpec {
	b := ins.b
	method := strings.ToUpper(ir.Method)
	if method == "" {
		method = "GET"
	}
	base, _, _ := strings.Cut(ir.URL, "?")
	r := &reqSpec{name: name, method: method, url: b.insTemplate(pmEncode(base, false), name)}
	if strings.Contains(ir.URL, "?") {
		r.url = b.insTemplate(pmEncode(ir.URL, false), name)
	}
	for _, p := range ir.Parameters {
		if !p.Disabled {
			r.query = append(r.query, kv{p.Name, str(b.insTemplate(p.Value, name))})
		}
	}
	for _, h := range ir.Headers {
		if h.Disabled || h.Name == "" {
			continue
		}
		v := b.insTemplate(h.Value, name)
		if strings.EqualFold(h.Name, "Authorization") {
			v = b.authHeader(v)
		}
		r.headers = append(r.headers, kv{h.Name, str(v)})
	}
	return r
}

// scripts translates ir's pre-request and after-response scripts into r's
// checks and captures, and returns the captures and what was not
// translated.
func (ins *insImporter) scripts(r *reqSpec, ir *insRequest, name string) (captures, left []string) {
	b := ins.b
	untranslated := 0
	for _, sc := range []struct{ label, src string }{
		{"pre-request", ir.Scripts.PreRequest + ir.PreRequestScript},
		{"after-response", ir.Scripts.AfterResponse + ir.AfterResponseScript},
	} {
		if strings.TrimSpace(sc.src) == "" {
			continue
		}
		out := b.translateScript(strings.ReplaceAll(sc.src, "insomnia.", "pm."), sc.label, name)
		captures = append(captures, b.applyScript(r, out)...)
		for _, l := range out.left {
			left = append(left, sc.label+": "+strings.ReplaceAll(l, "pm.", "insomnia."))
		}
		untranslated += len(out.left)
	}
	if untranslated > 0 {
		markUntranslated(r, untranslated)
	}
	return captures, left
}

// auth adds the request's authentication.
func (ins *insImporter) auth(r *reqSpec, a map[string]any, step string) []string {
	b := ins.b
	text := func(k string) string { s, _ := a[k].(string); return b.insTemplate(s, step) }
	if a == nil || a["disabled"] == true {
		return nil
	}
	switch t, _ := a["type"].(string); t {
	case "", "none":
	case "bearer":
		prefix := text("prefix")
		if prefix == "" {
			prefix = "Bearer"
		}
		r.headers = append(r.headers, kv{"Authorization", str(prefix + " " + b.secretValue("token", text("token")))})
	case "basic":
		pass := b.secretValue("password", text("password"))
		r.headers = append(r.headers, kv{"Authorization", str(fmt.Sprintf(`Basic {{ base64_encode(%s + ":" + %s) }}`, exprOfTemplate(text("username")), exprOfTemplate(pass)))})
	case "apikey":
		value := b.secretValue("api_key", text("value"))
		if text("addTo") == "queryParams" {
			r.query = append(r.query, kv{text("key"), str(value)})
		} else {
			r.headers = append(r.headers, kv{text("key"), str(value)})
		}
	default:
		return []string{fmt.Sprintf("authentication %s is not translated; add its header by hand", t)}
	}
	return nil
}

// body sets the body by its MIME type: form fields, multipart parts, or
// the text as written with its Content-Type.
func (ins *insImporter) body(r *reqSpec, body insBody, step string) []string {
	b := ins.b
	mt := strings.ToLower(body.MimeType)
	switch {
	case mt == "":
	case mt == "application/x-www-form-urlencoded":
		for _, p := range body.Params {
			if !p.Disabled {
				r.form = append(r.form, b.field(p.Name, b.insTemplate(p.Value, step)))
			}
		}
		r.dropHeader("Content-Type")
	case mt == "multipart/form-data":
		for _, p := range body.Params {
			switch {
			case p.Disabled:
			case p.Type == "file":
				r.parts = append(r.parts, partSpec{field: p.Name, path: p.FileName})
			default:
				r.parts = append(r.parts, partSpec{field: p.Name, value: b.field(p.Name, b.insTemplate(p.Value, step)).value})
			}
		}
		r.dropHeader("Content-Type")
	case mt == "application/octet-stream" && body.Text == "":
		return []string{"a binary file body is not translated; set body: \"{{ file(\\\"…\\\") }}\""}
	default:
		text := b.insTemplate(body.Text, step)
		r.raw = &text
		if _, i := r.header("Content-Type"); i < 0 {
			r.headers = append(r.headers, kv{"Content-Type", str(body.MimeType)})
		}
	}
	return nil
}
