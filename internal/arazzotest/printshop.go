package arazzotest

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"

	"github.com/coder/websocket"
)

// PrintShop is a WebSocket API that the AsyncAPI steps of the conformance
// tests send print jobs to and receive job statuses from. A job is a JSON
// object {"ref": R, "pages": N, …}; the shop answers it on the same
// connection with a status of another job first, then with R's:
// {"job": {"ref": R}, "state": "printed" or "rejected" (more than 100
// pages), "sheets": N, "echo": the job as received}. A job whose ref ends
// in "-drop-once" is ignored the first time it arrives. It is safe for
// concurrent use.
type PrintShop struct {
	mu      sync.Mutex
	jobs    []string
	dropped map[string]bool
	conns   int
}

// NewPrintShop returns a print shop with no jobs.
func NewPrintShop() *PrintShop {
	return &PrintShop{dropped: map[string]bool{}}
}

// Jobs are the jobs received, as sent, in order.
func (p *PrintShop) Jobs() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.jobs...)
}

// Conns is the number of connections accepted.
func (p *PrintShop) Conns() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.conns
}

// ServeHTTP accepts a WebSocket connection and answers its jobs.
func (p *PrintShop) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer c.CloseNow()
	p.mu.Lock()
	p.conns++
	p.mu.Unlock()
	for {
		_, data, err := c.Read(r.Context())
		if err != nil {
			return
		}
		for _, out := range p.answer(data) {
			if c.Write(r.Context(), websocket.MessageText, out) != nil {
				return
			}
		}
	}
}

// answer is what the shop sends back for one job.
func (p *PrintShop) answer(data []byte) [][]byte {
	var job struct {
		Ref   string `json:"ref"`
		Pages int    `json:"pages"`
	}
	err := json.Unmarshal(data, &job)
	p.mu.Lock()
	p.jobs = append(p.jobs, string(data))
	drop := err == nil && strings.HasSuffix(job.Ref, "-drop-once") && !p.dropped[job.Ref]
	if drop {
		p.dropped[job.Ref] = true
	}
	p.mu.Unlock()
	if drop {
		return nil
	}
	state := "printed"
	if job.Pages > 100 {
		state = "rejected"
	}
	other, _ := json.Marshal(map[string]any{"job": map[string]any{"ref": "someone-else"}, "state": "printed", "sheets": 1})
	mine, _ := json.Marshal(map[string]any{"job": map[string]any{"ref": job.Ref}, "state": state, "sheets": job.Pages, "echo": json.RawMessage(validJSON(data))})
	return [][]byte{other, mine}
}

// validJSON is data when it is JSON, else null.
func validJSON(data []byte) []byte {
	if json.Valid(data) {
		return data
	}
	return []byte("null")
}
