package runner

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/exchange"
)

// Mask is the text that replaces a secret.
const Mask = "***"

// minSecretLen is the shortest secret that is masked.
const minSecretLen = collections.MinSecretLen

// masker replaces secret values, in every form they are likely to be sent
// in, with Mask. It grows during a run as secret captures arrive; add is
// not safe for concurrent use, the masking methods are.
type masker struct {
	secrets  map[string]bool // the values as given
	forms    map[string]bool // the values and their encoded forms
	replacer *strings.Replacer
	longest  int      // length of the longest form
	list     []string // the forms, longest first (maskscan.go)
	blist    [][]byte // list as byte slices
	// pairs are the Replacer's arguments; build makes replacer from them
	// on first use (maskscan.go), once per rebuild.
	pairs []string
	build *sync.Once
	// named maps the forms of named secrets (variables and captures) to the
	// placeholders that stand for them where a request is kept or printed
	// with its secrets named (record.go); placeholder replaces them, and
	// every other form with Mask, built on first use once per rebuild.
	named       map[string]string
	placeholder *strings.Replacer
	buildNamed  *sync.Once
}

func newMasker() *masker {
	return &masker{secrets: map[string]bool{}, forms: map[string]bool{}}
}

// add registers a secret value; values shorter than minSecretLen are
// ignored.
func (m *masker) add(secret string) {
	if len(secret) < minSecretLen || m.secrets[secret] {
		return
	}
	m.secrets[secret] = true
	quoted, _ := json.Marshal(secret)
	for _, form := range []string{
		secret,
		url.QueryEscape(secret),
		url.PathEscape(secret),
		(&url.URL{Path: secret}).EscapedPath(), // as a URL keeps it: slashes stay
		base64.StdEncoding.EncodeToString([]byte(secret)),
		base64.RawURLEncoding.EncodeToString([]byte(secret)),
		string(quoted[1 : len(quoted)-1]), // as escaped inside a JSON string
	} {
		m.forms[form] = true
	}
	m.rebuild()
}

// addValue registers a rendered value (a string, a number…) as secret.
func (m *masker) addValue(v any) { m.add(collections.Stringify(v)) }

// addNamed registers the value of the secret variable or capture name: it
// is masked like any secret, and where a request is kept with its secrets
// named, its forms become placeholders ({{secret:name}},
// {{secret:name:base64}}, …). A value already named keeps its first name.
func (m *masker) addNamed(name string, v any) {
	s := collections.Stringify(v)
	m.add(s)
	if len(s) < minSecretLen {
		return
	}
	if m.named == nil {
		m.named = map[string]string{}
	}
	added := false
	for _, enc := range exchange.SecretEncodings {
		form := enc.Encode(s)
		if _, dup := m.named[form]; dup {
			continue
		}
		m.named[form], added = exchange.SecretPlaceholder(name, enc.Name), true
	}
	if added {
		m.placeholder, m.buildNamed = nil, new(sync.Once)
	}
}

// placeholders returns s with the forms of named secrets replaced by their
// placeholders and every other secret form by Mask, in one pass: a secret
// whose value is part of a placeholder (its own name, "secret") cannot
// garble one. masked says an unnamed secret was masked.
func (m *masker) placeholders(s string) (out string, masked bool) {
	if len(m.list) == 0 || !m.occurs(s) {
		return s, false
	}
	m.buildNamed.Do(func() {
		pairs := make([]string, 0, 2*len(m.list))
		for _, f := range m.list {
			if tag, ok := m.named[f]; ok {
				pairs = append(pairs, f, tag)
			} else {
				pairs = append(pairs, f, Mask)
			}
		}
		m.placeholder = strings.NewReplacer(pairs...)
	})
	out = m.placeholder.Replace(s)
	return out, strings.Count(out, Mask) > strings.Count(s, Mask)
}

// count returns how many secrets are registered.
func (m *masker) count() int { return len(m.secrets) }

// isSecret reports whether s is exactly a registered secret.
func (m *masker) isSecret(s string) bool { return m.secrets[s] }

// text masks every secret in s.
func (m *masker) text(s string) string {
	if len(m.list) == 0 || !m.occurs(s) {
		return s
	}
	return m.replace(s)
}

// rebuild makes the replacer for the current forms, longest first so that a
// secret containing another is masked whole. It runs when a secret is
// added, so that text only reads: a Result's masked errors may then be
// printed from several goroutines.
func (m *masker) rebuild() {
	forms := make([]string, 0, len(m.forms))
	for f := range m.forms {
		forms = append(forms, f)
	}
	sort.Slice(forms, func(i, j int) bool {
		if len(forms[i]) != len(forms[j]) {
			return len(forms[i]) > len(forms[j])
		}
		return forms[i] < forms[j]
	})
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, Mask)
	}
	m.replacer, m.pairs, m.build = nil, pairs, new(sync.Once)
	m.placeholder, m.buildNamed = nil, new(sync.Once)
	m.longest = len(forms[0])
	m.list, m.blist = forms, byteForms(forms)
}

// all masks the whole of b. It returns b itself, not a copy, when b holds
// no secret.
func (m *masker) all(b []byte) []byte {
	if !m.occursBytes(b) {
		return b
	}
	return []byte(m.replace(string(b)))
}

// bytes masks b and keeps at most limit bytes of the result; a negative
// limit keeps nothing.
func (m *masker) bytes(b []byte, limit int) []byte {
	if limit <= 0 || len(b) == 0 {
		return nil
	}
	// Mask a little more than is kept, so a secret across the cut is masked
	// whole: what is masked must reach m.longest bytes past what is kept,
	// and masking shortens the text, bringing later bytes into the cut.
	end := min(len(b), limit+m.longest)
	if !m.occursBytes(b[:end]) {
		return keep(b, limit)
	}
	for {
		out := m.text(string(b[:end]))
		if len(out) >= limit+m.longest || end == len(b) {
			return []byte(out[:min(len(out), limit)])
		}
		end = min(len(b), end+limit+m.longest-len(out))
	}
}

// value masks the strings inside a rendered or decoded value. A number or
// boolean whose text is a secret becomes the mask string.
func (m *masker) value(v any) any {
	switch t := v.(type) {
	case nil:
		return nil
	case string:
		return m.text(t)
	case []any:
		out := make([]any, len(t))
		for i, it := range t {
			out[i] = m.value(it)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, it := range t {
			out[m.text(k)] = m.value(it)
		}
		return out
	}
	if m.isSecret(collections.Stringify(v)) {
		return Mask
	}
	return v
}

// credentialHeaders are masked whatever the secrets: Authorization keeps
// its scheme ("Bearer ***"), cookies are masked whole.
var credentialHeaders = map[string]bool{
	"Authorization":       true,
	"Proxy-Authorization": true,
	"Cookie":              false,
	"Set-Cookie":          false,
}

// header returns a masked copy of h.
func (m *masker) header(h exchange.Header) exchange.Header {
	if h == nil {
		return nil
	}
	out := make(exchange.Header, len(h))
	for i, f := range h {
		out[i] = exchange.Field{Name: f.Name, Value: m.headerValue(f.Name, f.Value)}
	}
	return out
}

// headerValue masks one value of the header name: the credential of
// Authorization and Proxy-Authorization, all of Cookie and Set-Cookie, and
// the secrets in any other header.
func (m *masker) headerValue(name, v string) string {
	keepScheme, credential := credentialHeaders[http.CanonicalHeaderKey(name)]
	switch {
	case credential && keepScheme:
		return maskCredential(v)
	case credential:
		return Mask
	}
	return m.text(v)
}

// addCredentials registers the credentials of the Authorization and
// Proxy-Authorization headers of a request as secrets, so that a Basic
// credential (base64 of user:password) or a token echoed in a response is
// masked too.
func (m *masker) addCredentials(h exchange.Header) {
	for _, f := range h {
		if !credentialHeaders[http.CanonicalHeaderKey(f.Name)] {
			continue
		}
		if _, cred, found := strings.Cut(strings.TrimSpace(f.Value), " "); found {
			m.add(strings.TrimSpace(cred))
		}
	}
}

// maskCredential keeps the scheme of an Authorization value: "Bearer ***".
// A scheme followed by nothing ("Bearer ", an empty token) holds no secret
// and stays as it is, so that the mistake shows.
func maskCredential(v string) string {
	scheme, cred, found := strings.Cut(strings.TrimLeft(v, " "), " ")
	switch {
	case !found:
		return Mask
	case strings.TrimSpace(cred) == "":
		return v
	}
	return scheme + " " + Mask
}

// err wraps err so that its message is masked; nil stays nil.
func (m *masker) err(err error) error {
	if err == nil {
		return nil
	}
	if me, ok := err.(*maskedError); ok && me.m == m {
		return err
	}
	return &maskedError{err: err, m: m}
}

// maskedError masks the message of the error it wraps, with the secrets
// known when Error is called, and keeps the chain for errors.Is and As.
type maskedError struct {
	err error
	m   *masker
}

func (e *maskedError) Error() string { return e.m.text(e.err.Error()) }
func (e *maskedError) Unwrap() error { return e.err }

// step masks everything a step result holds, in place. It is safe to call
// again when more secrets are known.
func (m *masker) step(s *StepResult) {
	if r := s.Request; r != nil {
		r.Body = m.bytes(r.Body, len(r.Body))
	}
	if r := s.Response; r != nil {
		r.Body = m.bytes(r.Body, len(r.Body))
	}
	m.fields(s)
}

// fields masks everything a step result holds but its bodies, in place.
func (m *masker) fields(s *StepResult) {
	if r := s.Request; r != nil {
		r.URL = m.text(r.URL)
		r.Header = m.header(r.Header)
		for i := range r.Parts {
			p := &r.Parts[i]
			p.Header, p.Value = m.header(p.Header), m.text(p.Value)
			p.Filename, p.File = m.text(p.Filename), m.text(p.File)
		}
	}
	if r := s.Response; r != nil {
		r.Header = m.header(r.Header)
	}
	for _, c := range s.Checks {
		if name, ok := strings.CutPrefix(c.Subject, headerSubject); ok {
			if v, ok := c.Actual.Value.(string); ok {
				c.Actual.Value = m.headerValue(name, v)
			}
		}
		c.Actual.Value = m.value(c.Actual.Value)
		c.Expected.Value = m.value(c.Expected.Value)
		c.Message = m.text(c.Message)
		for i, d := range c.Details {
			c.Details[i] = m.text(d)
		}
	}
	for _, c := range s.Captures {
		if c.Secret {
			c.Value = Typed{Value: Mask}
			continue
		}
		c.Value.Value = m.value(c.Value.Value)
	}
	s.Err = m.err(s.Err)
}
