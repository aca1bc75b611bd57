package exchange

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// Recorded is a request as sent with its secrets named: where the value of
// a secret variable or capture was sent, it holds a placeholder naming the
// secret and the encoding it was sent in:
//
//	{{secret:access_token}}         the value as it is
//	{{secret:access_token:query}}   URL query-escaped
//	{{secret:access_token:base64}}  standard base64
//	{{secret:access_token:json}}    escaped inside a JSON string
//
// A recording keeps requests in this form; replay puts the values back
// ([Recorded.Restore]), so the request goes out byte for byte as it was
// first sent, and the curl exporter writes each placeholder as a shell
// variable. Any other secret (an Authorization credential written in the
// collection) is masked as *** and the request is marked Masked: it cannot
// be sent again exactly.
//
// The token an auth profile put in Authorization is recorded as
// "Bearer {{auth:PROFILE}}" (Auth names the profile), and the credentials
// of Authorization: Basic as "Basic {{basic}}" with BasicAuth holding
// user:password with placeholders.
type Recorded struct {
	Request
	// Secrets names the secrets the placeholders stand for, sorted.
	Secrets []string `json:"secrets,omitempty"`
	// Masked is set when a secret with no name was masked (as ***): the
	// request cannot be sent again as it was.
	Masked bool `json:"masked,omitempty"`
	// Auth is the auth profile whose token the request carried, as the
	// placeholder {{auth:PROFILE}}.
	Auth string `json:"auth,omitempty"`
	// BasicAuth is the user:password of an Authorization: Basic header,
	// with placeholders, when the header reads "Basic {{basic}}".
	BasicAuth string `json:"basic_auth,omitempty"`
}

// BasicPlaceholder stands for the credentials of an Authorization: Basic
// header, which Recorded.BasicAuth holds.
const BasicPlaceholder = "{{basic}}"

// BasicCredentials returns the user:password of an Authorization value of
// the Basic scheme, or "" when v is not one.
func BasicCredentials(v string) string {
	scheme, cred, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok || !strings.EqualFold(scheme, "Basic") {
		return ""
	}
	dec, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
	if err != nil || !utf8.Valid(dec) || !strings.Contains(string(dec), ":") {
		return ""
	}
	return string(dec)
}

// SecretEncoding is a form a secret may be sent in.
type SecretEncoding struct {
	// Name is the encoding's name in a placeholder; "" for the value as
	// it is.
	Name   string
	Encode func(string) string
}

// SecretEncodings are the forms a placeholder can name, the value as it is
// first.
var SecretEncodings = []SecretEncoding{
	{"", func(s string) string { return s }},
	{"query", url.QueryEscape},
	{"base64", func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }},
	{"json", func(s string) string {
		q, _ := json.Marshal(s) // a string always marshals
		return string(q[1 : len(q)-1])
	}},
}

// SecretPlaceholder is the placeholder of the secret name sent in the
// encoding enc ("" for the value as it is).
func SecretPlaceholder(name, enc string) string {
	if enc == "" {
		return "{{secret:" + name + "}}"
	}
	return "{{secret:" + name + ":" + enc + "}}"
}

// AuthPlaceholder is the placeholder of the token of auth profile name; in
// the secrets given to Restore its value is under "auth:"+name.
func AuthPlaceholder(name string) string { return "{{auth:" + name + "}}" }

// placeholderRE matches a secret placeholder or an auth profile's token.
// It is compiled at its first use, not at every start-up.
var placeholderRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\{\{(secret|auth):([A-Za-z0-9_.-]+?)(?::(query|base64|json))?\}\}`)
})

// Placeholder is one placeholder found in a text.
type Placeholder struct {
	// Kind is "secret" or "auth"; Name the secret or the auth profile;
	// Encoding the encoding of a secret ("" for the value as it is).
	Kind, Name, Encoding string
}

// ReplacePlaceholders returns s with each placeholder replaced by what fn
// returns for it.
func ReplacePlaceholders(s string, fn func(Placeholder) string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	re := placeholderRE()
	return re.ReplaceAllStringFunc(s, func(tag string) string {
		m := re.FindStringSubmatch(tag)
		return fn(Placeholder{Kind: m[1], Name: m[2], Encoding: m[3]})
	})
}

// NoteSecrets sets r.Secrets to the secrets whose placeholders r holds.
func (r *Recorded) NoteSecrets() {
	texts := []string{r.URL, r.BasicAuth, string(r.Body)}
	for _, f := range r.Header {
		texts = append(texts, f.Value)
	}
	r.Secrets = secretsIn(texts...)
}

// secretsIn names the secrets whose placeholders texts hold, sorted.
func secretsIn(texts ...string) []string {
	used := map[string]bool{}
	for _, s := range texts {
		ReplacePlaceholders(s, func(p Placeholder) string {
			if p.Kind == "secret" {
				used[p.Name] = true
			}
			return ""
		})
	}
	return slices.Sorted(maps.Keys(used))
}

// ErrMaskedRequest is the cause of a replay of a request whose recording
// masked a secret it had no name for.
var ErrMaskedRequest = errors.New("the recording masked a secret that has no name (a credential written in the collection?): the request cannot be sent as it was")

// MissingSecretsError is the error of a replay that lacks the values of
// secrets its request was sent with.
type MissingSecretsError struct {
	Names []string
}

// Error names the missing secrets.
func (e *MissingSecretsError) Error() string {
	quoted := make([]string, len(e.Names))
	for i, n := range e.Names {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	return fmt.Sprintf("no value for secret %s: save them with --state --state-secrets, or log in again", strings.Join(quoted, ", "))
}

// Restore returns the request with its placeholders replaced by the values
// of secrets, ready to send: a secret's text under its name, an auth
// profile's token under "auth:PROFILE".
func (r *Recorded) Restore(secrets map[string]string) (*Request, error) {
	if r.Masked {
		return nil, ErrMaskedRequest
	}
	f := &filler{secrets: secrets}
	fill := f.fill
	req := &Request{Method: r.Method, URL: fill(r.URL)}
	for _, f := range r.Header {
		v := f.Value
		if r.BasicAuth != "" && v == "Basic "+BasicPlaceholder {
			v = "Basic " + base64.StdEncoding.EncodeToString([]byte(fill(r.BasicAuth)))
		}
		req.Header.Add(f.Name, fill(v))
	}
	if r.Body != nil {
		req.Body = []byte(fill(string(r.Body)))
		req.BodySize = int64(len(req.Body))
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	return req, nil
}

// filler puts the values of secrets in place of placeholders, and notes
// the secrets it has no value for.
type filler struct {
	secrets map[string]string
	missing []string
}

// fill returns s with its placeholders replaced by the values they stand
// for: a secret's text under its name, an auth profile's token under
// "auth:PROFILE", each in the encoding its placeholder names.
func (f *filler) fill(s string) string {
	return ReplacePlaceholders(s, func(p Placeholder) string {
		key := p.Name
		if p.Kind == "auth" {
			key = "auth:" + p.Name
		}
		text, ok := f.secrets[key]
		if !ok {
			if !slices.Contains(f.missing, key) {
				f.missing = append(f.missing, key)
			}
			return ""
		}
		for _, enc := range SecretEncodings {
			if enc.Name == p.Encoding {
				return enc.Encode(text)
			}
		}
		return text
	})
}

// err is a *MissingSecretsError naming the secrets fill had no value
// for, nil when it had them all.
func (f *filler) err() error {
	if len(f.missing) == 0 {
		return nil
	}
	sort.Strings(f.missing)
	return &MissingSecretsError{Names: f.missing}
}
