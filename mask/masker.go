package mask

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"sync"
	"unicode/utf8"
)

// Text is what replaces a secret.
const Text = "***"

// MinLen is the length of the shortest secret masked: masking one- or
// two-character values would blank out most of a report, or garble an
// exported command, without protecting anything.
const MinLen = 3

// Masker replaces the secrets registered with it, in every form they are
// likely to be sent in, with Text. Its methods are safe for concurrent
// use: a run adds secrets as it captures them while a result it handed on
// is printed.
//
// Adding a secret costs little: its forms are built at the first use of
// the Masker after it was added, so that a run whose steps are never
// masked (they passed, and nothing reads them) never builds them.
type Masker struct {
	mu sync.RWMutex
	// pending are the secrets added since the forms were last built.
	pending []string
	// secrets are the values as given; nil until the first.
	secrets map[string]struct{}
	forms   matcher
	// longest is the length of the longest form.
	longest int
}

// New returns a Masker that masks nothing yet.
func New() *Masker {
	return &Masker{}
}

// unnamed stands for every form of a secret that has no placeholder.
var unnamed = &entry{}

// Forms returns the forms in which secret is masked: as it is,
// URL-escaped as a query and as a path, base64 (standard and raw URL),
// and escaped inside a JSON string.
func Forms(secret string) []string {
	var forms [formCount]string
	return forms[:fillForms(&forms, secret)]
}

// formCount is the number of Forms of a secret.
const formCount = 7

// fillForms puts the Forms of secret in forms and returns their number.
func fillForms(forms *[formCount]string, secret string) int {
	*forms = [formCount]string{
		secret,
		url.QueryEscape(secret),
		url.PathEscape(secret),
		(&url.URL{Path: secret}).EscapedPath(), // as a URL keeps it: slashes stay
		base64.StdEncoding.EncodeToString([]byte(secret)),
		base64.RawURLEncoding.EncodeToString([]byte(secret)),
		jsonString(secret),
	}
	return formCount
}

// jsonString is secret escaped as encoding/json writes it inside a JSON
// string: secret itself when it has nothing to escape.
func jsonString(secret string) string {
	plain := true
	for i := 0; i < len(secret) && plain; i++ {
		c := secret[i]
		plain = c >= 0x20 && c < utf8.RuneSelf && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	if plain {
		return secret
	}
	quoted, _ := json.Marshal(secret) // a string always marshals
	return string(quoted[1 : len(quoted)-1])
}

// Add registers a secret value in each of its Forms; a value shorter than
// MinLen is ignored.
func (m *Masker) Add(secret string) {
	if len(secret) < MinLen {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if n := len(m.pending); n > 0 && m.pending[n-1] == secret {
		return // added again at once (a token, request after request)
	}
	m.pending = append(m.pending, secret)
}

// read locks m for reading, with the forms of every secret added before.
// Every method that reads the secrets or their forms starts with it.
func (m *Masker) read() {
	m.mu.RLock()
	for len(m.pending) > 0 {
		m.mu.RUnlock()
		m.mu.Lock()
		m.build()
		m.mu.Unlock()
		m.mu.RLock()
	}
}

// build adds the forms of the pending secrets; m is locked for writing.
func (m *Masker) build() {
	for _, secret := range m.pending {
		m.addForms(secret)
	}
	clear(m.pending)
	m.pending = m.pending[:0]
}

// addForms registers secret in each of its Forms, once.
func (m *Masker) addForms(secret string) {
	if _, ok := m.secrets[secret]; ok {
		return
	}
	if m.secrets == nil {
		m.secrets = map[string]struct{}{}
	}
	m.secrets[secret] = struct{}{}
	var forms [formCount]string
	for i, form := range forms[:fillForms(&forms, secret)] {
		if i > 0 && form == secret {
			continue // added as it is already
		}
		if n := m.forms.add(form); n.end == nil {
			n.end = unnamed
		}
		m.longest = max(m.longest, len(form))
	}
}

// Name makes form, the form of a secret, read as placeholder in
// Placeholders (and as Text elsewhere). A form already named keeps its
// first placeholder.
func (m *Masker) Name(form, placeholder string) {
	if len(form) < MinLen {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if n := m.forms.add(form); n.end == nil || n.end == unnamed {
		n.end = &entry{placeholder: placeholder}
	}
	m.longest = max(m.longest, len(form))
}

// Count returns how many secrets are registered.
func (m *Masker) Count() int {
	m.read()
	defer m.mu.RUnlock()
	return len(m.secrets)
}

// IsSecret reports whether s is exactly a registered secret.
func (m *Masker) IsSecret(s string) bool {
	m.read()
	defer m.mu.RUnlock()
	_, ok := m.secrets[s]
	return ok
}

// IsSecretBytes is IsSecret for a byte slice.
func (m *Masker) IsSecretBytes(b []byte) bool {
	m.read()
	defer m.mu.RUnlock()
	_, ok := m.secrets[string(b)]
	return ok
}

// Contains reports whether a form of a secret occurs in s.
func (m *Masker) Contains(s string) bool {
	if len(s) < MinLen {
		return false
	}
	m.read()
	defer m.mu.RUnlock()
	start, _, _ := next(&m.forms, s, 0)
	return start >= 0
}

// ContainsBytes is Contains for a byte slice.
func (m *Masker) ContainsBytes(b []byte) bool {
	if len(b) < MinLen {
		return false
	}
	m.read()
	defer m.mu.RUnlock()
	start, _, _ := next(&m.forms, b, 0)
	return start >= 0
}

// String returns s with every form of a secret replaced by Text: s itself
// when it holds none.
func (m *Masker) String(s string) string {
	out, _ := m.replace(s, false)
	return out
}

// Placeholders returns s with the forms of named secrets replaced by their
// placeholders and every other form by Text, in one pass: a secret whose
// value is part of a placeholder (its own name, "secret") cannot garble
// one. masked says a form was replaced by Text.
func (m *Masker) Placeholders(s string) (out string, masked bool) {
	return m.replace(s, true)
}

// replace masks s, with the placeholders of named forms when named is set.
func (m *Masker) replace(s string, named bool) (string, bool) {
	if len(s) < MinLen {
		return s, false
	}
	m.read()
	defer m.mu.RUnlock()
	start, end, e := next(&m.forms, s, 0)
	if start < 0 {
		return s, false
	}
	var b strings.Builder
	b.Grow(len(s)) // mutate:ignore only reserves room: the text built is the same
	last, masked := 0, false
	for start >= 0 {
		b.WriteString(s[last:start])
		if named && e.placeholder != "" {
			b.WriteString(e.placeholder)
		} else {
			b.WriteString(Text)
			masked = true
		}
		last = end
		start, end, e = next(&m.forms, s, end)
	}
	b.WriteString(s[last:])
	return b.String(), masked
}

// Bytes masks the whole of b, in one pass. It returns b itself, not a
// copy, when b holds no secret.
func (m *Masker) Bytes(b []byte) []byte {
	if len(b) < MinLen {
		return b
	}
	m.read()
	defer m.mu.RUnlock()
	start, end, _ := next(&m.forms, b, 0)
	if start < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	last := 0
	for start >= 0 {
		out = append(append(out, b[last:start]...), Text...)
		last = end
		start, end, _ = next(&m.forms, b, end)
	}
	return append(out, b[last:]...)
}

// Prefix masks b and keeps at most limit bytes of the result; a limit of
// zero or less keeps nothing. A secret across the cut is masked whole.
// The result is b itself when b is that short and holds no secret, else
// a copy, so that it never keeps a large body's array alive. It reads b
// once, and no further than the cut needs: at most limit bytes past the
// last secret masked, and the length of the longest form beyond.
func (m *Masker) Prefix(b []byte, limit int) []byte {
	if limit <= 0 || len(b) == 0 {
		return nil
	}
	m.read()
	defer m.mu.RUnlock()
	// A form that starts before the cut, in the masked text, is masked
	// whole: it is looked for in b up to the place the cut would fall if
	// no form came before it, and its longest form beyond.
	bound := func(last, kept int) int { return min(len(b), last+limit-kept+m.longest) }
	start, end, _ := next(&m.forms, b[:bound(0, 0)], 0)
	if start < 0 || start >= limit {
		if len(b) <= limit {
			return b
		}
		return bytes.Clone(b[:limit])
	}
	out := make([]byte, 0, min(len(b), limit)+len(Text))
	last := 0
	for start >= 0 && len(out)+start-last < limit {
		out = append(append(out, b[last:start]...), Text...)
		last = end
		if len(out) >= limit {
			break
		}
		start, end, _ = next(&m.forms, b[:bound(last, len(out))], last)
	}
	if len(out) < limit {
		out = append(out, b[last:min(len(b), last+limit-len(out))]...)
	}
	return out[:min(len(out), limit)]
}
