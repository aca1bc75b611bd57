package exchange

// Message is a message an AsyncAPI step of an Arazzo workflow sent or
// received on a channel. In a result it is masked, and its body may hold
// only the start of the payload.
type Message struct {
	// Action is send or receive.
	Action string `json:"action"`
	// Protocol is the server's protocol (ws, wss, …); URL the server's URL
	// followed by the channel's address.
	Protocol string `json:"protocol"`
	URL      string `json:"url"`
	// Header lists the message's headers in order; nil when it has none.
	Header Header `json:"header,omitempty"`
	// Body is the payload; nil when there is none.
	Body []byte `json:"body,omitempty"`
	// Size is the whole payload's size in bytes.
	Size int64 `json:"size,omitempty"`
	// Truncated says Body holds only the start of the payload.
	Truncated bool `json:"truncated,omitempty"`
}
