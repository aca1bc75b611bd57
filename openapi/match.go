package openapi

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Match is the operation a request matches, with its path parameters.
type Match struct {
	Operation *Operation
	// Params are the path parameters, unescaped: petId → 42.
	Params map[string]string
}

// NotFoundError says that no operation matches a request.
type NotFoundError struct {
	Method, Path string
	// Allowed lists the methods the description documents for the path,
	// when it documents the path with other methods.
	Allowed []string
}

// Error says what did not match.
func (e *NotFoundError) Error() string {
	if len(e.Allowed) > 0 {
		return fmt.Sprintf("no operation %s %s in the description (the path has %s)", e.Method, e.Path, strings.Join(e.Allowed, ", "))
	}
	return fmt.Sprintf("no operation %s %s in the description (no path matches)", e.Method, e.Path)
}

// pathTemplate matches request paths against an operation's path under
// each of its servers' base paths.
type pathTemplate struct {
	re    *regexp.Regexp
	names []string
	// rank grades each segment of the path template: 2 for literal text,
	// 1 for text and parameters, 0 for a lone parameter. Templates with
	// more literal text on the left win (OpenAPI: concrete paths match
	// before templated ones).
	rank []int
}

// params returns the byte ranges of the {parameters} of a path template
// or server URL, braces included.
func params(s string) [][2]int {
	var out [][2]int
	for i := 0; i < len(s); i++ {
		if s[i] != '{' {
			continue
		}
		end := strings.IndexAny(s[i+1:], "{}/")
		if end > 0 && s[i+1+end] == '}' {
			out = append(out, [2]int{i, i + end + 2})
			i += end + 1
		}
	}
	return out
}

// ReplaceParams returns the path template or server URL s with each
// {name} replaced by fn(name).
func ReplaceParams(s string, fn func(name string) string) string {
	var b strings.Builder
	last := 0
	for _, p := range params(s) {
		b.WriteString(s[last:p[0]] + fn(s[p[0]+1:p[1]-1]))
		last = p[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// index prepares the operations for Find and Operation.
func (d *Description) index() error {
	d.byID = map[string]*Operation{}
	var errs ErrorList
	for _, op := range d.Operations {
		if op.ID != "" {
			if first, dup := d.byID[op.ID]; dup {
				errs = append(errs, &Error{Location: op.Loc, Msg: fmt.Sprintf("operationId %q is used twice (first at %s)", op.ID, first.Loc)})
			}
			d.byID[op.ID] = op
		}
		t, err := compileTemplate(op.Path, op.Servers)
		if err != nil {
			errs = append(errs, &Error{Location: op.Loc, Msg: err.Error()})
			continue
		}
		op.template = t
	}
	return errs.err()
}

// compileTemplate compiles a path template under the base paths of
// servers.
func compileTemplate(p string, servers []Server) (*pathTemplate, error) {
	t := &pathTemplate{}
	var re strings.Builder
	re.WriteString(`^(?:` + strings.Join(basePatterns(servers), "|") + `)`)
	for _, seg := range strings.Split(strings.TrimPrefix(p, "/"), "/") {
		re.WriteString("/")
		ps := params(seg)
		switch {
		case len(ps) == 0:
			t.rank = append(t.rank, 2)
		case len(ps) == 1 && ps[0][0] == 0 && ps[0][1] == len(seg):
			t.rank = append(t.rank, 0)
		default:
			t.rank = append(t.rank, 1)
		}
		last := 0
		for _, loc := range ps {
			re.WriteString(regexp.QuoteMeta(seg[last:loc[0]]) + `([^/]+?)`)
			t.names = append(t.names, seg[loc[0]+1:loc[1]-1])
			last = loc[1]
		}
		re.WriteString(regexp.QuoteMeta(seg[last:]))
	}
	re.WriteString("$")
	var err error
	if t.re, err = regexp.Compile(re.String()); err != nil {
		return nil, fmt.Errorf("path %s: %w", p, err)
	}
	return t, nil
}

// basePatterns returns the regular expressions of the servers' base
// paths: the path of each server URL, with {variables} matching one
// segment. No servers means the base path /.
func basePatterns(servers []Server) []string {
	if len(servers) == 0 {
		return []string{""}
	}
	var out []string
	for _, s := range servers {
		base := s.URL
		if _, rest, ok := strings.Cut(base, "://"); ok {
			base = ""
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				base = rest[i:]
			}
		}
		base = strings.TrimSuffix("/"+strings.TrimPrefix(base, "/"), "/")
		var pat strings.Builder
		last := 0
		for _, loc := range params(base) {
			pat.WriteString(regexp.QuoteMeta(base[last:loc[0]]) + `[^/]+`)
			last = loc[1]
		}
		pat.WriteString(regexp.QuoteMeta(base[last:]))
		if !slices.Contains(out, pat.String()) {
			out = append(out, pat.String())
		}
	}
	return out
}

// Find returns the operation a request to u with method matches. Paths
// are matched against each operation's path template under its servers'
// base paths; the scheme and host of u are not compared, so requests to
// a test server match too. When several templates match, the one with
// literal text furthest to the left wins, as OpenAPI asks. The error is a
// *NotFoundError.
func (d *Description) Find(method string, u *url.URL) (*Match, error) {
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	method = strings.ToUpper(method)
	var best *Operation
	var bestParams []string
	var allowed []string
	for _, op := range d.Operations {
		m := op.template.re.FindStringSubmatch(p)
		if m == nil {
			continue
		}
		if op.Method != method {
			if !slices.Contains(allowed, op.Method) {
				allowed = append(allowed, op.Method)
			}
			continue
		}
		if best == nil || slices.Compare(op.template.rank, best.template.rank) > 0 {
			best, bestParams = op, m[1:]
		}
	}
	if best == nil {
		return nil, &NotFoundError{Method: method, Path: p, Allowed: allowed}
	}
	params := make(map[string]string, len(bestParams))
	for i, v := range bestParams {
		if uv, err := url.PathUnescape(v); err == nil {
			v = uv
		}
		params[best.template.names[i]] = v
	}
	return &Match{Operation: best, Params: params}, nil
}
