package convert

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Exchange is one request and its response, as a run recorded them
// (already masked). Bodies may be cut; BodySize and Size are the full
// sizes.
type Exchange struct {
	Start      time.Time
	Method     string
	URL        string
	Header     http.Header
	Body       []byte
	BodySize   int64
	Status     int
	Proto      string
	RespHeader http.Header
	RespBody   []byte
	Size       int64
	Duration   time.Duration
	// BodyCut and RespBodyCut say the runner kept only the start of a
	// body (masking may also shorten a body, which is not a cut).
	BodyCut, RespBodyCut bool
	// Comment is written into the entry (the step's name).
	Comment string
}

// ExportHAR encodes exchanges as a HAR 1.2 document, which browsers' dev
// tools open. Cut bodies are noted in the content's comment.
func ExportHAR(exchanges []Exchange, version string) ([]byte, error) {
	h := HAR{Log: HARLog{Version: "1.2", Creator: HARCreator{Name: "callsheet", Version: version}, Entries: []HAREntry{}}}
	for _, x := range exchanges {
		e := HAREntry{StartedDateTime: x.Start.UTC(), Time: ms(x.Duration), Comment: x.Comment}
		e.Timings = HARTimings{Send: 0, Wait: ms(x.Duration), Receive: 0}
		e.Request = HARRequest{
			Method: x.Method, URL: x.URL, HTTPVersion: "HTTP/1.1",
			Cookies: []HARPair{}, Headers: pairs(x.Header), QueryString: []HARPair{},
			HeadersSize: -1, BodySize: x.BodySize,
		}
		if u, err := url.Parse(x.URL); err == nil {
			for _, kv := range strings.Split(u.RawQuery, "&") {
				if kv == "" {
					continue
				}
				k, v, _ := strings.Cut(kv, "=")
				k, _ = url.QueryUnescape(k)
				v, _ = url.QueryUnescape(v)
				e.Request.QueryString = append(e.Request.QueryString, HARPair{k, v})
			}
		}
		if x.BodySize > 0 {
			e.Request.PostData = &HARPost{MimeType: x.Header.Get("Content-Type"), Text: text(x.Body)}
			if x.BodyCut {
				e.Request.PostData.Comment = cutNote(len(x.Body), x.BodySize)
			}
		}
		proto := x.Proto
		if proto == "" {
			proto = "HTTP/1.1"
		}
		e.Response = HARResponse{
			Status: x.Status, StatusText: http.StatusText(x.Status), HTTPVersion: proto,
			Cookies: []HARPair{}, Headers: pairs(x.RespHeader), RedirectURL: x.RespHeader.Get("Location"),
			HeadersSize: -1, BodySize: x.Size,
			Content: HARContent{Size: x.Size, MimeType: x.RespHeader.Get("Content-Type"), Text: text(x.RespBody)},
		}
		if x.RespBodyCut {
			e.Response.Content.Comment = cutNote(len(x.RespBody), x.Size)
		}
		h.Log.Entries = append(h.Log.Entries, e)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(h); err != nil {
		return nil, fmt.Errorf("export har: %w", err)
	}
	return buf.Bytes(), nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func cutNote(kept int, size int64) string {
	return fmt.Sprintf("truncated: only the first %d bytes of %d are kept (masked)", kept, size)
}

// text returns a body as text, or a note for binary content.
func text(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return fmt.Sprintf("<%d bytes binary>", len(b))
}

// pairs lists headers sorted by name.
func pairs(h http.Header) []HARPair {
	out := []HARPair{}
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			out = append(out, HARPair{k, v})
		}
	}
	return out
}
