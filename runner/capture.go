package runner

import (
	"fmt"

	"github.com/callsheet/callsheet/collections"
)

// captures evaluates the captures of a step in order and sets each into the
// scope for later steps; a secret capture's value is masked from then on.
// It stops at the first capture that finds nothing.
func (rn *run) captures(cs []*collections.Capture, s *subject) ([]*CaptureResult, error) {
	out := make([]*CaptureResult, 0, len(cs))
	for _, c := range cs {
		v, err := rn.captureValue(c, s)
		if err != nil && c.Default != nil {
			v, err = c.Default.Render(rn.scope)
		}
		if err != nil {
			return out, &CaptureError{Name: c.Name, Pos: c.Pos, Err: err}
		}
		// A value that is already secret (an authorization code) stays so.
		secret := c.Secret || rn.secretNames[c.Name] || rn.mask.IsSecret(collections.Stringify(v))
		if secret {
			rn.secretNames[c.Name] = true
			addNamed(rn.mask, c.Name, v)
		}
		rn.scope.Set(c.Name, v)
		out = append(out, &CaptureResult{Pos: c.Pos, Name: c.Name, Value: Typed{Value: v}, Secret: secret})
	}
	return out, nil
}

// captureValue extracts one capture's value, typed.
func (rn *run) captureValue(c *collections.Capture, s *subject) (any, error) {
	switch c.Source {
	case collections.FromJSON:
		v, problem := s.jsonValue(c.Path)
		if problem != "" {
			return nil, fmt.Errorf("json path %q: %s", c.Path, problem)
		}
		if v.Missing {
			return nil, fmt.Errorf("json path %q matched nothing; %s", c.Path, rn.bodySnippet(s.body))
		}
		return v.Value, nil
	case collections.FromHeader:
		return headerValue(s, c.Path)
	case collections.FromStatus:
		if s.status == 0 {
			return nil, fmt.Errorf("no status")
		}
		return int64(s.status), nil
	case collections.FromBody:
		return string(s.body), nil
	case collections.FromRegex:
		return rn.regexCapture(c, s)
	case collections.FromCookie, collections.FromDuration, collections.FromURL, collections.FromRedirects,
		collections.FromXPath, collections.FromCSS:
		return rn.extraCapture(c, s)
	}
	return nil, fmt.Errorf("unknown capture source %d", c.Source)
}

// headerValue returns a header's first value.
func headerValue(s *subject, name string) (string, error) {
	values := s.header.Values(name)
	if len(values) == 0 {
		return "", fmt.Errorf("header %q not found", name)
	}
	return values[0], nil
}

// regexCapture returns the first group (or the whole match, for a pattern
// without groups) of c.Regex on the body, or on the header c.Path.
func (rn *run) regexCapture(c *collections.Capture, s *subject) (string, error) {
	re, err := rn.regexp(c.Regex)
	if err != nil {
		return "", err
	}
	text, where := string(s.body), "body"
	if c.Path != "" {
		if text, err = headerValue(s, c.Path); err != nil {
			return "", err
		}
		where = fmt.Sprintf("header %q", c.Path)
	}
	m := re.FindStringSubmatch(text)
	if m == nil {
		if c.Path == "" {
			return "", fmt.Errorf("regex %q matched nothing in the %s; %s", c.Regex, where, rn.bodySnippet(s.body))
		}
		return "", fmt.Errorf("regex %q matched nothing in the %s", c.Regex, where)
	}
	if len(m) > 1 {
		return m[1], nil
	}
	return m[0], nil
}
