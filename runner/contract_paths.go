package runner

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/openapi"
)

// UnmatchedStep is a request step whose method and URL path match no
// operation of the OpenAPI description that applies to it.
type UnmatchedStep struct {
	// Pos is the position of the step's method.
	Pos  collections.Pos
	Step string
	// Method and Path are the step's, the path as its URL template
	// writes it after the base URL ({{ id }} for an expression).
	Method, Path string
	// File is the description, as openapi: names it.
	File string
}

// String formats the step as `file:line:col: step "x": GET /v1/nope
// matches no operation of openapi.yaml`.
func (u UnmatchedStep) String() string {
	return fmt.Sprintf("%s: step %q: %s %s matches no operation of %s", u.Pos, u.Step, u.Method, u.Path, u.File)
}

// CheckContracts loads the OpenAPI descriptions that c and the
// collections it includes name, as a run does when it starts, and lists
// the request steps whose method and URL path match no operation of
// theirs, without sending anything. The error is a *collections.Error at
// the openapi: or operation_id: that is wrong.
//
// A URL template's path is what follows its first expression (a base URL)
// or its host; an expression inside the path matches any text, and the
// path need only end like an operation's path, or the operation's path
// like it, since a base URL may hold part of either (when the step's path
// is the shorter, a segment must match literal text of the template, not
// only a parameter). A step whose path is
// all expressions, or that names its operation with operation_id:, is
// not listed.
func CheckContracts(ctx context.Context, c *collections.Collection) ([]UnmatchedStep, error) {
	checkers, err := loadContracts(ctx, c)
	if err != nil {
		return nil, err
	}
	var out []UnmatchedStep
	var walk func(c *collections.Collection, seen map[*collections.Collection]bool)
	walk = func(c *collections.Collection, seen map[*collections.Collection]bool) {
		if seen[c] {
			return
		}
		seen[c] = true
		for _, s := range slices.Concat(c.Steps, c.Finally) {
			if inc := s.Include(); inc != nil && inc.Collection != nil {
				walk(inc.Collection, seen)
				continue
			}
			r, spec := s.Request(), c.OpenAPIFor(s)
			if r == nil || spec == nil || s.OperationID != "" || r.URL == nil {
				continue
			}
			segs, shown, ok := templatePath(r.URL)
			if ok && !matchesAny(checkers[spec].Description(), r.Method, segs) {
				out = append(out, UnmatchedStep{Pos: r.MethodPos, Step: s.Name, Method: r.Method, Path: shown, File: spec.File})
			}
		}
	}
	walk(c, map[*collections.Collection]bool{})
	return out, nil
}

// exprMark stands for an expression in the text of a URL template.
const exprMark = "\x00"

// pathSegment is a segment of the path a URL template writes: its text,
// or dynamic when an expression computes part of it.
type pathSegment struct {
	text    string
	dynamic bool
}

// templatePath returns the segments of the path a URL template writes and
// the path as shown, {{ }} for an expression; ok is false when the path
// is not known: no literal segment, or no path at all.
func templatePath(t *collections.Template) (segs []pathSegment, shown string, ok bool) {
	var b strings.Builder
	for _, p := range t.Parts {
		if p.Expr != nil {
			b.WriteString(exprMark)
		} else {
			b.WriteString(p.Literal)
		}
	}
	text := b.String()
	if i := strings.IndexAny(text, "?#"); i >= 0 {
		text = text[:i]
	}
	switch {
	case strings.HasPrefix(text, exprMark):
		text = text[len(exprMark):]
	case strings.Contains(text, "://"):
		_, text, _ = strings.Cut(text, "://")
	default:
		return nil, "", false
	}
	i := strings.Index(text, "/")
	if i < 0 {
		return nil, "", false
	}
	text = text[i:]
	for _, seg := range strings.Split(strings.Trim(text, "/"), "/") {
		dynamic := strings.Contains(seg, exprMark)
		segs = append(segs, pathSegment{text: seg, dynamic: dynamic})
		ok = ok || !dynamic && seg != ""
	}
	return segs, strings.ReplaceAll(text, exprMark, "{{ }}"), ok
}

// matchesAny reports whether an operation of d has the method and a path
// that ends like segs, or that segs end like.
func matchesAny(d *openapi.Description, method string, segs []pathSegment) bool {
	for _, op := range d.Operations {
		if op.Method != method {
			continue
		}
		var opSegs []string
		if p := strings.Trim(op.Path, "/"); p != "" {
			opSegs = strings.Split(p, "/")
		}
		n := min(len(opSegs), len(segs))
		if n == 0 && len(opSegs) != len(segs) {
			continue
		}
		// A base URL holding the start of the operation's path leaves
		// the step a shorter path: one literal segment must then match a
		// literal segment of the template, not only a parameter.
		if tailsMatch(opSegs[len(opSegs)-n:], segs[len(segs)-n:], len(segs) < len(opSegs)) {
			return true
		}
	}
	return false
}

// tailsMatch reports whether each segment of the step's path matches the
// path template's segment at the same place: a {parameter} matches any
// text, and so does a segment an expression computes. With literal, one
// literal segment of the step must match a segment of the template that
// has no parameter.
func tailsMatch(opSegs []string, segs []pathSegment, literal bool) bool {
	found := false
	for i, tmpl := range opSegs {
		if segs[i].dynamic {
			continue
		}
		params := templateParams(tmpl)
		var b strings.Builder
		last := 0
		for _, p := range params {
			b.WriteString(regexp.QuoteMeta(tmpl[last:p[0]]) + ".+")
			last = p[1]
		}
		b.WriteString(regexp.QuoteMeta(tmpl[last:]))
		if ok, _ := regexp.MatchString("^"+b.String()+"$", segs[i].text); !ok {
			return false
		}
		found = found || len(params) == 0
	}
	return found || !literal
}

// templateParams returns the byte ranges of the {parameters} of a path
// template segment, braces included.
func templateParams(s string) [][2]int {
	var out [][2]int
	for i := 0; i < len(s); i++ {
		if s[i] != '{' {
			continue
		}
		if end := strings.IndexByte(s[i:], '}'); end > 1 {
			out = append(out, [2]int{i, i + end + 1})
			i += end
		}
	}
	return out
}
