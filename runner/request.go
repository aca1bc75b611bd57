package runner

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/mask"
)

// send renders the request of step s, sends it and reads the whole
// response, recording both in sr (with whole bodies, cut and masked later
// by finish).
func (rn *run) send(ctx context.Context, s *collections.Step, sr *StepResult) (*subject, error) {
	req, err := rn.render(s.Request())
	sr.Request = req
	if err != nil {
		return nil, err
	}
	tok, err := rn.attachAuth(ctx, s, req)
	if err != nil {
		return nil, err
	}
	if err := rn.checkInsecure(req); err != nil {
		return nil, err
	}
	addCredentials(rn.mask, req.Header)
	ctx, cancel := withTimeout(ctx, rn.timeout(s.Request().Timeout))
	defer cancel()
	client := rn.client
	if f := s.Request().FollowRedirects; f != nil && !*f {
		client = rn.noFollow
	}
	return rn.exchangeAuth(ctx, s, client, req, tok, sr)
}

// render makes the request of r as it is sent: the URL with its query, the
// header fields in the order net/http writes them, and the body. On an
// error after the URL it returns what it had rendered, so the error can
// name the URL.
func (rn *run) render(r *collections.Request) (*exchange.Request, error) {
	req := &exchange.Request{Method: r.Method}
	if rn.opts.Exchanges {
		defer rn.scope.Observe(func(e *collections.Expr, v any) { rn.noteComputed(req, e, v) })()
	}
	target, err := rn.requestURL(r)
	if err != nil {
		return nil, err
	}
	req.URL = target
	if req.Header, err = rn.requestHeader(r); err != nil {
		return req, err
	}
	var contentType string
	if req.Body, req.Parts, contentType, err = rn.requestBody(r.Body); err != nil {
		return req, err
	}
	req.BodySize = int64(len(req.Body))
	if contentType != "" && (!req.Header.Has("Content-Type") || r.Body.Kind == collections.BodyMultipart) {
		// A multipart body needs its own boundary in the Content-Type.
		req.Header.Set("Content-Type", contentType)
	}
	wireOrder(req.Header)
	return req, nil
}

// wireOrder sorts h into the order net/http writes header fields in: by
// name, byte for byte, each name's values in the order given. The request
// value then shows the fields as they go out.
func wireOrder(h exchange.Header) {
	slices.SortStableFunc(h, func(a, b exchange.Field) int { return strings.Compare(a.Name, b.Name) })
}

// timeoutError is the cause of a request that ran out of time. It is
// context.DeadlineExceeded for errors.Is, and says which timeout expired.
type timeoutError struct{ d time.Duration }

func (e *timeoutError) Error() string { return fmt.Sprintf("timeout after %v", e.d) }
func (e *timeoutError) Unwrap() error { return context.DeadlineExceeded }

// withTimeout bounds ctx by d, with a cause that names d.
func withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeoutCause(ctx, d, &timeoutError{d})
}

// timeout picks the request timeout: the step's, the collection's default,
// the run's, else defaultTimeout.
func (rn *run) timeout(step time.Duration) time.Duration {
	for _, d := range []time.Duration{step, rn.coll.Defaults.Timeout, rn.opts.Timeout} {
		if d > 0 {
			return d
		}
	}
	return defaultTimeout
}

// requestURL renders the URL template and appends the query parameters, in
// order, after the URL's own; the URL is otherwise sent as written.
func (rn *run) requestURL(req *collections.Request) (string, error) {
	raw, err := req.URL.Render(rn.scope)
	if err != nil {
		return "", err
	}
	u, err := url.Parse(raw)
	if err != nil {
		return raw, fmt.Errorf("invalid URL: %w", err)
	}
	if len(req.Query) == 0 {
		return raw, nil
	}
	query, err := rn.encodeForm(req.Query)
	if err != nil {
		return raw, err
	}
	base, fragment, hasFragment := strings.Cut(raw, "#")
	sep := "?"
	if u.RawQuery != "" || u.ForceQuery {
		sep = "&"
	}
	if strings.HasSuffix(base, "?") {
		sep = ""
	}
	out := base + sep + query
	if hasFragment {
		out += "#" + fragment
	}
	return out, nil
}

// fields renders key/value pairs into name/value pairs, in order: a value
// that renders to a list gives one pair per item.
func (rn *run) fields(kvs []*collections.KeyValue) (exchange.Header, error) {
	out := make(exchange.Header, 0, len(kvs))
	for _, kv := range kvs {
		x, err := kv.Value.Render(rn.scope)
		if err != nil {
			return nil, err
		}
		if list, ok := x.([]any); ok {
			for _, it := range list {
				out = append(out, exchange.Field{Name: kv.Key, Value: collections.Stringify(it)})
			}
			continue
		}
		out = append(out, exchange.Field{Name: kv.Key, Value: collections.Stringify(x)})
	}
	return out, nil
}

// encodeForm renders key/value pairs and encodes them, in order, as
// application/x-www-form-urlencoded (url.Values.Encode would sort them).
func (rn *run) encodeForm(kvs []*collections.KeyValue) (string, error) {
	fs, err := rn.fields(kvs)
	if err != nil {
		return "", err
	}
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = url.QueryEscape(f.Name) + "=" + url.QueryEscape(f.Value)
	}
	return strings.Join(parts, "&"), nil
}

// requestHeader renders the collection's default headers, then the step's:
// a header the step sets replaces the default of the same name. Names keep
// their spelling.
func (rn *run) requestHeader(req *collections.Request) (exchange.Header, error) {
	defaults, err := rn.fields(rn.coll.Defaults.Headers)
	if err != nil {
		return nil, err
	}
	own, err := rn.fields(req.Headers)
	if err != nil {
		return nil, err
	}
	for _, f := range own {
		defaults.Del(f.Name)
	}
	h := append(defaults, own...)
	if !h.Has("User-Agent") {
		h.Add("User-Agent", exchange.DefaultUserAgent)
	}
	return h, nil
}

// requestBody renders and encodes a body, returning its bytes, its parts
// when it is multipart, and the content type it implies.
func (rn *run) requestBody(b *collections.Body) ([]byte, []exchange.Part, string, error) {
	if b == nil {
		return nil, nil, "", nil
	}
	switch b.Kind {
	case collections.BodyJSON:
		body, err := b.JSON.AppendJSON(nil, rn.scope)
		return body, nil, "application/json", err
	case collections.BodyForm:
		form, err := rn.encodeForm(b.Fields)
		return []byte(form), nil, "application/x-www-form-urlencoded", err
	case collections.BodyMultipart:
		return rn.multipartBody(b)
	case collections.BodyRaw:
		text, err := b.Raw.Render(rn.scope)
		return []byte(text), nil, "text/plain; charset=utf-8", err
	}
	return nil, nil, "", fmt.Errorf("%s: unknown body kind %d", b.Pos, b.Kind)
}

// multipartBody encodes the parts, in the order written, as
// multipart/form-data.
func (rn *run) multipartBody(b *collections.Body) ([]byte, []exchange.Part, string, error) {
	parts := make([]exchange.Part, len(b.Parts))
	contents := make([][]byte, len(b.Parts))
	for i, p := range b.Parts {
		var err error
		if parts[i], contents[i], err = rn.part(p); err != nil {
			return nil, nil, "", err
		}
	}
	boundary := rn.boundary()
	return exchange.EncodeMultipart(boundary, parts, contents), parts, exchange.MultipartContentType(boundary), nil
}

// part renders one multipart part and returns its content: the file it
// names, read from the collection file's folder and never out of it
// (readCollectionFile), or its text.
func (rn *run) part(p *collections.MultipartPart) (exchange.Part, []byte, error) {
	part := exchange.Part{Name: p.Field}
	var content []byte
	contentType := ""
	if p.File != nil {
		path, err := p.File.Render(rn.scope)
		if err != nil {
			return part, nil, err
		}
		if content, err = readCollectionFile(rn.coll.File, path); err != nil {
			return part, nil, fmt.Errorf("%s: multipart file: %w", p.Pos, err)
		}
		part.File, part.Filename = path, filepath.Base(path)
		contentType = exchange.FileContentType(path)
	} else {
		text, err := p.Value.RenderString(rn.scope)
		if err != nil {
			return part, nil, err
		}
		part.Value, content = text, []byte(text)
	}
	for _, f := range []struct {
		t   *collections.Template
		dst *string
	}{{p.Filename, &part.Filename}, {p.ContentType, &contentType}} {
		if f.t != nil {
			v, err := f.t.Render(rn.scope)
			if err != nil {
				return part, nil, err
			}
			*f.dst = v
		}
	}
	part.Header = exchange.Header{{Name: "Content-Disposition", Value: exchange.ContentDisposition(p.Field, part.Filename)}}
	if contentType != "" {
		part.Header.Add("Content-Type", contentType)
	}
	own, err := rn.fields(p.Headers)
	if err != nil {
		return part, nil, err
	}
	part.Header = append(part.Header, own...)
	return part, content, nil
}

// boundary returns a new multipart boundary: 60 hex digits, as
// mime/multipart makes them, from the run's own random source, so that a
// run with --seed sends the same bytes each time.
func (rn *run) boundary() string {
	var b [30]byte
	for i := range b {
		b[i] = byte(rn.rand.Uint32())
	}
	return fmt.Sprintf("%x", b[:])
}

// noteComputed adds to req.Computed the value v of e when e computes it
// from secrets without being a secret's name alone: an exporter that
// writes secrets as shell variables cannot write such a value.
func (rn *run) noteComputed(req *exchange.Request, e *collections.Expr, v any) {
	if e.IsName() {
		return
	}
	var from []string
	for _, n := range e.Names {
		if rn.secretNames[n] {
			from = append(from, n)
		}
	}
	if text := collections.Stringify(v); len(from) > 0 && len(text) >= mask.MinLen {
		req.Computed = append(req.Computed, exchange.Computed{Value: text, From: from})
	}
}
