package arazzo

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
)

// DefaultMaxBody is the largest response body an HTTPSender reads when
// its MaxBody is 0.
const DefaultMaxBody = 50 << 20

// HTTPSender is a Sender that sends requests with an *http.Client, as they
// are: the header fields in order, the body byte for byte. Redirects,
// cookies, TLS and timeouts are the client's. It is the plain sender of
// tests and tools; callsheet's runner has its own.
type HTTPSender struct {
	// Client sends the requests; nil is http.DefaultClient.
	Client *http.Client
	// MaxBody caps each response body in bytes; 0 means DefaultMaxBody.
	MaxBody int64
}

// Send sends req and reads the whole response.
func (s *HTTPSender) Send(ctx context.Context, req *Request) (*Response, error) {
	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	hr, err := http.NewRequestWithContext(ctx, req.Method, req.URL, body)
	if err != nil {
		return nil, err
	}
	for _, f := range req.Header {
		hr.Header[f.Name] = append(hr.Header[f.Name], f.Value)
	}
	client := s.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(hr)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	limit := s.MaxBody
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("body exceeds limit of %d bytes", limit)
	}
	return &Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: data}, nil
}
