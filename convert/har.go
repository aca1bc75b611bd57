package convert

import (
	"encoding/json"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/callsheet/callsheet/collections"
	"gopkg.in/yaml.v3"
)

// HAR 1.2 documents (http://www.softwareishard.com/blog/har-12-spec/), as
// far as the importer and exporter use them.
type (
	// HAR is the top of a HAR file.
	HAR struct {
		Log HARLog `json:"log"`
	}
	// HARLog holds the entries.
	HARLog struct {
		Version string     `json:"version"`
		Creator HARCreator `json:"creator"`
		Entries []HAREntry `json:"entries"`
	}
	// HARCreator names the program that wrote the file.
	HARCreator struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	}
	// HAREntry is one exchange.
	HAREntry struct {
		StartedDateTime time.Time   `json:"startedDateTime"`
		Time            float64     `json:"time"`
		Request         HARRequest  `json:"request"`
		Response        HARResponse `json:"response"`
		Cache           struct{}    `json:"cache"`
		Timings         HARTimings  `json:"timings"`
		ResourceType    string      `json:"_resourceType,omitempty"`
		Comment         string      `json:"comment,omitempty"`
	}
	// HARRequest is the request of an entry.
	HARRequest struct {
		Method      string    `json:"method"`
		URL         string    `json:"url"`
		HTTPVersion string    `json:"httpVersion"`
		Cookies     []HARPair `json:"cookies"`
		Headers     []HARPair `json:"headers"`
		QueryString []HARPair `json:"queryString"`
		PostData    *HARPost  `json:"postData,omitempty"`
		HeadersSize int       `json:"headersSize"`
		BodySize    int64     `json:"bodySize"`
		Comment     string    `json:"comment,omitempty"`
	}
	// HARResponse is the response of an entry.
	HARResponse struct {
		Status      int        `json:"status"`
		StatusText  string     `json:"statusText"`
		HTTPVersion string     `json:"httpVersion"`
		Cookies     []HARPair  `json:"cookies"`
		Headers     []HARPair  `json:"headers"`
		Content     HARContent `json:"content"`
		RedirectURL string     `json:"redirectURL"`
		HeadersSize int        `json:"headersSize"`
		BodySize    int64      `json:"bodySize"`
	}
	// HARPair is a header, cookie or query parameter.
	HARPair struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	// HARPost is a request body.
	HARPost struct {
		MimeType string     `json:"mimeType"`
		Text     string     `json:"text"`
		Params   []HARParam `json:"params,omitempty"`
		Comment  string     `json:"comment,omitempty"`
	}
	// HARParam is a posted form field or file.
	HARParam struct {
		Name        string `json:"name"`
		Value       string `json:"value,omitempty"`
		FileName    string `json:"fileName,omitempty"`
		ContentType string `json:"contentType,omitempty"`
	}
	// HARContent is a response body.
	HARContent struct {
		Size     int64  `json:"size"`
		MimeType string `json:"mimeType"`
		Text     string `json:"text,omitempty"`
		Encoding string `json:"encoding,omitempty"`
		Comment  string `json:"comment,omitempty"`
	}
	// HARTimings are an entry's timings in milliseconds.
	HARTimings struct {
		Send    float64 `json:"send"`
		Wait    float64 `json:"wait"`
		Receive float64 `json:"receive"`
	}
)

// staticTypes and staticExts tell static assets, which ImportHAR skips
// unless asked to keep them.
var (
	staticTypes = map[string]bool{"script": true, "stylesheet": true, "image": true, "font": true, "media": true, "manifest": true, "texttrack": true}
	staticExts  = map[string]bool{".js": true, ".mjs": true, ".css": true, ".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".svg": true, ".ico": true, ".webp": true, ".woff": true, ".woff2": true, ".ttf": true, ".otf": true, ".map": true, ".mp4": true, ".webm": true}
)

// isStatic reports whether an entry fetched a static asset.
func isStatic(e HAREntry) bool {
	if staticTypes[e.ResourceType] {
		return true
	}
	p := e.Request.URL
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	if staticExts[strings.ToLower(path.Ext(p))] {
		return true
	}
	mt := strings.ToLower(e.Response.Content.MimeType)
	return strings.HasPrefix(mt, "image/") || strings.HasPrefix(mt, "font/") || strings.HasPrefix(mt, "text/css") || strings.Contains(mt, "javascript")
}

// droppedHeaders are browser headers a step does not need.
var droppedHeaders = map[string]bool{
	"host": true, "connection": true, "content-length": true, "accept-encoding": true, "accept-language": true,
	"user-agent": true, "cache-control": true, "pragma": true, "origin": true, "referer": true, "te": true,
	"upgrade-insecure-requests": true, "priority": true, "dnt": true,
}

// ImportHAR converts a browser recording into a collection, one step per
// entry, checking the recorded status. Static assets (scripts, styles,
// images, fonts, media) are skipped unless keepStatic is set. Browser
// headers (User-Agent, Accept-Encoding, sec-*…) are dropped, and
// credentials move into secret variables.
func ImportHAR(name string, data []byte, keepStatic bool) (*Import, error) {
	var h HAR
	if err := json.Unmarshal(data, &h); err != nil {
		return nil, fmt.Errorf("import har: %w", err)
	}
	b := newBuilder(name)
	skipped := 0
	for _, e := range h.Log.Entries {
		if !keepStatic && isStatic(e) {
			skipped++
			continue
		}
		method := strings.ToUpper(e.Request.Method)
		var left []string
		if !collections.IsMethod(method) {
			b.note("", fmt.Sprintf("%s %s: method not supported, skipped", method, e.Request.URL))
			continue
		}
		base, query := splitQuery(e.Request.URL)
		r := &reqSpec{method: method, url: base}
		r.name = b.uniqueName(stepName(method, base))
		for _, q := range query {
			r.query = append(r.query, kv{q[0], str(q[1])})
		}
		for _, hd := range e.Request.Headers {
			lk := strings.ToLower(hd.Name)
			if droppedHeaders[lk] || strings.HasPrefix(lk, ":") || strings.HasPrefix(lk, "sec-") {
				continue
			}
			v := hd.Value
			switch lk {
			case "authorization":
				v = b.authHeader(v)
			case "cookie":
				v = b.secretValue("cookie", v)
			}
			r.headers = append(r.headers, kv{hd.Name, str(v)})
		}
		if pd := e.Request.PostData; pd != nil {
			mt := strings.ToLower(pd.MimeType)
			switch {
			case strings.Contains(mt, "json"):
				if n, ok := exactJSON(pd.Text); ok {
					r.json = n
					r.dropHeader("Content-Type")
				} else {
					t := pd.Text
					r.raw = &t
				}
			case strings.HasPrefix(mt, "application/x-www-form-urlencoded"):
				if fields, ok := formFields(pd.Text); ok {
					r.form = b.fields(fields)
					r.dropHeader("Content-Type")
				} else {
					t := pd.Text
					r.raw = &t
				}
			case strings.HasPrefix(mt, "multipart/form-data"):
				params := pd.Params
				if len(params) == 0 && pd.Text != "" {
					var err error
					if params, err = harMultipartParams(pd); err != nil {
						left = append(left, fmt.Sprintf("the body could not be read (%v); add it by hand", err))
					}
				}
				for _, p := range params {
					if p.FileName != "" {
						r.parts = append(r.parts, partSpec{field: p.Name, path: p.FileName, contentType: p.ContentType})
						left = append(left, fmt.Sprintf("file %s was recorded without its content; put it next to the collection", p.FileName))
						continue
					}
					r.parts = append(r.parts, partSpec{field: p.Name, value: b.field(p.Name, p.Value).value, contentType: p.ContentType})
				}
				r.dropHeader("Content-Type")
			default:
				t := pd.Text
				r.raw = &t
			}
		}
		if e.Response.Status >= 100 && e.Response.Status <= 599 {
			r.expect = mapping()
			add(r.expect, "status", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(e.Response.Status)})
		}
		b.addStep(r.node(), r.name, nil, left)
	}
	if len(b.steps) == 0 {
		return nil, fmt.Errorf("import har: no request left to import (%d static assets skipped)", skipped)
	}
	header := ""
	if skipped > 0 {
		header = fmt.Sprintf("%d static asset requests were skipped", skipped)
		b.note("", header)
	}
	yml, err := b.build(header)
	if err != nil {
		return nil, fmt.Errorf("import har: %w", err)
	}
	return &Import{Files: []File{{Name: fileName(name), Data: yml}}, Notes: b.notes}, nil
}
