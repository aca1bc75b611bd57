package convert

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/callsheet/callsheet/exchange"
)

// HARItem is one request and its response, as a run keeps them (masked;
// bodies may be cut), with the comment written into its entry (the step's
// name).
//
// An item with Messages is a WebSocket connection instead, with the
// messages sent and received on it in order: its entry is the handshake
// (GET, 101) with the messages as Chrome's _webSocketMessages.
type HARItem struct {
	exchange.Exchange
	Messages []HARMessage
	Comment  string
}

// HARMessage is a message sent or received on a WebSocket, at Time.
type HARMessage struct {
	Time time.Time
	*exchange.Message
}

// ExportHAR encodes exchanges as a HAR 1.2 document, which browsers' dev
// tools open. Cut bodies are noted in the content's comment.
func ExportHAR(items []HARItem, version string) ([]byte, error) {
	h := HAR{Log: HARLog{Version: "1.2", Creator: HARCreator{Name: "callsheet", Version: version}, Entries: []HAREntry{}}}
	for _, it := range items {
		h.Log.Entries = append(h.Log.Entries, harEntry(it))
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

// harEntry is the HAR entry of one item.
func harEntry(it HARItem) HAREntry {
	if len(it.Messages) > 0 {
		return webSocketEntry(it)
	}
	x, resp := it.Request, it.Response
	e := HAREntry{StartedDateTime: it.Start.UTC(), Time: ms(resp.Duration), Comment: it.Comment}
	e.Timings = HARTimings{Send: 0, Wait: ms(resp.Duration), Receive: 0}
	e.Request = HARRequest{
		Method: x.Method, URL: x.URL, HTTPVersion: "HTTP/1.1",
		Cookies: []HARPair{}, Headers: pairs(x.Header), QueryString: []HARPair{},
		HeadersSize: -1, BodySize: x.BodySize,
	}
	e.Request.QueryString = queryPairs(x.URL)
	if x.BodySize > 0 {
		e.Request.PostData = &HARPost{MimeType: x.Header.Get("Content-Type"), Text: text(x.Body)}
		if x.Truncated {
			e.Request.PostData.Comment = cutNote(len(x.Body), x.BodySize)
		}
	}
	proto := resp.Proto
	if proto == "" {
		proto = "HTTP/1.1"
	}
	e.Response = HARResponse{
		Status: resp.Status, StatusText: http.StatusText(resp.Status), HTTPVersion: proto,
		Cookies: []HARPair{}, Headers: pairs(resp.Header), RedirectURL: resp.Header.Get("Location"),
		HeadersSize: -1, BodySize: resp.Size,
		Content: HARContent{Size: resp.Size, MimeType: resp.Header.Get("Content-Type"), Text: text(resp.Body)},
	}
	if resp.Truncated {
		e.Response.Content.Comment = cutNote(len(resp.Body), resp.Size)
	}
	return e
}

// webSocketEntry is the HAR entry of a WebSocket connection: its
// handshake, and its messages as Chrome writes them.
func webSocketEntry(it HARItem) HAREntry {
	first := it.Messages[0]
	e := HAREntry{StartedDateTime: it.Start.UTC(), Comment: it.Comment, ResourceType: "websocket"}
	e.Request = HARRequest{Method: http.MethodGet, URL: first.URL, HTTPVersion: "HTTP/1.1",
		Cookies: []HARPair{}, Headers: []HARPair{}, QueryString: queryPairs(first.URL), HeadersSize: -1}
	e.Response = HARResponse{Status: http.StatusSwitchingProtocols, StatusText: http.StatusText(http.StatusSwitchingProtocols),
		HTTPVersion: "HTTP/1.1", Cookies: []HARPair{}, Headers: []HARPair{}, HeadersSize: -1}
	for _, m := range it.Messages {
		wm := HARWebSocketMessage{Type: m.Action, Time: float64(m.Time.UnixMicro()) / 1e6, Opcode: 1, Data: string(m.Body)}
		if !utf8.Valid(m.Body) {
			wm.Opcode, wm.Data = 2, base64.StdEncoding.EncodeToString(m.Body)
		}
		e.WebSocketMessages = append(e.WebSocketMessages, wm)
	}
	return e
}

// queryPairs lists the query parameters of a URL, decoded, in order.
func queryPairs(rawURL string) []HARPair {
	out := []HARPair{}
	u, err := url.Parse(rawURL)
	if err != nil {
		return out
	}
	for _, kv := range strings.Split(u.RawQuery, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		k, _ = url.QueryUnescape(k)
		v, _ = url.QueryUnescape(v)
		out = append(out, HARPair{k, v})
	}
	return out
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

// pairs lists header fields in order.
func pairs(h exchange.Header) []HARPair {
	out := make([]HARPair, 0, len(h))
	for _, f := range h {
		out = append(out, HARPair{f.Name, f.Value})
	}
	return out
}
