package runner

import (
	"errors"
	"fmt"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/mask"
)

// capturer stores what a step captures in the run's scope, for later
// steps. A secret capture's value is masked from then on, and named in
// recordings.
type capturer struct {
	scope *eval.Scope
	mask  *mask.Masker
	// secret names the variables and captures whose values are secret.
	secret map[string]bool
	// named names the secret captures' forms, for the run's recordings.
	named bool
}

// captures evaluates the captures of a step in order and sets each into
// the scope. It stops at the first capture that finds nothing and has no
// default.
func (c *capturer) captures(cs []*collections.Capture, s *subject) ([]*CaptureResult, error) {
	out := make([]*CaptureResult, 0, len(cs))
	for _, cp := range cs {
		v, err := c.value(cp, s)
		if err != nil && cp.Default != nil {
			v, err = cp.Default.Render(c.scope)
		}
		if err != nil {
			return out, &CaptureError{Name: cp.Name, Pos: cp.Pos, Err: err}
		}
		// A value that is already secret (an authorization code) stays so.
		secret := cp.Secret || c.secret[cp.Name] || isSecretValue(c.mask, v)
		if secret {
			c.secret[cp.Name] = true
			addSecret(c.mask, c.named, cp.Name, v)
		}
		c.scope.Set(cp.Name, v)
		out = append(out, &CaptureResult{Pos: cp.Pos, Name: cp.Name, Value: Typed{Value: v}, Secret: secret})
	}
	return out, nil
}

// value extracts one capture's value, typed, quoting the start of the
// body (masked) when a query of the body finds nothing.
func (c *capturer) value(cp *collections.Capture, s *subject) (any, error) {
	var v Typed
	var problem string
	switch cp.Source {
	case collections.FromJSON:
		if v, problem = s.jsonValue(cp.Path); problem != "" {
			return nil, fmt.Errorf("json path %q: %s", cp.Path, problem)
		}
		if v.Missing {
			return nil, fmt.Errorf("json path %q matched nothing; %s", cp.Path, bodySnippet(c.mask, s.body))
		}
	case collections.FromHeader:
		return s.firstHeader(cp.Path)
	case collections.FromStatus:
		v = s.statusValue()
		if v.Missing {
			return nil, errors.New("no status")
		}
	case collections.FromBody:
		return string(s.body), nil
	case collections.FromRegex:
		return c.regex(cp, s)
	case collections.FromCookie:
		if v, problem = s.cookieValue(cp.Query); v.Missing && problem == "" {
			return nil, fmt.Errorf("cookie %q not set by the response", cp.Query)
		}
	case collections.FromDuration:
		v, problem = s.durationValue()
	case collections.FromURL, collections.FromRedirects:
		v, problem = s.redirectValue(cp.Source)
	case collections.FromXPath, collections.FromCSS:
		if v, problem = s.queryValue(cp.Source.String(), cp.Markup, cp.Query); v.Missing && problem == "" {
			return nil, fmt.Errorf("%s %q matched nothing; %s", cp.Source, cp.Query, bodySnippet(c.mask, s.body))
		}
	default:
		return nil, fmt.Errorf("unknown capture source %d", cp.Source)
	}
	if problem != "" {
		return nil, errors.New(problem)
	}
	return v.Value, nil
}

// regex returns the first group of the capture's pattern (or the whole
// match, for a pattern without groups) on the body, or on the header
// cp.Path.
func (c *capturer) regex(cp *collections.Capture, s *subject) (string, error) {
	re := cp.Pattern
	if re == nil {
		var err error
		if re, err = compileRegex(cp.Regex); err != nil {
			return "", err
		}
	}
	text, where := string(s.body), "body"
	if cp.Path != "" {
		var err error
		if text, err = s.firstHeader(cp.Path); err != nil {
			return "", err
		}
		where = fmt.Sprintf("header %q", cp.Path)
	}
	m := re.FindStringSubmatch(text)
	switch {
	case m == nil && cp.Path == "":
		return "", fmt.Errorf("regex %q matched nothing in the %s; %s", cp.Regex, where, bodySnippet(c.mask, s.body))
	case m == nil:
		return "", fmt.Errorf("regex %q matched nothing in the %s", cp.Regex, where)
	case len(m) > 1:
		return m[1], nil
	}
	return m[0], nil
}

// CaptureError is the error of a capture that found nothing and has no
// default: it names the capture and carries its position, so that the
// failure points at the capture rather than at the request.
type CaptureError struct {
	// Name is the capture's name and Pos its position in the collection.
	Name string
	Pos  collections.Pos
	Err  error
}

// Error formats the error as `capture "name": cause`.
func (e *CaptureError) Error() string { return fmt.Sprintf("capture %q: %v", e.Name, e.Err) }

// Unwrap returns the cause.
func (e *CaptureError) Unwrap() error { return e.Err }

// MaskedCopy returns a copy of e whose cause is masked by m.
func (e *CaptureError) MaskedCopy(m *mask.Masker) error {
	c := *e
	c.Err = m.Err(e.Err)
	return &c
}
