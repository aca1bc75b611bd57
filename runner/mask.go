package runner

import (
	"bytes"
	"slices"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/mask"
)

// Mask is the text that replaces a secret.
const Mask = mask.Text

// The runner's masking: what a result holds is masked here, with the run's
// mask.Masker, and nowhere else.

// addValue registers a rendered value (a string, a number…) as secret.
func addValue(m *mask.Masker, v any) { m.Add(eval.Stringify(v)) }

// addNamed registers the value of the secret variable or capture name: it
// is masked like any secret, and where a request is kept with its secrets
// named, its forms become placeholders ({{secret:name}},
// {{secret:name:base64}}, …). A value already named keeps its first name.
func addNamed(m *mask.Masker, name string, v any) {
	s := eval.Stringify(v)
	if len(s) < mask.MinLen {
		return
	}
	m.Add(s)
	for _, enc := range exchange.SecretEncodings {
		m.Name(enc.Encode(s), exchange.SecretPlaceholder(name, enc.Name))
	}
}

// addSecret registers the value of the secret variable or capture name:
// named (addNamed) when named is set, for a run that records its
// exchanges with their secrets named, else masked alone: its forms are
// masked all the same.
func addSecret(m *mask.Masker, named bool, name string, v any) {
	if named {
		addNamed(m, name, v)
		return
	}
	addValue(m, v)
}

// addCredentials registers the credentials of the Authorization and
// Proxy-Authorization headers of a request as secrets.
func addCredentials(m *mask.Masker, h exchange.Header) {
	for _, f := range h {
		m.AddCredential(f.Name, f.Value)
	}
}

// tokenFields are the members of an OAuth 2.0 token response (RFC 6749
// section 5.1, OpenID Connect) that hold credentials.
var tokenFields = []string{"access_token", "refresh_token", "id_token"}

// addTokenResponse masks the tokens of a response body that is a JSON
// object with access_token, refresh_token or id_token string members, such
// as a token endpoint's answer, whether or not a step captures them: a
// refresh token nobody captured is still a credential.
func addTokenResponse(m *mask.Masker, body []byte) {
	if !bytes.Contains(body, []byte("_token")) || !gjson.ValidBytes(body) {
		return
	}
	doc := gjson.ParseBytes(body)
	if !doc.IsObject() {
		return
	}
	for _, f := range tokenFields {
		if v := doc.Get(f); v.Type == gjson.String {
			m.Add(v.Str)
		}
	}
}

// maskValue masks the strings inside a rendered or decoded value. A number
// or boolean whose text is a secret becomes Mask.
func maskValue(m *mask.Masker, v any) any {
	switch t := v.(type) {
	case nil:
		return nil
	case string:
		return m.String(t)
	case []any:
		out := make([]any, len(t))
		for i, it := range t {
			out[i] = maskValue(m, it)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, it := range t {
			out[m.String(k)] = maskValue(m, it)
		}
		return out
	}
	if isSecretValue(m, v) {
		return Mask
	}
	return v
}

// isSecretValue reports whether the text of v (eval.Stringify) is exactly
// a secret; an integer's text is written without an allocation.
func isSecretValue(m *mask.Masker, v any) bool {
	if n, ok := v.(int64); ok {
		var buf [20]byte
		return m.IsSecretBytes(strconv.AppendInt(buf[:0], n, 10))
	}
	return m.IsSecret(eval.Stringify(v))
}

// maskHeader returns h masked: h itself when masking changes nothing,
// else a masked copy.
func maskHeader(m *mask.Masker, h exchange.Header) exchange.Header {
	var out exchange.Header
	for i, f := range h {
		v := m.Header(f.Name, f.Value)
		if out == nil {
			if v == f.Value {
				continue
			}
			out = slices.Clone(h)
		}
		out[i].Value = v
	}
	if out == nil {
		return h
	}
	return out
}

// maskStep masks everything a step result holds, in place. It is safe to
// call again when more secrets are known.
func maskStep(m *mask.Masker, s *StepResult) {
	if r := s.Request; r != nil {
		r.Body = m.Bytes(r.Body)
	}
	if r := s.Response; r != nil {
		r.Body = m.Bytes(r.Body)
	}
	if msg := s.Message; msg != nil {
		msg.Body = m.Bytes(msg.Body)
	}
	maskFields(m, s)
}

// maskFields masks everything a step result holds but its bodies, in
// place.
func maskFields(m *mask.Masker, s *StepResult) {
	if r := s.Request; r != nil {
		r.URL = m.String(r.URL)
		r.Header = maskHeader(m, r.Header)
		for i := range r.Parts {
			p := &r.Parts[i]
			p.Header, p.Value = maskHeader(m, p.Header), m.String(p.Value)
			p.Filename, p.File = m.String(p.Filename), m.String(p.File)
		}
	}
	if r := s.Response; r != nil {
		r.Header = maskHeader(m, r.Header)
	}
	if msg := s.Message; msg != nil {
		msg.URL = m.String(msg.URL)
		msg.Header = maskHeader(m, msg.Header)
		if c := msg.Correlation; c != nil {
			c.Value = m.String(c.Value)
		}
	}
	for _, c := range s.Checks {
		maskCheck(m, c)
	}
	for _, c := range s.Captures {
		if c.Secret {
			c.Value = Typed{Value: Mask}
			continue // mutate:ignore masking Mask again leaves it as it is
		}
		c.Value.Value = maskValue(m, c.Value.Value)
	}
	s.Err = m.Err(s.Err)
}

// maskCheck masks a check result in place.
func maskCheck(m *mask.Masker, c *CheckResult) {
	if name, ok := strings.CutPrefix(c.Subject, headerSubject); ok {
		if v, ok := c.Actual.Value.(string); ok {
			c.Actual.Value = m.Header(name, v)
		}
	}
	c.Actual.Value = maskValue(m, c.Actual.Value)
	c.Expected.Value = maskValue(m, c.Expected.Value)
	c.Message = m.String(c.Message)
	for i, d := range c.Details {
		c.Details[i] = m.String(d)
	}
}
