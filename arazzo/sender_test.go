package arazzo

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/internal/wiretest"
)

// TestHTTPSender checks that a request goes out as the engine built it:
// the method, the URL, each header field with its name as written and
// repeated fields in order, the body byte for byte.
func TestHTTPSender(t *testing.T) {
	srv := wiretest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Echo", r.Header.Get("x-trace"))
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	s := &HTTPSender{Client: &http.Client{Timeout: 30 * time.Second}}
	req := &Request{
		Method: "PUT",
		URL:    srv.URL + "/items/a%20b?q=1&q=2",
		Header: []Field{{"x-trace", "t1"}, {"X-Tag", "red"}, {"X-Tag", "blue"}, {"Content-Type", "application/json"}},
		Body:   []byte(`{"b": 1, "a": [1.50]}`),
	}
	resp, err := s.Send(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 202 || string(resp.Body) != `{"ok":true}` || resp.Header.Get("X-Echo") != "t1" {
		t.Errorf("response = %d %v %q", resp.StatusCode, resp.Header, resp.Body)
	}
	got := srv.Take()
	if len(got) != 1 {
		t.Fatalf("the server received %d requests, want 1", len(got))
	}
	r := got[0]
	if r.Line != "PUT /items/a%20b?q=1&q=2 HTTP/1.1" || string(r.Body) != string(req.Body) {
		t.Errorf("request line %q, body %q", r.Line, r.Body)
	}
	var fields []string
	for _, f := range r.Fields {
		if strings.HasPrefix(strings.ToLower(f[0]), "x-") {
			fields = append(fields, f[0]+": "+f[1])
		}
	}
	if want := []string{"X-Tag: red", "X-Tag: blue", "x-trace: t1"}; !slices.Equal(fields, want) {
		t.Errorf("fields = %q, want %q", fields, want)
	}
}

// TestHTTPSenderBodyLimit checks that a response body over MaxBody is an
// error, not a truncated body.
func TestHTTPSenderBodyLimit(t *testing.T) {
	srv := wiretest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(strings.Repeat("x", 11)))
	}))
	for _, tt := range []struct {
		limit int64
		err   string
	}{{11, ""}, {10, "body exceeds limit of 10 bytes"}} {
		s := &HTTPSender{Client: &http.Client{Timeout: 30 * time.Second}, MaxBody: tt.limit}
		resp, err := s.Send(context.Background(), &Request{Method: "GET", URL: srv.URL})
		switch {
		case tt.err == "" && (err != nil || len(resp.Body) != 11):
			t.Errorf("MaxBody %d: Send = %v, %v; want the 11 bytes", tt.limit, resp, err)
		case tt.err != "" && (err == nil || err.Error() != tt.err):
			t.Errorf("MaxBody %d: Send error = %v, want %q", tt.limit, err, tt.err)
		}
	}
}
