package exchange

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"path"
	"slices"
	"strings"
)

// DefaultUserAgent is the User-Agent sent when a collection sets none.
const DefaultUserAgent = "callsheet"

// Request is an HTTP request as sent: the method, the final URL (query
// included), the header fields in order and the body bytes. In a result it
// is masked, and its body may hold only the start of what was sent.
type Request struct {
	Method string `json:"method"`
	URL    string `json:"url"`
	Header Header `json:"header"`
	// Body is the body as sent; nil when there is none.
	Body []byte `json:"body,omitempty"`
	// BodySize is the size of the whole body in bytes.
	BodySize int64 `json:"body_size,omitempty"`
	// Truncated says Body holds only the start of the body. (Masking may
	// change Body's length, so comparing it with BodySize does not tell.)
	Truncated bool `json:"truncated,omitempty"`
	// Parts are the parts of a multipart/form-data body, in the order they
	// were sent; Body holds them encoded.
	Parts []Part `json:"parts,omitempty"`
	// Computed are the values templates computed from secrets without
	// showing them (base64_encode(user + ":" + password), upper(token)):
	// a request printed with its secrets as shell variables cannot write
	// them.
	Computed []Computed `json:"computed,omitempty"`
}

// Computed is a value a template computed from secret values.
type Computed struct {
	// Value is the computed text as it appears in the request.
	Value string `json:"value"`
	// From names the secrets it was computed from.
	From []string `json:"from"`
}

// Part is one part of a multipart/form-data body.
type Part struct {
	// Header holds the part's fields as sent: Content-Disposition,
	// Content-Type and any the collection wrote.
	Header Header `json:"header"`
	// Name is the form field name and Filename the file name sent, ""
	// for a text part.
	Name     string `json:"name"`
	Filename string `json:"filename,omitempty"`
	// File is the file the content was read from, as the collection names
	// it; "" for a text part.
	File string `json:"file,omitempty"`
	// Value is the content of a text part; a file part's content is only
	// in the request's Body.
	Value string `json:"value,omitempty"`
}

// Clone returns a deep copy of r.
func (r *Request) Clone() *Request {
	if r == nil {
		return nil
	}
	c := *r
	c.Header = r.Header.Clone()
	c.Body = bytes.Clone(r.Body)
	c.Parts = make([]Part, len(r.Parts))
	for i, p := range r.Parts {
		p.Header = p.Header.Clone()
		c.Parts[i] = p
	}
	if r.Parts == nil {
		c.Parts = nil
	}
	c.Computed = slices.Clone(r.Computed)
	return &c
}

// HTTP returns the *http.Request that sends r. Header names keep their
// spelling; a Host field sets the request's Host.
func (r *Request) HTTP(ctx context.Context) (*http.Request, error) {
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	hreq, err := http.NewRequestWithContext(ctx, r.Method, r.URL, body)
	if err != nil {
		return nil, err
	}
	if r.Body == nil {
		hreq.Body = http.NoBody
	}
	hreq.Header = r.Header.HTTP()
	if host := r.Header.Get("Host"); host != "" {
		hreq.Host = host
	}
	return hreq, nil
}

// EncodeMultipart writes parts as a multipart/form-data body with boundary,
// each part's header fields in order, and returns the body. contents holds
// each part's content, in the order of parts.
func EncodeMultipart(boundary string, parts []Part, contents [][]byte) []byte {
	var b bytes.Buffer
	for i, p := range parts {
		b.WriteString("--" + boundary + "\r\n")
		for _, f := range p.Header {
			b.WriteString(f.Name + ": " + f.Value + "\r\n")
		}
		b.WriteString("\r\n")
		b.Write(contents[i])
		b.WriteString("\r\n")
	}
	b.WriteString("--" + boundary + "--\r\n")
	return b.Bytes()
}

// MultipartContentType is the Content-Type of a multipart/form-data body
// with boundary.
func MultipartContentType(boundary string) string {
	if strings.ContainsAny(boundary, `()<>@,;:\"/[]?= `) {
		boundary = `"` + boundary + `"`
	}
	return "multipart/form-data; boundary=" + boundary
}

// ContentDisposition is the Content-Disposition of a form-data part named
// name, with a filename when filename is not "". Quotes and backslashes are
// escaped as mime/multipart and browsers do.
func ContentDisposition(name, filename string) string {
	v := fmt.Sprintf(`form-data; name="%s"`, quoteEscaper.Replace(name))
	if filename != "" {
		v += fmt.Sprintf(`; filename="%s"`, quoteEscaper.Replace(filename))
	}
	return v
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"")

// fileTypes are the content types a file part gets from its extension:
// those curl gives (so a part imported from curl -F is sent alike), and
// a few more common ones. Fixed, so that a collection sends the same bytes
// on every machine (mime.TypeByExtension reads the system's tables).
var fileTypes = map[string]string{
	".gif": "image/gif", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
	".svg": "image/svg+xml", ".txt": "text/plain", ".htm": "text/html", ".html": "text/html",
	".pdf": "application/pdf", ".xml": "application/xml",
	".json": "application/json", ".csv": "text/csv", ".css": "text/css", ".js": "text/javascript",
	".zip": "application/zip", ".gz": "application/gzip", ".webp": "image/webp",
}

// FileContentType is the content type a multipart file part named name
// gets when the collection sets none: by extension (any case), else
// application/octet-stream.
func FileContentType(name string) string {
	if ct, ok := fileTypes[strings.ToLower(path.Ext(name))]; ok {
		return ct
	}
	return "application/octet-stream"
}
