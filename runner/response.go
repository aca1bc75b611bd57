package runner

import (
	"context"
	"github.com/callsheet/callsheet/collections"
	"net/http"

	"github.com/antchfx/xmlquery"
	"github.com/tidwall/gjson"
	"golang.org/x/net/html"
)

// exchange sends hreq and reads the whole response body within ctx's
// deadline, recording the response in sr.
func (rn *run) exchange(ctx context.Context, client *http.Client, hreq *http.Request, sr *StepResult) (*subject, error) {
	start := rn.now()
	resp, err := client.Do(hreq)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := readResponseBody(ctx, resp, rn.maxBody())
	if err != nil {
		return nil, err
	}
	rn.mask.addTokenResponse(body) // masktokens.go
	sr.Response = &ResponseInfo{
		Status:   resp.StatusCode,
		Proto:    resp.Proto,
		Header:   resp.Header,
		Body:     body,
		Size:     int64(len(body)),
		Duration: rn.now().Sub(start),
	}
	return &subject{status: resp.StatusCode, header: resp.Header, body: body, meta: newResponseMeta(resp, sr.Response.Duration)}, nil
}

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
		v, err = collections.DecodeJSON(s.body)
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
