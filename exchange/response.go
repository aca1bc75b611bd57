package exchange

import (
	"bytes"
	"time"
)

// Response is an HTTP response as received. In a result it is masked, and
// its body may hold only the start of what was received.
type Response struct {
	Status int    `json:"status"`
	Proto  string `json:"proto,omitempty"`
	Header Header `json:"header"`
	// Body is the body, decompressed.
	Body []byte `json:"body,omitempty"`
	// Size is the whole body's size in bytes, after decompression.
	Size int64 `json:"size,omitempty"`
	// Truncated says Body holds only the start of the body, as for
	// Request.
	Truncated bool `json:"truncated,omitempty"`
	// Duration runs from sending the request to reading the whole body.
	Duration time.Duration `json:"duration"`
}

// Clone returns a deep copy of r.
func (r *Response) Clone() *Response {
	if r == nil {
		return nil
	}
	c := *r
	c.Header = r.Header.Clone()
	c.Body = bytes.Clone(r.Body)
	return &c
}

// Exchange is a request and the response it got (nil when none came).
type Exchange struct {
	Start    time.Time
	Request  *Request
	Response *Response
}
