package collections

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/callsheet/callsheet/eval"
	"gopkg.in/yaml.v3"
)

// collection walks the document's top-level mapping.
func (l *loader) collection(n *yaml.Node) *Collection {
	c := &Collection{Name: baseName(l.file), File: l.file, Source: l.src, Bundled: l.bundled}
	if n = resolve(n); n.Kind != yaml.MappingNode {
		l.errorAt(n, "start the file with keys such as name: and steps:", "collection must be a mapping, not %s", describe(n))
		return c
	}
	ps, _ := l.pairs(n, "collection")
	// Top-level keys starting with x- are ignored: a place for anchors.
	ps = slices.DeleteFunc(ps, func(p pair) bool { return strings.HasPrefix(p.key, "x-") })
	var stepsSeen bool
	for _, p := range l.known(ps, "collection", CollectionKeys.Keys) {
		switch p.key {
		case "name":
			if s, ok := l.str(p.value, "name"); ok {
				c.Name = s
			}
		case "description":
			if s, ok := l.str(p.value, "description"); ok {
				c.Description = s
			}
		case "vars":
			c.Vars = l.vars(p.value)
		case "secrets":
			c.Secrets, c.secretPos = l.secrets(p.value)
		case "defaults":
			c.Defaults = l.defaults(p.value)
		case "auth":
			c.Auth = l.authProfiles(p.value)
		case "steps":
			stepsSeen = true
			if l.split != nil && p.keyN.Line == l.split.region.key+1 {
				c.Steps = l.splitItems()
			} else {
				c.Steps = l.steps(p)
			}
		case "finally":
			c.Finally = l.steps(p)
		case "tags":
			c.Tags = l.tags(p.value)
		case "load":
			c.Load = l.loadTest(p.value)
		case "openapi":
			c.OpenAPI = l.openAPI(p, false)
		}
	}
	if !stepsSeen {
		l.errorf(l.pos(n), 0, "add a steps: list of requests", "collection has no steps")
	}
	return c
}

func (l *loader) vars(n *yaml.Node) []*Var {
	ps, _ := l.pairs(n, "vars")
	var out []*Var
	for _, p := range ps {
		if !l.checkName(p.keyN, p.key, "variable") {
			continue
		}
		out = append(out, &Var{Pos: l.pos(p.keyN), Name: p.key, Value: l.textValue(p.value)})
	}
	return out
}

// checkName reports a variable or capture name that is not an identifier
// or is reserved.
func (l *loader) checkName(n *yaml.Node, name, what string) bool {
	if name == eval.EnvName {
		l.errorAt(n, "env.NAME reads environment variables; choose another name", "%s name %q is reserved", what, name)
		return false
	}
	if eval.IsFunction(name) {
		l.errorAt(n, "it names a template function; choose another name", "%s name %q is reserved", what, name)
		return false
	}
	if !isIdent(name) {
		hint := "use letters, digits and underscores, not starting with a digit"
		if fixed := strings.NewReplacer("-", "_", ".", "_", " ", "_").Replace(name); isIdent(fixed) {
			hint = fmt.Sprintf("did you mean %q?", fixed)
		}
		l.errorAt(n, hint, "invalid %s name %q", what, name)
		return false
	}
	return true
}

func (l *loader) secrets(n *yaml.Node) ([]string, []Pos) {
	n = resolve(n)
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		l.errorAt(n, "for example secrets: [client_secret, access_token]", "secrets must be a list of names, not %s", describe(n))
		return nil, nil
	}
	var names []string
	var poss []Pos
	for _, it := range n.Content {
		it = resolve(it)
		s, ok := l.str(it, "secret name")
		if !ok {
			continue
		}
		names = append(names, s)
		poss = append(poss, l.pos(it))
	}
	return names, poss
}

func (l *loader) defaults(n *yaml.Node) Defaults {
	var d Defaults
	ps, _ := l.pairs(n, "defaults")
	for _, p := range l.known(ps, "defaults", DefaultsKeys.Keys) {
		switch p.key {
		case "headers":
			d.Headers = l.keyValues(p.value, "headers", true)
		case "timeout":
			d.Timeout = l.duration(p.value, "timeout")
		}
	}
	return d
}

// keyValues converts a mapping of names to scalar values (or lists of
// scalars when lists is true), or a list of such mappings, whose entries
// keep their order across items and may repeat a name:
//
//	headers:
//	  - X-Id: a
//	  - Accept: text/plain
//	  - X-Id: b
func (l *loader) keyValues(n *yaml.Node, what string, lists bool) []*KeyValue {
	var out []*KeyValue
	for _, p := range l.entries(n, what) {
		v := l.scalarValue(p.value, fmt.Sprintf("%s %q", singular(what), p.key), lists)
		if v == nil {
			continue
		}
		out = append(out, &KeyValue{Pos: l.pos(p.keyN), Key: p.key, Value: v})
	}
	return out
}

// entries returns the pairs of a mapping, or of a list of mappings in
// order (where a name may repeat).
func (l *loader) entries(n *yaml.Node, what string) []pair {
	n = resolve(n)
	if n.Kind != yaml.SequenceNode {
		ps, _ := l.pairs(n, what)
		return ps
	}
	var out []pair
	for _, it := range n.Content {
		if resolve(it).Kind != yaml.MappingNode {
			l.errorAt(it, "write each item as NAME: VALUE", "%s list items must be mappings, not %s", what, describe(resolve(it)))
			continue
		}
		ps, _ := l.pairs(it, what)
		out = append(out, ps...)
	}
	return out
}

func singular(what string) string {
	switch what {
	case "headers":
		return "header"
	case "query":
		return "query parameter"
	case "form", "multipart":
		return what + " field"
	}
	return what
}

// duration parses a Go duration such as 10s or 1m30s.
func (l *loader) duration(n *yaml.Node, what string) time.Duration {
	n = resolve(n)
	hint := `write a number with a unit, for example "10s", "1m30s" or "500ms"`
	if !isString(n) {
		l.errorAt(n, hint, "%s must be a duration, not %s", what, describe(n))
		return 0
	}
	d, err := time.ParseDuration(n.Value)
	if err != nil {
		l.errorAt(n, hint, "invalid duration %q for %s", n.Value, what)
		return 0
	}
	if d <= 0 {
		l.errorAt(n, hint, "%s must be positive", what)
		return 0
	}
	return d
}

func (l *loader) steps(p pair) []*Step {
	n := p.value
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" || n.Kind == yaml.SequenceNode && len(n.Content) == 0 {
		l.errorAt(p.keyN, "add at least one request, for example - GET: https://example.com", "steps must not be empty")
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		l.errorAt(n, "write steps as a list, each item starting with -", "steps must be a list, not %s", describe(n))
		return nil
	}
	var out []*Step
	names := map[string]*Step{}
	for i, it := range n.Content {
		out = l.addStep(out, names, l.step(resolve(it), i+1))
	}
	return out
}

// addStep appends s to steps unless it is nil, reporting a name already
// in names, the steps so far by name.
func (l *loader) addStep(steps []*Step, names map[string]*Step, s *Step) []*Step {
	if s == nil {
		return steps
	}
	if first, dup := names[s.Name]; dup {
		l.errorf(s.namePos, len([]rune(s.Name)), fmt.Sprintf("the first is at line %d; step names must be unique", first.Pos.Line), "duplicate step name %q", s.Name)
	} else {
		names[s.Name] = s
	}
	return append(steps, s)
}

// step reads one step: its name, its action, then its other keys.
func (l *loader) step(n *yaml.Node, index int) *Step {
	s := &Step{Pos: l.pos(n), Name: fmt.Sprintf("step %d", index), namePos: l.pos(n)}
	if n.Kind != yaml.MappingNode {
		l.errorAt(n, "a step is a mapping such as GET: https://example.com", "step must be a mapping, not %s", describe(n))
		return nil
	}
	ps, _ := l.pairs(n, "step")
	ps = l.known(ps, "step", StepKeys.Keys)
	what := fmt.Sprintf("step %d", index)
	for _, p := range ps {
		if p.key != "name" {
			continue
		}
		if name, ok := l.str(p.value, "step name"); ok {
			s.Name, s.namePos = name, l.pos(p.value)
			what = fmt.Sprintf("step %q", name)
		}
	}
	kind, urlP, ok := l.actionKey(n, ps, what)
	if !ok {
		return s
	}
	l.action(s, kind, urlP, ps, what)
	for _, p := range ps {
		l.stepKey(s, p, what)
	}
	return s
}

// actionKey finds the key of a step that says its action: one method
// shorthand, method: (beside url:), authorize:, include: or fail:; urlP is
// the url: key, or nil. It reports false after recording an error when
// there is not exactly one.
func (l *loader) actionKey(n *yaml.Node, ps []pair, what string) (kind pair, urlP *pair, ok bool) {
	var kinds []pair
	for i := range ps {
		p := &ps[i]
		switch {
		case slices.Contains(methods, p.key), p.key == "method", p.key == "authorize", p.key == "fail", p.key == "include":
			kinds = append(kinds, *p)
		case p.key == "url":
			urlP = p
		}
	}
	switch {
	case len(kinds) == 0 && urlP != nil:
		l.errorAt(urlP.keyN, `add method: GET (or write GET: <url> instead of url:)`, "%s has url: but no method:", what)
	case len(kinds) == 0:
		l.errorf(l.pos(n), 0, "start the step with a method and URL, for example GET: https://example.com, or use authorize:", "%s has no request: no method, url or authorize", what)
	case len(kinds) > 1:
		names := make([]string, len(kinds))
		for i, k := range kinds {
			names[i] = k.key
		}
		for _, k := range kinds[1:] {
			l.errorAt(k.keyN, "a step sends one request: split it into two steps", "%s has more than one request: %s", what, strings.Join(names, ", "))
		}
	default:
		return kinds[0], urlP, true
	}
	return pair{}, nil, false
}

// action reads the action of a step from its key, kind.
func (l *loader) action(s *Step, kind pair, urlP *pair, ps []pair, what string) {
	switch {
	case kind.key == "fail":
		l.failStep(s, kind)
	case kind.key == "include":
		l.includeStep(s, kind, ps)
	case kind.key == "authorize":
		if urlP != nil {
			l.errorAt(urlP.keyN, "put url: inside authorize:", "url: is not allowed beside authorize: in %s", what)
		}
		s.Action = l.authorize(kind.value, l.pos(kind.keyN))
	case kind.key == "method":
		r := &Request{MethodPos: l.pos(kind.value)}
		if m, ok := l.str(kind.value, "method"); ok {
			if up := strings.ToUpper(m); slices.Contains(methods, up) {
				r.Method = up
			} else {
				l.errorAt(kind.value, suggestMethod(m), "unknown method %q", m)
			}
		}
		if urlP == nil {
			l.errorAt(kind.keyN, "add url: beside method:", "%s has method: but no url:", what)
		} else {
			r.URL = l.template(urlP.value, "url")
		}
		s.Action = r
	default:
		if urlP != nil {
			l.errorAt(urlP.keyN, fmt.Sprintf("the URL is the value of %s:", kind.key), "url: is not allowed beside %s: in %s", kind.key, what)
		}
		s.Action = &Request{Method: kind.key, MethodPos: l.pos(kind.keyN), URL: l.template(kind.value, "url")}
	}
}

// stepKey reads one key of a step other than its name and action.
func (l *loader) stepKey(s *Step, p pair, what string) {
	if err := requestless(s, p.key); err != nil {
		l.errorAt(p.keyN, requestlessHint(s), "%v", err)
		return
	}
	if l.flowKey(s, p) {
		return
	}
	switch p.key {
	case "query", "headers", "timeout", "follow_redirects", "json", "form", "multipart", "body":
		if s.Authorize() != nil {
			l.errorAt(p.keyN, "an authorize step sends no request of its own; put the token request in the next step", "%s: is not allowed on an authorize step", p.key)
			return
		}
		l.requestKey(s.Request(), p, what)
	case "expect":
		if s.Authorize() != nil {
			l.errorAt(p.keyN, "an authorize step has no response to check; capture its code instead", "expect: is not allowed on an authorize step")
			return
		}
		s.Expect = l.expect(p)
	case "capture":
		s.Captures = l.captures(p.value, s.Authorize() != nil)
	case "if":
		s.If = l.condition(p.value)
	case "auth":
		l.stepAuth(s, p)
	case "openapi", "operation_id":
		l.stepOpenAPI(s, p)
	}
}

// requestKey reads one key of a step's request.
func (l *loader) requestKey(r *Request, p pair, what string) {
	switch p.key {
	case "query":
		r.Query = l.keyValues(p.value, "query", true)
	case "headers":
		r.Headers = l.keyValues(p.value, "headers", true)
	case "timeout":
		r.Timeout = l.duration(p.value, "timeout")
	case "follow_redirects":
		if b, ok := l.boolean(p.value, "follow_redirects"); ok {
			r.FollowRedirects = &b
		}
	default:
		if r.Body != nil {
			l.errorAt(p.keyN, "send one body per request", "%s has two bodies: %s and %s", what, r.Body.Kind, p.key)
			return
		}
		r.Body = l.body(p)
	}
}

// suggestMethod is the hint for an unknown HTTP method.
func suggestMethod(m string) string {
	return didYouMean(m, methods, "methods: "+strings.Join(methods, ", "))
}

func (l *loader) authorize(n *yaml.Node, pos Pos) *Authorize {
	a := &Authorize{Pos: pos}
	ps, ok := l.pairs(n, "authorize")
	if !ok {
		return a
	}
	seen := map[string]bool{}
	ps, allKnown := l.knownKeys(ps, "authorize", AuthorizeKeys.Keys)
	for _, p := range ps {
		seen[p.key] = true
		switch p.key {
		case "url":
			a.URL = l.template(p.value, "authorize url")
		case "client_id":
			a.ClientID = l.template(p.value, "client_id")
		case "redirect_uri":
			a.RedirectURI = l.template(p.value, "redirect_uri")
		case "scope":
			a.Scope = l.template(p.value, "scope")
		case "pkce":
			a.PKCE, _ = l.boolean(p.value, "pkce")
		case "auto":
			a.Auto, _ = l.boolean(p.value, "auto")
		}
	}
	for _, k := range []string{"url", "client_id", "redirect_uri"} {
		if !seen[k] && allKnown {
			l.errorf(pos, len("authorize"), "authorize needs url, client_id and redirect_uri", "authorize has no %s", k)
		}
	}
	return a
}

func (l *loader) body(p pair) *Body {
	b := &Body{Pos: l.pos(p.keyN)}
	switch p.key {
	case "json":
		b.Kind, b.JSON = BodyJSON, l.value(p.value)
	case "form":
		b.Kind = BodyForm
		b.Fields = l.keyValues(p.value, "form", true)
	case "multipart":
		b.Kind = BodyMultipart
		for _, f := range l.entries(p.value, "multipart") {
			b.Parts = append(b.Parts, l.parts(f)...)
		}
	case "body":
		b.Kind = BodyRaw
		if !isString(resolve(p.value)) {
			l.errorAt(p.value, "use json: to send a JSON value, or quote the text", "body must be a string, not %s", describe(resolve(p.value)))
			return b
		}
		b.Raw = l.parseTemplate(p.value)
	}
	return b
}

// parts converts one entry of multipart: a text value, a list of them (one
// part each) or a part mapping ({file: path} or {value: text}, with
// filename, content_type and headers).
func (l *loader) parts(f pair) []*MultipartPart {
	pos := l.pos(f.keyN)
	if f.value.Kind != yaml.MappingNode {
		v := l.scalarValue(f.value, fmt.Sprintf("multipart field %q", f.key), true)
		if v == nil {
			return nil
		}
		if v.Kind != KindList {
			return []*MultipartPart{{Pos: pos, Field: f.key, Value: v}}
		}
		out := make([]*MultipartPart, len(v.Items))
		for i, it := range v.Items {
			out[i] = &MultipartPart{Pos: it.Pos, Field: f.key, Value: it}
		}
		return out
	}
	part := &MultipartPart{Pos: pos, Field: f.key}
	ps, _ := l.pairs(f.value, "multipart part")
	ps, allKnown := l.knownKeys(ps, "multipart part", PartKeys.Keys)
	for _, p := range ps {
		switch p.key {
		case "value":
			part.Value = l.scalarValue(p.value, fmt.Sprintf("multipart field %q", f.key), false)
		case "file":
			part.File = l.template(p.value, "file")
			l.checkFileTemplate(p.value, part.File, "multipart file")
		case "filename":
			part.Filename = l.template(p.value, "filename")
		case "content_type":
			part.ContentType = l.template(p.value, "content_type")
		case "headers":
			part.Headers = l.keyValues(p.value, "headers", false)
		}
	}
	switch {
	case !allKnown && part.File == nil && part.Value == nil:
		return nil
	case part.File == nil && part.Value == nil:
		l.errorAt(f.keyN, "a part mapping has file: (a file's content) or value: (text)", "multipart part %q has neither file nor value", f.key)
		return nil
	case part.File != nil && part.Value != nil:
		l.errorAt(f.keyN, "a part sends either a file or a value", "multipart part %q has both file and value", f.key)
		return nil
	}
	return []*MultipartPart{part}
}

// IsMethod reports whether a step may send the HTTP method m (upper case).
func IsMethod(m string) bool { return slices.Contains(methods, m) }
