package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/callsheet/callsheet/collections"
)

// userAgent is sent unless the step or the defaults set User-Agent.
const userAgent = "callsheet"

// send renders and sends the request of step s, reads the whole response and
// records both in sr (with whole bodies, cut and masked later by finish).
func (rn *run) send(ctx context.Context, s *collections.Step, sr *StepResult) (*subject, error) {
	req := s.Request
	target, err := rn.requestURL(req)
	if err != nil {
		return nil, err
	}
	sr.Request = &RequestInfo{Method: req.Method, URL: target}
	header, err := rn.requestHeader(req)
	if err != nil {
		return nil, err
	}
	tok, err := rn.attachAuth(ctx, s, header)
	if err != nil {
		return nil, err
	}
	body, contentType, err := rn.requestBody(req.Body)
	if err != nil {
		return nil, err
	}
	if err := rn.checkInsecure(target, header, body); err != nil {
		return nil, err
	}
	if contentType != "" && (header.Get("Content-Type") == "" || req.Body.Kind == collections.BodyMultipart) {
		// A multipart body needs its own boundary in the Content-Type.
		header.Set("Content-Type", contentType)
	}
	sr.Request.Header = header
	rn.mask.addCredentials(header)
	sr.Request.Body, sr.Request.BodySize = body, int64(len(body))

	ctx, cancel := withTimeout(ctx, rn.timeout(req.Timeout))
	defer cancel()
	hreq, err := http.NewRequestWithContext(ctx, req.Method, target, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	hreq.Header = header
	if host := header.Get("Host"); host != "" {
		hreq.Host = host
	}
	client := rn.client
	if req.FollowRedirects != nil && !*req.FollowRedirects {
		client = rn.noFollow
	}
	return rn.exchangeAuth(ctx, s, client, hreq, tok, sr)
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
// order, after the URL's own.
func (rn *run) requestURL(req *collections.Request) (string, error) {
	raw, err := req.URL.Render(rn.scope)
	if err != nil {
		return "", err
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("invalid URL: %w", err)
	}
	if len(req.Query) > 0 {
		query, err := rn.encodeForm(req.Query)
		if err != nil {
			return "", err
		}
		if u.RawQuery != "" {
			query = u.RawQuery + "&" + query
		}
		u.RawQuery = query
	}
	return u.String(), nil
}

// encodeForm renders key/value pairs and encodes them, in order, as
// application/x-www-form-urlencoded (url.Values.Encode would sort them).
func (rn *run) encodeForm(kvs []*collections.KeyValue) (string, error) {
	parts := make([]string, len(kvs))
	for i, kv := range kvs {
		v, err := kv.Value.RenderString(rn.scope)
		if err != nil {
			return "", err
		}
		parts[i] = url.QueryEscape(kv.Key) + "=" + url.QueryEscape(v)
	}
	return strings.Join(parts, "&"), nil
}

// requestHeader renders the collection's default headers, then the step's:
// a header the step sets replaces the default of the same name.
func (rn *run) requestHeader(req *collections.Request) (http.Header, error) {
	h := http.Header{}
	if err := rn.addHeaders(h, rn.coll.Defaults.Headers); err != nil {
		return nil, err
	}
	for _, kv := range req.Headers {
		h.Del(kv.Key)
	}
	if err := rn.addHeaders(h, req.Headers); err != nil {
		return nil, err
	}
	if h.Get("User-Agent") == "" {
		h.Set("User-Agent", userAgent)
	}
	return h, nil
}

func (rn *run) addHeaders(h http.Header, kvs []*collections.KeyValue) error {
	for _, kv := range kvs {
		v, err := kv.Value.RenderString(rn.scope)
		if err != nil {
			return err
		}
		h.Add(kv.Key, v)
	}
	return nil
}

// requestBody renders and encodes a body, returning its bytes and the
// content type it implies.
func (rn *run) requestBody(b *collections.Body) ([]byte, string, error) {
	if b == nil {
		return nil, "", nil
	}
	switch b.Kind {
	case collections.BodyJSON:
		return rn.jsonBody(b.JSON)
	case collections.BodyForm:
		form, err := rn.encodeForm(b.Fields)
		return []byte(form), "application/x-www-form-urlencoded", err
	case collections.BodyMultipart:
		return rn.multipartBody(b)
	case collections.BodyRaw:
		text, err := b.Raw.Render(rn.scope)
		return []byte(text), "text/plain; charset=utf-8", err
	}
	return nil, "", fmt.Errorf("%s: unknown body kind %d", b.Pos, b.Kind)
}

// jsonBody renders v and encodes the result as JSON: values are encoded, not
// spliced into JSON text, so a captured number stays a number and a string
// with quotes stays a valid string.
func (rn *run) jsonBody(v *collections.Value) ([]byte, string, error) {
	x, err := v.Render(rn.scope)
	if err != nil {
		return nil, "", err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(x); err != nil {
		return nil, "", fmt.Errorf("%s: encode JSON body: %w", v.Pos, err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), "application/json", nil
}

// multipartBody encodes the text fields, then the file parts, as
// multipart/form-data.
func (rn *run) multipartBody(b *collections.Body) ([]byte, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, kv := range b.Fields {
		v, err := kv.Value.RenderString(rn.scope)
		if err != nil {
			return nil, "", err
		}
		if err := w.WriteField(kv.Key, v); err != nil {
			return nil, "", err
		}
	}
	for _, f := range b.Files {
		if err := rn.writeFilePart(w, f); err != nil {
			return nil, "", err
		}
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

// quoteEscaper escapes a Content-Disposition parameter as mime/multipart
// does.
var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"")

// writeFilePart adds one file as a part. The path is taken from the
// collection file's folder and may not lead out of it (readCollectionFile).
func (rn *run) writeFilePart(w *multipart.Writer, f *collections.FilePart) error {
	path, err := f.Path.Render(rn.scope)
	if err != nil {
		return err
	}
	data, err := readCollectionFile(rn.coll.File, path)
	if err != nil {
		return fmt.Errorf("%s: multipart file: %w", f.Pos, err)
	}
	filename := filepath.Base(path)
	if f.Filename != nil {
		if filename, err = f.Filename.Render(rn.scope); err != nil {
			return err
		}
	}
	contentType := mime.TypeByExtension(filepath.Ext(path))
	if f.ContentType != nil {
		if contentType, err = f.ContentType.Render(rn.scope); err != nil {
			return err
		}
	}
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`,
		quoteEscaper.Replace(f.Field), quoteEscaper.Replace(filename)))
	h.Set("Content-Type", contentType)
	part, err := w.CreatePart(h)
	if err != nil {
		return err
	}
	_, err = part.Write(data)
	return err
}
