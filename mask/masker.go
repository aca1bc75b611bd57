package mask

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"sync"
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
type Masker struct {
	mu sync.RWMutex
	// secrets are the values as given.
	secrets map[string]struct{}
	forms   matcher
	// longest is the length of the longest form.
	longest int
}

// New returns a Masker that masks nothing yet.
func New() *Masker {
	return &Masker{secrets: map[string]struct{}{}}
}

// unnamed stands for every form of a secret that has no placeholder.
var unnamed = &entry{}

// Forms returns the forms in which secret is masked: as it is,
// URL-escaped as a query and as a path, base64 (standard and raw URL),
// and escaped inside a JSON string.
func Forms(secret string) []string {
	quoted, _ := json.Marshal(secret) // a string always marshals
	return []string{
		secret,
		url.QueryEscape(secret),
		url.PathEscape(secret),
		(&url.URL{Path: secret}).EscapedPath(), // as a URL keeps it: slashes stay
		base64.StdEncoding.EncodeToString([]byte(secret)),
		base64.RawURLEncoding.EncodeToString([]byte(secret)),
		string(quoted[1 : len(quoted)-1]),
	}
}

// Add registers a secret value in each of its Forms; a value shorter than
// MinLen is ignored.
func (m *Masker) Add(secret string) {
	if len(secret) < MinLen {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.secrets[secret]; ok {
		return
	}
	m.secrets[secret] = struct{}{}
	for _, form := range Forms(secret) {
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
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.secrets)
}

// IsSecret reports whether s is exactly a registered secret.
func (m *Masker) IsSecret(s string) bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	_, ok := m.secrets[s]
	return ok
}

// Contains reports whether a form of a secret occurs in s.
func (m *Masker) Contains(s string) bool {
	if len(s) < MinLen {
		return false
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	start, _, _ := next(&m.forms, s, 0)
	return start >= 0
}

// ContainsBytes is Contains for a byte slice.
func (m *Masker) ContainsBytes(b []byte) bool {
	if len(b) < MinLen {
		return false
	}
	m.mu.RLock()
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
	m.mu.RLock()
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

// Bytes masks the whole of b. It returns b itself, not a copy, when b
// holds no secret.
func (m *Masker) Bytes(b []byte) []byte {
	if !m.ContainsBytes(b) {
		return b
	}
	return []byte(m.String(string(b)))
}

// Prefix masks b and keeps at most limit bytes of the result; a limit of
// zero or less keeps nothing. A secret across the cut is masked whole.
// The result is b itself when b is that short and holds no secret, else
// a copy, so that it never keeps a large body's array alive.
func (m *Masker) Prefix(b []byte, limit int) []byte {
	if limit <= 0 || len(b) == 0 {
		return nil
	}
	m.mu.RLock()
	longest := m.longest
	m.mu.RUnlock()
	// Mask a little more than is kept, so a secret across the cut is masked
	// whole: what is masked must reach longest bytes past what is kept,
	// and masking shortens the text, bringing later bytes into the cut.
	end := min(len(b), limit+longest)
	if !m.ContainsBytes(b[:end]) {
		if len(b) <= limit {
			return b
		}
		return bytes.Clone(b[:limit])
	}
	for {
		out := m.String(string(b[:end]))
		if len(out) >= limit+longest || end == len(b) {
			return []byte(out[:min(len(out), limit)])
		}
		// mutate:ignore "- -> +" masking more of b than needed keeps the same first limit bytes
		end = min(len(b), end+limit+longest-len(out))
	}
}
