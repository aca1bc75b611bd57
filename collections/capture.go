package collections

import (
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// AuthorizeResults are the fields of an authorize step's result, which its
// captures read as JSON paths ({"code", "state", "code_verifier",
// "redirect_uri"}).
var AuthorizeResults = []string{"code", "state", "code_verifier", "redirect_uri"}

// captures walks a step's capture mapping. On an authorize step, captures
// read the authorize result's fields.
func (l *loader) captures(n *yaml.Node, authorize bool) []*Capture {
	ps, _ := l.pairs(n, "capture")
	var out []*Capture
	for _, p := range ps {
		if !l.checkName(p.keyN, p.key, "capture") {
			continue
		}
		c := &Capture{Pos: l.pos(p.keyN), Name: p.key}
		v := p.value
		switch {
		case isString(v):
			c.Source, c.Path = FromJSON, v.Value
			if v.Value == "" {
				l.errorAt(v, `write a gjson path such as data.id`, "capture %q has an empty path", p.key)
				continue
			}
			l.checkGJSONPath(v, v.Value)
		case v.Kind == yaml.MappingNode:
			if !l.captureSpec(c, v) {
				continue
			}
		default:
			l.errorAt(v, "write a gjson path, or a mapping such as {header: Location}", "capture %q must be a path or a mapping, not %s", p.key, describe(v))
			continue
		}
		if authorize {
			field, _, _ := strings.Cut(c.Path, ".")
			if c.Source != FromJSON || !slices.Contains(AuthorizeResults, field) {
				l.errorAt(v, suggestHint(field, AuthorizeResults), "an authorize step captures only %s", strings.Join(AuthorizeResults, ", "))
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// captureSpec reads a capture written as a mapping: one source (or
// header: with regex:), secret: and default:. It reports whether the
// capture is whole.
func (l *loader) captureSpec(c *Capture, n *yaml.Node) bool {
	ps, _ := l.pairs(n, "capture")
	ps, allKnown := l.knownKeys(ps, "capture", CaptureKeys.Keys)
	var sources []string
	var regexN *yaml.Node
	ok := true
	for _, p := range ps {
		switch p.key {
		case "secret":
			c.Secret, _ = l.boolean(p.value, "secret")
			continue
		case "default":
			c.Default = l.value(p.value)
			continue
		case "regex":
			regexN = p.value
		}
		ok = l.captureSource(c, p) && ok
		sources = append(sources, p.key)
	}
	if !l.oneSource(c, n, sources, allKnown) {
		return false
	}
	return l.capturePattern(c, regexN, ok)
}

// captureSource reads one source key of a capture into c. It reports false
// when the source is not whole.
func (l *loader) captureSource(c *Capture, p pair) bool {
	switch p.key {
	case "json", "header":
		what, source := "json path", FromJSON
		if p.key == "header" {
			what, source = "header name", FromHeader
		}
		s, good := l.str(p.value, what)
		if good && s != "" {
			c.Source, c.Path = source, s
			if source == FromJSON {
				l.checkGJSONPath(p.value, s)
			}
		}
		return good && s != ""
	case "status", "body", "duration", "url", "redirects":
		c.Source = CaptureSource(slices.Index(captureSources, p.key)) + FromJSON
		b, good := l.boolean(p.value, p.key)
		if good && !b {
			l.errorAt(p.value, "remove the key or write true", "%s: false captures nothing", p.key)
			return false
		}
		return good || p.key == "status" || p.key == "body"
	case "cookie", "xpath", "css":
		return l.captureQuery(c, p)
	case "regex":
		s, good := l.str(p.value, "regex")
		c.Regex = s
		return good
	}
	return true
}

// captureQuery reads the cookie name, XPath expression or CSS selector of
// a capture, compiling the queries.
func (l *loader) captureQuery(c *Capture, p pair) bool {
	s, ok := l.str(p.value, p.key)
	if !ok || strings.TrimSpace(s) == "" {
		if ok {
			l.errorAt(p.value, "", "%s must not be empty", p.key)
		}
		return false
	}
	c.Query = s
	c.Source = FromCookie
	if p.key != "cookie" {
		if c.Markup = l.markupQuery(p.key, p.value, s); c.Markup == nil {
			return false
		}
		c.Source = map[string]CaptureSource{"xpath": FromXPath, "css": FromCSS}[p.key]
	}
	return true
}

// oneSource checks that a capture has one source, or header: with
// regex: (a regex applied to a header, whose name is then Path).
func (l *loader) oneSource(c *Capture, n *yaml.Node, sources []string, allKnown bool) bool {
	switch {
	case len(sources) == 0 && !allKnown:
		return false
	case len(sources) == 0:
		l.errorAt(n, "add one of json:, header:, status: true, body: true or regex:", "capture %q has no source", c.Name)
		return false
	case len(sources) == 2 && slices.Contains(sources, "header") && slices.Contains(sources, "regex"):
		c.Source = FromRegex
	case len(sources) > 1:
		l.errorAt(n, "header: and regex: is the only allowed pair", "capture %q has more than one source: %s", c.Name, strings.Join(sources, ", "))
		return false
	case sources[0] == "regex":
		c.Source = FromRegex
	}
	return true
}

// capturePattern compiles the regex: of a capture, at regexN, into
// c.Pattern; it must have a group to capture. ok says the rest of the
// capture is whole.
func (l *loader) capturePattern(c *Capture, regexN *yaml.Node, ok bool) bool {
	switch {
	case regexN == nil:
		return ok
	case c.Regex == "":
		if ok {
			l.errorAt(regexN, "", "regex must not be empty")
		}
		return false
	}
	re, err := regexp.Compile(c.Regex)
	if err != nil {
		l.errorAt(regexN, "the syntax is Go's RE2", "invalid regex: %s", regexMessage(err))
		return false
	}
	if re.NumSubexp() < 1 {
		l.errorAt(regexN, "wrap the part to capture in parentheses, for example 'code=([0-9a-f]+)'", "regex has no group to capture")
		return false
	}
	c.Pattern = re
	return ok
}

// regexMessage shortens a regexp error.
func regexMessage(err error) string {
	return strings.TrimPrefix(err.Error(), "error parsing regexp: ")
}
