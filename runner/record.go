package runner

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/callsheet/callsheet/collections"
)

// A recorded request keeps no secret. Where the value of a secret variable
// or capture was sent, the recording holds a placeholder naming it and the
// encoding it was sent in:
//
//	{{secret:access_token}}         the value as it is
//	{{secret:access_token:query}}   URL query-escaped
//	{{secret:access_token:base64}}  standard base64
//	{{secret:access_token:json}}    escaped inside a JSON string
//
// Replay puts the values back (from a saved state or a fresh login), so the
// request goes out byte for byte as it was first sent. Any other secret
// (an Authorization credential written in the collection) is masked as ***
// and the request is marked Masked: it cannot be replayed exactly.
//
// The token an auth profile put in Authorization is recorded as
// "Bearer {{auth:PROFILE}}" (and RecordedRequest.Auth names the profile): a
// replay gets a token for that profile again, from the token cache while it
// is fresh, else by refreshing or a new grant.

// Exchange is one recorded request and the response it got.
type Exchange struct {
	// Step is the name of the step that sent the request.
	Step     string            `json:"step"`
	Request  RecordedRequest   `json:"request"`
	Response *RecordedResponse `json:"response,omitempty"`
}

// RecordedRequest is a request as sent, with secrets replaced by
// placeholders.
type RecordedRequest struct {
	Method string      `json:"method"`
	URL    string      `json:"url"`
	Header http.Header `json:"header"`
	Body   []byte      `json:"body,omitempty"`
	// Secrets names the secrets the placeholders stand for, sorted.
	Secrets []string `json:"secrets,omitempty"`
	// Masked is set when a secret with no name was masked (as ***): the
	// request cannot be sent again as it was.
	Masked bool `json:"masked,omitempty"`
	// Auth is the auth profile whose token the request carried, as the
	// placeholder {{auth:PROFILE}}.
	Auth string `json:"auth,omitempty"`
}

// RecordedResponse is a response as received, masked, with its whole body.
type RecordedResponse struct {
	Status int         `json:"status"`
	Proto  string      `json:"proto,omitempty"`
	Header http.Header `json:"header"`
	Body   []byte      `json:"body,omitempty"`
	// Duration runs from sending the request to reading the whole body.
	Duration time.Duration `json:"duration"`
}

// rawExchange is a step's exchange before masking.
type rawExchange struct {
	step     string
	auth     string // the step's auth profile
	method   string
	url      string
	header   http.Header
	body     []byte
	response *RecordedResponse
}

// keep remembers the unmasked exchange of sr for the recording, before
// finish masks and cuts it.
func (rn *run) keep(sr *StepResult) {
	if !rn.opts.Record || sr.Request == nil || sr.Request.Header == nil {
		return
	}
	raw := &rawExchange{
		auth:   authProfile(sr.Step),
		step:   sr.Name,
		method: sr.Request.Method,
		url:    sr.Request.URL,
		header: sr.Request.Header.Clone(),
		body:   slices.Clone(sr.Request.Body),
	}
	if r := sr.Response; r != nil {
		raw.response = &RecordedResponse{Status: r.Status, Proto: r.Proto, Header: r.Header.Clone(), Body: slices.Clone(r.Body), Duration: r.Duration}
	}
	rn.raw = append(rn.raw, raw)
}

// exchanges turns the kept exchanges into recordings, with the secrets
// known at the end of the run.
func (rn *run) exchanges() []*Exchange {
	if len(rn.raw) == 0 {
		return nil
	}
	values := map[string]string{}
	for name := range rn.secretNames {
		if v, ok := rn.scope.Get(name); ok {
			values[name] = collections.Stringify(v)
		}
	}
	ph := newPlaceholders(values)
	out := make([]*Exchange, 0, len(rn.raw))
	for _, raw := range rn.raw {
		ex := &Exchange{Step: raw.step}
		used := map[string]bool{}
		masked := false
		hide := func(s string) string {
			s = ph.replace(s, used)
			m := rn.mask.text(s)
			masked = masked || m != s
			return m
		}
		ex.Request = RecordedRequest{Method: raw.method, URL: hide(raw.url), Header: http.Header{}, Auth: raw.auth}
		for name, vs := range raw.header {
			for _, v := range vs {
				if raw.auth != "" && http.CanonicalHeaderKey(name) == "Authorization" && strings.HasPrefix(v, "Bearer ") {
					ex.Request.Header[name] = append(ex.Request.Header[name], "Bearer "+authPlaceholder(raw.auth))
					continue
				}
				ex.Request.Header[name] = append(ex.Request.Header[name], hide(v))
			}
		}
		if raw.body != nil {
			ex.Request.Body = []byte(hide(string(raw.body)))
		}
		ex.Request.Secrets = slices.Sorted(maps.Keys(used))
		ex.Request.Masked = masked
		if r := raw.response; r != nil {
			resp := *r
			resp.Header = rn.mask.header(r.Header)
			resp.Body = rn.mask.bytes(r.Body, len(r.Body))
			ex.Response = &resp
		}
		out = append(out, ex)
	}
	return out
}

// placeholder encodings, as named in a placeholder.
var secretEncodings = []struct {
	name   string
	encode func(string) string
}{
	{"", func(s string) string { return s }},
	{"query", url.QueryEscape},
	{"base64", func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }},
	{"json", func(s string) string {
		q, _ := json.Marshal(s) // a string always marshals
		return string(q[1 : len(q)-1])
	}},
}

// placeholders replaces the encoded forms of named secret values with
// placeholders.
type placeholders struct {
	forms []string          // longest first
	names map[string]string // form -> secret name
	ph    map[string]string // form -> placeholder
}

func newPlaceholders(values map[string]string) *placeholders {
	p := &placeholders{names: map[string]string{}, ph: map[string]string{}}
	for _, name := range slices.Sorted(maps.Keys(values)) {
		v := values[name]
		if len(v) < minSecretLen {
			continue
		}
		for _, enc := range secretEncodings {
			form := enc.encode(v)
			if _, dup := p.ph[form]; dup {
				continue
			}
			tag := "{{secret:" + name + "}}"
			if enc.name != "" {
				tag = "{{secret:" + name + ":" + enc.name + "}}"
			}
			p.ph[form], p.names[form] = tag, name
			p.forms = append(p.forms, form)
		}
	}
	sort.SliceStable(p.forms, func(i, j int) bool { return len(p.forms[i]) > len(p.forms[j]) })
	return p
}

// replace returns s with every form replaced, adding the names it replaced
// to used.
func (p *placeholders) replace(s string, used map[string]bool) string {
	if len(p.forms) == 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		matched := false
		for _, f := range p.forms {
			if strings.HasPrefix(s[i:], f) {
				b.WriteString(p.ph[f])
				used[p.names[f]] = true
				i += len(f)
				matched = true
				break
			}
		}
		if !matched {
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String()
}

// placeholderRE matches a secret placeholder, or an auth profile's token
// ({{auth:PROFILE}}, whose value Restore takes from the key "auth:PROFILE").
var placeholderRE = regexp.MustCompile(`\{\{(secret|auth):([A-Za-z0-9_.-]+?)(?::(query|base64|json))?\}\}`)

// authPlaceholder is the placeholder of the token of auth profile name; in
// the secrets given to Restore and Replay its value is under "auth:"+name.
func authPlaceholder(name string) string { return "{{auth:" + name + "}}" }

// authProfile is the auth profile of a step, or "".
func authProfile(s *collections.Step) string {
	if s == nil {
		return ""
	}
	return s.Auth
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
	return fmt.Sprintf("no value for secret %s: save them with --state --state-secrets, or log in again", strings.Join(quoteAll(e.Names), ", "))
}

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fmt.Sprintf("%q", n)
	}
	return out
}

// Restore returns the request with its placeholders replaced by the values
// of secrets (rendered values, as in a State), ready to send.
func (r *RecordedRequest) Restore(secrets map[string]any) (method, target string, header http.Header, body []byte, err error) {
	if r.Masked {
		return "", "", nil, nil, ErrMaskedRequest
	}
	var missing []string
	fill := func(s string) string {
		return placeholderRE.ReplaceAllStringFunc(s, func(tag string) string {
			m := placeholderRE.FindStringSubmatch(tag)
			key := m[2]
			if m[1] == "auth" {
				key = "auth:" + m[2]
			}
			v, ok := secrets[key]
			if !ok {
				if !slices.Contains(missing, key) {
					missing = append(missing, key)
				}
				return tag
			}
			text := collections.Stringify(v)
			for _, enc := range secretEncodings {
				if enc.name == m[3] {
					return enc.encode(text)
				}
			}
			return text
		})
	}
	target = fill(r.URL)
	header = http.Header{}
	for name, vs := range r.Header {
		for _, v := range vs {
			header[name] = append(header[name], fill(v))
		}
	}
	if r.Body != nil {
		body = []byte(fill(string(r.Body)))
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return "", "", nil, nil, &MissingSecretsError{Names: missing}
	}
	return r.Method, target, header, body, nil
}

// Replay sends a recorded request again exactly as it was sent (no
// templating), with the secrets' values put back, and returns the response
// masked with those secrets. timeout bounds the exchange (0 means 30s);
// redirects are followed, limited and stripped of secrets as in a run.
func (r *Runner) Replay(ctx context.Context, req *RecordedRequest, secrets map[string]any, timeout time.Duration) (*RecordedResponse, error) {
	return r.replay(ctx, req, nil, secrets, timeout)
}

// replay is Replay, masking the response like the recorded response rec
// (see ReplayExchange) when rec is not nil.
func (r *Runner) replay(ctx context.Context, req *RecordedRequest, rec *RecordedResponse, secrets map[string]any, timeout time.Duration) (*RecordedResponse, error) {
	method, target, header, body, err := req.Restore(secrets)
	if err != nil {
		return nil, err
	}
	mask := newMasker()
	for _, v := range secrets {
		mask.addValue(v)
	}
	mask.addCredentials(header)
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	ctx, cancel := withTimeout(ctx, timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(ctx, method, target, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, mask.text(target), err)
	}
	hreq.Header = header
	if host := header.Get("Host"); host != "" {
		hreq.Host = host
	}
	client := http.DefaultClient
	if r.Client != nil {
		client = r.Client
	}
	// Redirects are refused and stripped of secrets as in a run.
	follow := *client
	if follow.CheckRedirect == nil {
		follow.CheckRedirect = checkRedirect(DefaultMaxRedirects)
	}
	follow.CheckRedirect = redirectPolicy(mask, follow.CheckRedirect)
	start := time.Now()
	resp, err := follow.Do(hreq)
	if err != nil {
		return nil, mask.err(fmt.Errorf("%s %s: %w", method, target, err))
	}
	defer resp.Body.Close()
	data, err := readResponseBody(ctx, resp, DefaultMaxBody) // as a run reads it (limits.go)
	if err != nil {
		return nil, mask.err(fmt.Errorf("%s %s: %w", method, target, err))
	}
	maskLikeRecording(mask, rec, resp.Header, data)
	return &RecordedResponse{
		Status:   resp.StatusCode,
		Proto:    resp.Proto,
		Header:   mask.header(resp.Header),
		Body:     mask.bytes(data, len(data)),
		Duration: time.Since(start),
	}, nil
}
