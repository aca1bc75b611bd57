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
		// WebSocketMessages are the messages of a WebSocket entry, as
		// Chrome writes them.
		WebSocketMessages []HARWebSocketMessage `json:"_webSocketMessages,omitempty"`
	}
	// HARWebSocketMessage is one message sent or received on a WebSocket:
	// Type is send or receive, Time in seconds since the Unix epoch,
	// Opcode 1 for text and 2 for binary (Data in base64 then).
	HARWebSocketMessage struct {
		Type   string  `json:"type"`
		Time   float64 `json:"time"`
		Opcode int     `json:"opcode"`
		Data   string  `json:"data"`
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

// HAROptions choose what ImportHAR keeps.
type HAROptions struct {
	// KeepStatic keeps static assets (scripts, styles, images, fonts,
	// media) and CORS preflight requests.
	KeepStatic bool
	// KeepBrowserHeaders keeps the headers a browser adds by itself
	// (sec-*, Accept-Encoding, a browser User-Agent…). Pseudo-headers and
	// the fields the HTTP client writes (Host, Content-Length, Connection)
	// are never kept.
	KeepBrowserHeaders bool
}

// clientHeaders are written by the HTTP client itself; a step never sets
// them.
var clientHeaders = map[string]bool{"host": true, "connection": true, "content-length": true, "keep-alive": true, "proxy-connection": true, "te": true, "transfer-encoding": true}

// browserHeaders are fields a browser adds to every request by itself; a
// page cannot set them.
var browserHeaders = map[string]bool{
	"accept-encoding": true, "accept-language": true, "upgrade-insecure-requests": true, "priority": true, "dnt": true,
}

// automaticHeader reports whether the header name: value was added by the
// browser rather than by the page: pseudo-headers, sec-*, Accept-Encoding
// and the like, a browser's own User-Agent, and the no-cache fields the
// developer tools add when the cache is disabled. Origin, Referer, Accept,
// Cookie and every other field are kept: servers read them.
func automaticHeader(name, value string) bool {
	lk := strings.ToLower(name)
	switch {
	case strings.HasPrefix(lk, "sec-"), browserHeaders[lk]:
		return true
	case lk == "user-agent":
		return strings.HasPrefix(value, "Mozilla/")
	case lk == "pragma", lk == "cache-control":
		return value == "no-cache" || value == "max-age=0"
	}
	return false
}

// isPreflight reports whether an entry is a browser's CORS preflight.
func isPreflight(e HAREntry) bool {
	if !strings.EqualFold(e.Request.Method, "OPTIONS") {
		return false
	}
	for _, h := range e.Request.Headers {
		if strings.EqualFold(h.Name, "Access-Control-Request-Method") {
			return true
		}
	}
	return false
}

// isWebSocket reports whether an entry is a WebSocket connection.
func isWebSocket(e HAREntry) bool {
	u := strings.ToLower(e.Request.URL)
	if strings.HasPrefix(u, "ws://") || strings.HasPrefix(u, "wss://") || e.ResourceType == "websocket" {
		return true
	}
	for _, h := range e.Request.Headers {
		if strings.EqualFold(h.Name, "Upgrade") && strings.EqualFold(h.Value, "websocket") {
			return true
		}
	}
	return false
}

// ImportHAR converts a browser recording into a collection, one step per
// entry, checking the recorded status. An entry whose response is a
// redirect is replayed without following it, so that its check holds.
// Static assets and CORS preflights are skipped unless opts.KeepStatic;
// WebSocket entries are always skipped, with a note. The headers the
// browser adds by itself are dropped unless opts.KeepBrowserHeaders, and
// credentials move into secret variables.
func ImportHAR(name string, data []byte, opts HAROptions) (*Import, error) {
	var h HAR
	if err := json.Unmarshal(data, &h); err != nil {
		return nil, fmt.Errorf("import har: %w", err)
	}
	b := newBuilder(name)
	var skipped, preflights, sockets int
	for _, e := range h.Log.Entries {
		switch {
		case isWebSocket(e):
			sockets++
			continue
		case !opts.KeepStatic && isPreflight(e):
			preflights++
			continue
		case !opts.KeepStatic && isStatic(e):
			skipped++
			continue
		}
		b.harEntry(e, opts)
	}
	var header []string
	if skipped > 0 {
		header = append(header, fmt.Sprintf("%s skipped", count(skipped, "static asset request")))
	}
	if preflights > 0 {
		header = append(header, fmt.Sprintf("%s skipped (the HTTP client sends none)", count(preflights, "CORS preflight request")))
	}
	if sockets > 0 {
		header = append(header, fmt.Sprintf("%s skipped (callsheet sends HTTP requests only)", count(sockets, "WebSocket connection")))
	}
	if len(b.steps) == 0 {
		return nil, fmt.Errorf("import har: no request left to import (%s)", strings.Join(append(header, "nothing else"), "; "))
	}
	for _, l := range header {
		b.note("", l)
	}
	yml, err := b.build(strings.Join(header, "\n"))
	if err != nil {
		return nil, fmt.Errorf("import har: %w", err)
	}
	return &Import{Files: []File{{Name: fileName(name), Data: yml}}, Notes: b.notes}, nil
}

// harEntry adds the step of one entry.
func (b *builder) harEntry(e HAREntry, opts HAROptions) {
	method := strings.ToUpper(e.Request.Method)
	if !collections.IsMethod(method) {
		b.note("", fmt.Sprintf("%s %s: method not supported, skipped", method, e.Request.URL))
		return
	}
	base, query := splitQuery(e.Request.URL)
	r := &reqSpec{method: method, url: base}
	r.name = b.uniqueName(stepName(method, base))
	for _, q := range query {
		r.query = append(r.query, kv{q[0], str(q[1])})
	}
	b.harHeaders(r, e, opts)
	var left []string
	if pd := e.Request.PostData; pd != nil {
		left = b.harBody(r, pd)
	}
	if st := e.Response.Status; st >= 100 && st <= 599 {
		r.expect = mapping()
		add(r.expect, "status", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(st)})
		// A redirect is checked as recorded: the browser's next entry is
		// the request that followed it.
		r.noFollow = st >= 300 && st < 400
	}
	b.addStep(r.node(), r.name, nil, left)
}

// harHeaders sets r's headers from e's, without the pseudo-headers, those
// the client writes and, unless opts keeps them, those the browser adds.
func (b *builder) harHeaders(r *reqSpec, e HAREntry, opts HAROptions) {
	for _, hd := range e.Request.Headers {
		lk := strings.ToLower(hd.Name)
		if strings.HasPrefix(lk, ":") || clientHeaders[lk] || !opts.KeepBrowserHeaders && automaticHeader(hd.Name, hd.Value) {
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
}

// harBody sets r's body from the recorded pd: JSON, a form, multipart
// parts or the text as it is. It returns what the user must add by hand.
func (b *builder) harBody(r *reqSpec, pd *HARPost) []string {
	mt := strings.ToLower(pd.MimeType)
	switch {
	case strings.Contains(mt, "json"):
		if n, ok := exactJSON(pd.Text); ok {
			r.json = n
			r.dropHeader("Content-Type")
			return nil
		}
	case strings.HasPrefix(mt, "application/x-www-form-urlencoded"):
		if fields, ok := formFields(pd.Text); ok {
			r.form = b.fields(fields)
			r.dropHeader("Content-Type")
			return nil
		}
	case strings.HasPrefix(mt, "multipart/form-data"):
		left := b.harParts(r, pd)
		r.dropHeader("Content-Type")
		return left
	}
	t := pd.Text
	r.raw = &t
	return nil
}

// harParts sets r's multipart parts from pd's params, or from its text
// when it recorded none.
func (b *builder) harParts(r *reqSpec, pd *HARPost) []string {
	var left []string
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
	return left
}

// count writes n things: "1 request", "2 requests".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
