package runner

import (
	"fmt"
	"net/http"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/eval"

	"github.com/antchfx/xmlquery"
	"github.com/tidwall/gjson"
	"golang.org/x/net/html"
)

// subject is what checks and captures read: a response, or the grant of an
// authorize step (as a JSON body, with no status or headers).
type subject struct {
	status int // 0 when there is none
	header http.Header
	body   []byte
	// meta holds the final URL, redirects, cookies and duration of a
	// response; nil for an authorize step.
	meta *responseMeta
	// html caches the body parsed as HTML for xpath and css, xml as XML
	// for xpath.
	html    *html.Node
	htmlErr error
	xml     *xmlquery.Node
	xmlErr  error
	// res caches what assert expressions see as res (responseValue).
	res map[string]any
	// valid caches gjson.ValidBytes(body): 0 unknown, 1 valid, -1 invalid.
	valid int
}

// validJSON reports whether the body is valid JSON, checking it once.
func (s *subject) validJSON() bool {
	if s.valid == 0 {
		s.valid = -1
		if gjson.ValidBytes(s.body) {
			s.valid = 1
		}
	}
	return s.valid == 1
}

// notJSON is the message of checks and captures on a body that is not JSON.
const notJSON = "response body is not valid JSON"

// statusValue returns the status as an integer, or none.
func (s *subject) statusValue() Typed {
	if s.status == 0 {
		return Typed{Missing: true}
	}
	return Typed{Value: int64(s.status)}
}

// jsonValue returns the value at a gjson path (the whole document for an
// empty path) and, when there is none for a reason other than a missing
// path, why.
func (s *subject) jsonValue(path string) (Typed, string) {
	if !s.validJSON() {
		return Typed{Missing: true}, notJSON
	}
	var v any
	var err error
	if path == "" {
		v, err = eval.DecodeJSON(s.body)
	} else {
		r := gjson.GetBytes(s.body, path)
		if !r.Exists() {
			return Typed{Missing: true}, ""
		}
		v, err = fromGJSON(r)
	}
	if err != nil {
		return Typed{Missing: true}, err.Error()
	}
	return Typed{Value: v}, ""
}

// firstHeader returns a header's first value.
func (s *subject) firstHeader(name string) (string, error) {
	values := s.header.Values(name)
	if len(values) == 0 {
		return "", fmt.Errorf("header %q not found", name)
	}
	return values[0], nil
}

// redirectValue returns the final URL (FromURL) or the number of
// redirects followed (FromRedirects).
func (s *subject) redirectValue(source collections.CaptureSource) (Typed, string) {
	if s.meta == nil {
		return Typed{Missing: true}, noResponse
	}
	if source == collections.FromURL {
		return Typed{Value: s.meta.url()}, ""
	}
	return Typed{Value: int64(s.meta.redirects)}, ""
}
