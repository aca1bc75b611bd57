package messaging

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// hangGuard bounds each test's waits; it is never what a test checks.
const hangGuard = 30 * time.Second

// server is a loopback WebSocket server that answers each text message
// with the replies reply gives, and counts its connections.
func server(t *testing.T, reply func(msg string) []string) (url string, conns *atomic.Int32) {
	t.Helper()
	conns = &atomic.Int32{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		conns.Add(1)
		for {
			_, data, err := c.Read(r.Context())
			if err != nil {
				return
			}
			for _, out := range reply(string(data)) {
				if c.Write(r.Context(), websocket.MessageText, []byte(out)) != nil {
					return
				}
			}
		}
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/orders", conns
}

func guarded(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	t.Cleanup(cancel)
	return ctx
}

func contains(s string) func(*Message) bool {
	return func(m *Message) bool { return strings.Contains(string(m.Payload), s) }
}

func TestPublishThenReceive(t *testing.T) {
	u, conns := server(t, func(msg string) []string { return []string{"other " + msg, "reply " + msg} })
	h := &Hub{}
	defer h.Close()
	ctx := guarded(t)
	if err := h.Publish(ctx, &Message{URL: u, Payload: []byte("one")}); err != nil {
		t.Fatal(err)
	}
	if err := h.Publish(ctx, &Message{URL: u, Payload: []byte("two")}); err != nil {
		t.Fatal(err)
	}
	// Replies to both arrived (or arrive) before any receive: they wait in
	// the queue, and the one not taken stays for a later receive.
	for _, want := range []string{"reply two", "reply one", "other one", "other two"} {
		m, err := h.Receive(ctx, u, contains(want))
		if err != nil {
			t.Fatalf("receive %q: %v", want, err)
		}
		if string(m.Payload) != want || m.URL != u {
			t.Errorf("received %q from %s, want %q", m.Payload, m.URL, want)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections, want the one shared by sends and receives", n)
	}
}

func TestReceiveEndsWithContext(t *testing.T) {
	u, _ := server(t, func(string) []string { return []string{"not it"} })
	h := &Hub{}
	defer h.Close()
	if err := h.Publish(guarded(t), &Message{URL: u, Payload: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(guarded(t))
	got := make(chan error, 1)
	go func() {
		_, err := h.Receive(ctx, u, contains("never"))
		got <- err
	}()
	// The message that does not match arrives first; the receive keeps
	// waiting until its context ends.
	if _, err := h.Receive(guarded(t), u, contains("not it")); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-got; !errors.Is(err, context.Canceled) {
		t.Errorf("receive ended with %v, want context.Canceled", err)
	}
}

func TestRefused(t *testing.T) {
	u, conns := server(t, func(string) []string { return nil })
	h := &Hub{}
	defer h.Close()
	tests := []struct {
		name string
		m    *Message
		want string
	}{
		{"headers", &Message{URL: u, Header: []Field{{"requestId", "7"}}}, "WebSocket messages carry no headers"},
		{"protocol", &Message{URL: "mqtt://127.0.0.1:1/x"}, `protocol "mqtt" is not one of ws, wss, kafka`},
		{"nothing listening", &Message{URL: "ws://user:hunter2@127.0.0.1:1/x"}, "connect to ws://user:xxxxx@127.0.0.1:1/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := h.Publish(guarded(t), tt.m)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
	if n := conns.Load(); n != 0 {
		t.Errorf("%d connections opened for refused messages", n)
	}
}

func TestConnectionOutlivesHandshakeContext(t *testing.T) {
	u, _ := server(t, func(msg string) []string { return []string{"re " + msg} })
	h := &Hub{}
	defer h.Close()
	ctx, cancel := context.WithCancel(guarded(t))
	if err := h.Publish(ctx, &Message{URL: u, Payload: []byte("a")}); err != nil {
		t.Fatal(err)
	}
	cancel() // the first step's context ends; the connection stays
	if err := h.Publish(guarded(t), &Message{URL: u, Payload: []byte("b")}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Receive(guarded(t), u, contains("re b")); err != nil {
		t.Fatal(err)
	}
}

func TestClosed(t *testing.T) {
	u, _ := server(t, func(string) []string { return nil })
	h := &Hub{}
	if err := h.Publish(guarded(t), &Message{URL: u, Payload: []byte("a")}); err != nil {
		t.Fatal(err)
	}
	if err := h.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	if err := h.Publish(guarded(t), &Message{URL: u}); err == nil {
		t.Error("a closed hub published")
	}
}
