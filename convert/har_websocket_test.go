package convert

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/callsheet/callsheet/exchange"
)

// TestExportHARWebSocket writes a WebSocket item as Chrome does: the
// handshake with status 101 and the messages in _webSocketMessages, text
// as it is (opcode 1) and binary in base64 (opcode 2); a HAR import skips
// the entry, as it skips Chrome's.
func TestExportHARWebSocket(t *testing.T) {
	at := time.Unix(1700000000, 250_000_000)
	item := HARItem{Exchange: exchange.Exchange{Start: at}, Comment: "print: WebSocket ws://127.0.0.1:1/jobs", Messages: []HARMessage{
		{Time: at, Message: &exchange.Message{Action: "send", URL: "ws://127.0.0.1:1/jobs?v=2", Body: []byte(`{"ref":"a"}`)}},
		{Time: at.Add(time.Second), Message: &exchange.Message{Action: "receive", URL: "ws://127.0.0.1:1/jobs?v=2", Body: []byte{0xff, 0x00}}},
	}}
	data, err := ExportHAR([]HARItem{item}, "test")
	if err != nil {
		t.Fatal(err)
	}
	var h HAR
	if err := json.Unmarshal(data, &h); err != nil {
		t.Fatal(err)
	}
	e := h.Log.Entries[0]
	if e.Request.Method != "GET" || e.Request.URL != "ws://127.0.0.1:1/jobs?v=2" || e.Response.Status != 101 || e.ResourceType != "websocket" {
		t.Errorf("entry = %s %s %d %q, want the handshake", e.Request.Method, e.Request.URL, e.Response.Status, e.ResourceType)
	}
	want := []HARWebSocketMessage{{"send", 1700000000.25, 1, `{"ref":"a"}`}, {"receive", 1700000001.25, 2, "/wA="}}
	if len(e.WebSocketMessages) != len(want) {
		t.Fatalf("messages = %+v, want %+v", e.WebSocketMessages, want)
	}
	for i, w := range want {
		if e.WebSocketMessages[i] != w {
			t.Errorf("message %d = %+v, want %+v", i, e.WebSocketMessages[i], w)
		}
	}
	if !isWebSocket(e) {
		t.Error("a HAR import would not skip the WebSocket entry")
	}
}
