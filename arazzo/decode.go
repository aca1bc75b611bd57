package arazzo

import (
	"net/url"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/callsheet/callsheet/arazzo/expr"
	"github.com/callsheet/callsheet/internal/lazyregexp"
)

var rootFields = []string{"arazzo", "$self", "info", "sourceDescriptions", "workflows", "components"}

// versionRE matches the versions this package reads: 1.0.x and 1.1.x.
var versionRE = lazyregexp.New(`^1\.([01])\.(0|[1-9][0-9]*)$`)

// document decodes the Arazzo Specification Object.
func (l *loader) document(n *yaml.Node) {
	fs, ok := l.object(n, "the Arazzo document", rootFields)
	if !ok {
		return
	}
	l.required(fs, n, "the Arazzo document", "arazzo", "info", "sourceDescriptions", "workflows")
	l.doc.Minor = 1 // the most permissive reading, until the version says otherwise
	if f := fs["arazzo"]; f != nil {
		l.version(f.value)
	}
	if f := fs["$self"]; f != nil && l.since11(f.keyN, "$self") {
		l.self(f.value)
	}
	if f := fs["info"]; f != nil {
		l.info(f.value)
	}
	if f := fs["sourceDescriptions"]; f != nil {
		l.sources(f.value)
	}
	if f := fs["components"]; f != nil {
		l.components(f.value)
	}
	if f := fs["workflows"]; f != nil {
		l.workflows(f.value)
	}
}

func (l *loader) version(n *yaml.Node) {
	if !isString(n) {
		l.errorAt(n, `quote it: arazzo: "1.1.0"`, "arazzo must be a string, not %s", describe(n))
		return
	}
	m := versionRE.FindStringSubmatch(n.Value)
	if m == nil {
		l.errorAt(n, "supported versions: 1.0.x and 1.1.x", "unsupported Arazzo version %q", n.Value)
		return
	}
	l.doc.Version = n.Value
	l.doc.Minor = int(m[1][0] - '0')
}

func (l *loader) self(n *yaml.Node) {
	s, ok := l.str(n, "$self")
	if !ok {
		return
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		l.errorAt(n, "", "$self is not a URI reference: %v", err)
	case strings.Contains(s, "#") || u.Fragment != "":
		l.errorAt(n, "", "$self must not have a fragment")
	default:
		l.doc.Self = s
	}
}

func (l *loader) info(n *yaml.Node) {
	fs, ok := l.object(n, "info", []string{"title", "summary", "description", "version"})
	if !ok {
		return
	}
	l.required(fs, n, "info", "title", "version")
	l.doc.Info = Info{
		Title:       l.optStr(fs, "title", "info"),
		Summary:     l.optStr(fs, "summary", "info"),
		Description: l.optStr(fs, "description", "info"),
		Version:     l.optStr(fs, "version", "info"),
	}
}

var sourceFields = []string{"name", "url", "type"}

func (l *loader) sources(n *yaml.Node) {
	items := l.list(n, "sourceDescriptions")
	if n.Kind == yaml.SequenceNode && len(items) == 0 {
		l.errorAt(n, "", "sourceDescriptions needs at least one source description")
	}
	seen := map[string]*SourceDescription{}
	for _, it := range items {
		sd := l.source(it)
		if sd == nil || sd.Name == "" {
			continue
		}
		if first := seen[sd.Name]; first != nil {
			l.errorf(sd.Pos, len(sd.Name), "first defined at line "+strconv.Itoa(first.Pos.Line), "duplicate source description name %q", sd.Name)
			continue
		}
		seen[sd.Name] = sd
		l.doc.SourceDescriptions = append(l.doc.SourceDescriptions, sd)
	}
}

func (l *loader) source(n *yaml.Node) *SourceDescription {
	fs, ok := l.object(n, "a source description", sourceFields)
	if !ok {
		return nil
	}
	l.required(fs, n, "a source description", "name", "url")
	sd := &SourceDescription{Pos: l.pos(n)}
	if f := fs["name"]; f != nil {
		sd.Pos = l.pos(f.value)
		sd.Name = l.strictID(f.value, "source description name")
	}
	if f := fs["url"]; f != nil {
		sd.URLPos = l.pos(f.value)
		if s, ok := l.str(f.value, "url"); ok {
			if _, err := url.Parse(s); err != nil {
				l.errorAt(f.value, "", "url is not a URI reference: %v", err)
			}
			sd.URL = s
		}
	}
	if f := fs["type"]; f != nil {
		sd.Type = l.sourceType(f.value)
	}
	return sd
}

func (l *loader) sourceType(n *yaml.Node) string {
	t, ok := l.str(n, "type")
	if !ok {
		return ""
	}
	valid := []string{TypeOpenAPI, TypeArazzo}
	if l.doc.Minor >= 1 {
		valid = append(valid, TypeAsyncAPI)
	}
	for _, v := range valid {
		if t == v {
			return t
		}
	}
	if t == TypeAsyncAPI {
		l.since11(n, "type asyncapi")
		return ""
	}
	l.errorAt(n, didYouMean(t, valid, "valid types: "+strings.Join(valid, ", ")), "unknown source description type %q", t)
	return ""
}

// strictID reads an id that runtime expressions can name:
// [A-Za-z0-9_-]+.
func (l *loader) strictID(n *yaml.Node, what string) string {
	s, ok := l.str(n, what)
	if !ok {
		return ""
	}
	if !expr.IsStrictIdentifier(s) {
		l.errorAt(n, "runtime expressions can only name ids of letters, digits, _ and -", "%s %q must match [A-Za-z0-9_-]+", what, s)
		return ""
	}
	return s
}

var componentFields = []string{"inputs", "parameters", "successActions", "failureActions"}

func (l *loader) components(n *yaml.Node) {
	fs, ok := l.object(n, "components", componentFields)
	if !ok {
		return
	}
	c := &l.doc.Components
	if f := fs["inputs"]; f != nil {
		c.Inputs = map[string]any{}
		for _, in := range l.componentMap(f.value, "components.inputs") {
			if resolve(in.value).Kind != yaml.MappingNode && resolve(in.value).ShortTag() != "!!bool" {
				l.errorAt(in.value, "", "a JSON Schema must be an object or a boolean, not %s", describe(in.value))
				continue
			}
			c.Inputs[in.key], _ = l.json(in.value)
		}
	}
	if f := fs["parameters"]; f != nil {
		c.Parameters = map[string]*Parameter{}
		for _, p := range l.componentMap(f.value, "components.parameters") {
			if param := l.parameter(p.value, false); param != nil {
				c.Parameters[p.key] = param
			}
		}
	}
	if f := fs["successActions"]; f != nil {
		c.SuccessActions = l.componentActions(f.value, "components.successActions", false)
	}
	if f := fs["failureActions"]; f != nil {
		c.FailureActions = l.componentActions(f.value, "components.failureActions", true)
	}
}

func (l *loader) componentActions(n *yaml.Node, what string, failure bool) map[string]*Action {
	out := map[string]*Action{}
	for _, a := range l.componentMap(n, what) {
		if act := l.action(a.value, failure); act != nil {
			out[a.key] = act
		}
	}
	return out
}

// componentMap reads a map of components, whose keys are identifiers.
func (l *loader) componentMap(n *yaml.Node, what string) []*field {
	fs := l.mapping(n, what)
	out := fs[:0]
	for _, f := range fs {
		if !expr.IsIdentifier(f.key) {
			l.errorAt(f.keyN, "", "key %q of %s must match [a-zA-Z0-9.-_]+", f.key, what)
			continue
		}
		out = append(out, f)
	}
	return out
}
