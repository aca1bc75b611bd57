package arazzo

import (
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/callsheet/callsheet/arazzo/expr"
)

// buildRequest makes the request of a step that calls an operation: the
// operation's method, its server URL (or the override given for its
// source) and path with the path parameters in place, the query,
// header and cookie parameters in the order written (the workflow's
// first), and the body.
func buildRequest(sc *stepContext, st *workflowState, s *Step, op *Operation) (*Request, error) {
	b := &requestBuilder{path: op.Path, sc: sc}
	sc.pathParams = map[string]string{}
	for _, p := range mergeParameters(st.w.Parameters, s.Parameters) {
		v, err := p.Value.eval(sc)
		if err != nil {
			return nil, fmt.Errorf("parameter %q (%s): %w", p.Name, p.Pos, err)
		}
		if err := b.add(p, plain(v)); err != nil {
			return nil, fmt.Errorf("parameter %q (%s): %w", p.Name, p.Pos, err)
		}
	}
	server := op.ServerURL
	if rs := st.d.apiSource(s.Target); rs != nil {
		if o, ok := st.d.servers[rs.sd.Name]; ok {
			server = o
		}
	}
	u, err := b.url(server)
	if err != nil {
		return nil, err
	}
	body, contentType, err := buildBody(sc, s.RequestBody, op)
	if err != nil {
		return nil, fmt.Errorf("requestBody (%s): %w", s.RequestBody.Pos, err)
	}
	req := &Request{Method: op.Method, URL: u, Header: b.header, Body: body, Step: s}
	if _, set := req.Get("Content-Type"); body != nil && contentType != "" && !set {
		req.Header = append(req.Header, Field{"Content-Type", contentType})
	}
	if len(b.cookies) > 0 {
		req.Header = append(req.Header, Field{"Cookie", strings.Join(b.cookies, "; ")})
	}
	return req, nil
}

// requestBuilder collects the parameters of a request.
type requestBuilder struct {
	sc          *stepContext
	path        string
	query       []string
	queryString *string
	header      []Field
	cookies     []string
}

// add places one parameter. Null values leave out query, header and
// cookie parameters; a path parameter must have a value.
func (b *requestBuilder) add(p *Parameter, v any) error {
	if v == nil && p.In != InPath {
		return nil
	}
	switch p.In {
	case InPath:
		if v == nil {
			return errors.New("a path parameter cannot be null")
		}
		text, err := simpleText(v)
		if err != nil {
			return err
		}
		b.sc.pathParams[p.Name] = text
		b.path = strings.ReplaceAll(b.path, "{"+p.Name+"}", url.PathEscape(text))
	case InQuery:
		return b.addQuery(p.Name, v)
	case InQueryString:
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("a querystring parameter must be text, not %s", expr.TypeName(v))
		}
		b.queryString = &s
	case InHeader:
		text, err := simpleText(v)
		if err != nil {
			return err
		}
		if strings.ContainsAny(text, "\r\n") || strings.ContainsAny(p.Name, "\r\n: ") {
			return errors.New("a header cannot hold a line break")
		}
		b.header = append(b.header, Field{p.Name, text})
	case InCookie:
		text, err := simpleText(v)
		if err != nil {
			return err
		}
		if strings.ContainsAny(text, ";\r\n") {
			return errors.New("a cookie value cannot hold ; or a line break")
		}
		b.cookies = append(b.cookies, p.Name+"="+text)
	}
	return nil
}

// addQuery adds a query parameter as OpenAPI's default form style does:
// an array repeats the name, an object gives one pair per member.
func (b *requestBuilder) addQuery(name string, v any) error {
	switch t := v.(type) {
	case []any:
		for _, x := range t {
			if err := b.addQuery(name, x); err != nil {
				return err
			}
		}
		return nil
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if err := b.addQuery(k, t[k]); err != nil {
				return err
			}
		}
		return nil
	}
	text, err := expr.Text(v)
	if err != nil {
		return err
	}
	b.query = append(b.query, url.QueryEscape(name)+"="+url.QueryEscape(text))
	return nil
}

// url joins the server URL, the path and the query.
func (b *requestBuilder) url(server string) (string, error) {
	full := strings.TrimSuffix(server, "/") + b.path
	u, err := url.Parse(full)
	if err != nil {
		return "", fmt.Errorf("URL %s: %w", full, err)
	}
	if u.Scheme == "" || u.Host == "" {
		return "", fmt.Errorf("URL %s is not absolute: give the operation's source a server URL", full)
	}
	query := u.RawQuery
	if b.queryString != nil {
		query = joinQuery(query, *b.queryString)
	}
	for _, q := range b.query {
		query = joinQuery(query, q)
	}
	u.RawQuery = query
	return u.String(), nil
}

func joinQuery(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + "&" + b
}

// simpleText renders a path, header or cookie value as OpenAPI's default
// simple style does: arrays and objects as comma-separated items (an
// object as key,value pairs).
func simpleText(v any) (string, error) {
	switch t := v.(type) {
	case []any:
		parts := make([]string, len(t))
		for i, x := range t {
			s, err := expr.Text(x)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return strings.Join(parts, ","), nil
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			s, err := expr.Text(t[k])
			if err != nil {
				return "", err
			}
			parts = append(parts, k, s)
		}
		return strings.Join(parts, ","), nil
	}
	return expr.Text(v)
}
