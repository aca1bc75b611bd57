package auth

import (
	"net/http"
	"sync"
)

// InstanceHeader names, in a server's answers, the instance of the server
// that answers: callsheet's sandbox sends it, new each time it starts
// without its state. A token issued by one instance means nothing to
// another, so a Source that finds its cached refresh token refused by
// another instance gets a new token by the profile's grant, quietly,
// instead of failing.
const InstanceHeader = "Sandbox-Instance"

// instanceClient returns a copy of c whose requests note, in *seen, the
// instance the last answer named (InstanceHeader), if any.
func instanceClient(c *http.Client, seen *string) *http.Client {
	copied := *c
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	copied.Transport = &instanceTransport{next: next, seen: seen}
	return &copied
}

// instanceTransport notes the InstanceHeader of answers.
type instanceTransport struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen *string
}

func (t *instanceTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if resp != nil {
		if id := resp.Header.Get(InstanceHeader); id != "" {
			t.mu.Lock()
			*t.seen = id
			t.mu.Unlock()
		}
	}
	return resp, err
}
