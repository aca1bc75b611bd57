package runner

import (
	"fmt"
	mrand "math/rand/v2"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/mask"
)

// renderer renders what a step sends from the templates of the
// collection and the run's scope: its request, the parameters of an
// authorization and the auth profiles.
type renderer struct {
	scope *eval.Scope
	coll  *collections.Collection
	// rand makes multipart boundaries: seeded with --seed, so a seeded run
	// sends the same bytes each time; without a seed, made at the first
	// boundary.
	rand *mrand.Rand
	// computed notes, in each request, the values computed from the
	// secrets named in secret (Retention.Exchanges).
	computed bool
	secret   map[string]bool
}

// request makes the request of r as it is sent: the URL with its query, the
// header fields in the order net/http writes them, and the body. On an
// error after the URL it returns what it had rendered, so the error can
// name the URL.
func (rd *renderer) request(r *collections.Request) (*exchange.Request, error) {
	req := &exchange.Request{Method: r.Method}
	if rd.computed {
		defer rd.scope.Observe(func(p *eval.Program, v any) { rd.noteComputed(req, p, v) })()
	}
	target, err := rd.requestURL(r)
	if err != nil {
		return nil, err
	}
	req.URL = target
	if req.Header, err = rd.requestHeader(r); err != nil {
		return req, err
	}
	var contentType string
	if req.Body, req.Parts, contentType, err = rd.requestBody(r.Body); err != nil {
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

// requestURL renders the URL template and appends the query parameters, in
// order, after the URL's own; the URL is otherwise sent as written.
func (rd *renderer) requestURL(req *collections.Request) (string, error) {
	raw, err := req.URL.Render(rd.scope)
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
	query, err := rd.encodeForm(req.Query)
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
func (rd *renderer) fields(kvs []*collections.KeyValue) (exchange.Header, error) {
	return rd.appendFields(make(exchange.Header, 0, len(kvs)), kvs)
}

// appendFields appends the fields of kvs to out (fields).
func (rd *renderer) appendFields(out exchange.Header, kvs []*collections.KeyValue) (exchange.Header, error) {
	for _, kv := range kvs {
		x, err := kv.Value.Render(rd.scope)
		if err != nil {
			return nil, err
		}
		if list, ok := x.([]any); ok {
			for _, it := range list {
				out = append(out, exchange.Field{Name: kv.Key, Value: eval.Stringify(it)})
			}
			continue
		}
		out = append(out, exchange.Field{Name: kv.Key, Value: eval.Stringify(x)})
	}
	return out, nil
}

// encodeForm renders key/value pairs and encodes them, in order, as
// application/x-www-form-urlencoded (url.Values.Encode would sort them).
func (rd *renderer) encodeForm(kvs []*collections.KeyValue) (string, error) {
	var fields [8]exchange.Field // most forms and queries are short
	fs, err := rd.appendFields(fields[:0], kvs)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	size := 0
	for _, f := range fs {
		size += len(f.Name) + len(f.Value) + 2
	}
	b.Grow(size + size/4) // room for a few escapes
	for i, f := range fs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(f.Name))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(f.Value))
	}
	return b.String(), nil
}

// requestHeader renders the collection's default headers, then the step's:
// a header the step sets replaces the default of the same name. Names keep
// their spelling.
func (rd *renderer) requestHeader(req *collections.Request) (exchange.Header, error) {
	defaults := rd.coll.Defaults.Headers
	// Room for the fields, a User-Agent and a Content-Type.
	h, err := rd.appendFields(make(exchange.Header, 0, len(defaults)+len(req.Headers)+2), defaults)
	if err != nil {
		return nil, err
	}
	n := len(h)
	if h, err = rd.appendFields(h, req.Headers); err != nil {
		return nil, err
	}
	// A default the step sets is left out; the others keep their order.
	own, kept := h[n:], h[:0]
	for _, f := range h[:n] {
		if !own.Has(f.Name) {
			kept = append(kept, f)
		}
	}
	h = append(kept, own...)
	if !h.Has("User-Agent") {
		h.Add("User-Agent", exchange.DefaultUserAgent)
	}
	return h, nil
}

// requestBody renders and encodes a body, returning its bytes, its parts
// when it is multipart, and the content type it implies.
func (rd *renderer) requestBody(b *collections.Body) ([]byte, []exchange.Part, string, error) {
	if b == nil {
		return nil, nil, "", nil
	}
	switch b.Kind {
	case collections.BodyJSON:
		body, err := b.JSON.AppendJSON(nil, rd.scope)
		return body, nil, "application/json", err
	case collections.BodyForm:
		form, err := rd.encodeForm(b.Fields)
		return []byte(form), nil, "application/x-www-form-urlencoded", err
	case collections.BodyMultipart:
		return rd.multipartBody(b)
	case collections.BodyRaw:
		text, err := b.Raw.Render(rd.scope)
		return []byte(text), nil, "text/plain; charset=utf-8", err
	}
	return nil, nil, "", fmt.Errorf("%s: unknown body kind %d", b.Pos, b.Kind)
}

// multipartBody encodes the parts, in the order written, as
// multipart/form-data.
func (rd *renderer) multipartBody(b *collections.Body) ([]byte, []exchange.Part, string, error) {
	parts := make([]exchange.Part, len(b.Parts))
	contents := make([][]byte, len(b.Parts))
	for i, p := range b.Parts {
		var err error
		if parts[i], contents[i], err = rd.part(p); err != nil {
			return nil, nil, "", err
		}
	}
	boundary := rd.boundary()
	return exchange.EncodeMultipart(boundary, parts, contents), parts, exchange.MultipartContentType(boundary), nil
}

// part renders one multipart part and returns its content: the file it
// names, read from the collection file's folder and never out of it
// (readCollectionFile), or its text.
func (rd *renderer) part(p *collections.MultipartPart) (exchange.Part, []byte, error) {
	part := exchange.Part{Name: p.Field}
	var content []byte
	contentType := ""
	if p.File != nil {
		path, err := p.File.Render(rd.scope)
		if err != nil {
			return part, nil, err
		}
		if content, err = readCollectionFile(rd.coll.File, path); err != nil {
			return part, nil, fmt.Errorf("%s: multipart file: %w", p.Pos, err)
		}
		part.File, part.Filename = path, filepath.Base(path)
		contentType = exchange.FileContentType(path)
	} else {
		text, err := p.Value.RenderString(rd.scope)
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
			v, err := f.t.Render(rd.scope)
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
	own, err := rd.fields(p.Headers)
	if err != nil {
		return part, nil, err
	}
	part.Header = append(part.Header, own...)
	return part, content, nil
}

// boundary returns a new multipart boundary: 60 hex digits, as
// mime/multipart makes them, from the run's own random source, so that a
// run with --seed sends the same bytes each time.
func (rd *renderer) boundary() string {
	if rd.rand == nil {
		rd.rand = eval.NewRand(0, false)
	}
	var b [30]byte
	for i := range b {
		b[i] = byte(rd.rand.Uint32())
	}
	return fmt.Sprintf("%x", b[:])
}

// noteComputed adds to req.Computed the value v of p when p computes it
// from secrets without being a secret's name alone: an exporter that
// writes secrets as shell variables cannot write such a value.
func (rd *renderer) noteComputed(req *exchange.Request, p *eval.Program, v any) {
	if p.IsName() {
		return
	}
	var from []string
	for _, n := range p.Names {
		if rd.secret[n] {
			from = append(from, n)
		}
	}
	if text := eval.Stringify(v); len(from) > 0 && len(text) >= mask.MinLen {
		req.Computed = append(req.Computed, exchange.Computed{Value: text, From: from})
	}
}
