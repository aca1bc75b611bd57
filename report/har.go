package report

import (
	"fmt"
	"os"
	"time"

	"github.com/callsheet/callsheet/convert"
	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/runner"
	"github.com/callsheet/callsheet/session"
)

// HAR writes a session's exchanges as HAR 1.2 at its end (convert.ExportHAR;
// masked, bodies cut as results keep them). It is a session.Consumer.
type HAR struct {
	path, version string
	items         []convert.HARItem
}

// NewHAR returns the HAR file at path of a session, naming callsheet
// version as its creator.
func NewHAR(path, version string) *HAR { return &HAR{path: path, version: version} }

// Needs asks for every step with its bodies.
func (h *HAR) Needs() runner.Needs { return runner.Needs{Bodies: true, Steps: true, Passed: true} }

// Start returns the HAR's part of u: the exchanges of its result.
func (h *HAR) Start(*session.Unit) session.Run { return session.ResultFunc(h.add) }

// add keeps the requests res sent, and its WebSocket messages, in order. A step's start is the run's
// start plus the durations of the steps before it.
func (h *HAR) add(res *runner.Result) {
	start := res.Start
	sockets := map[string]int{} // the item of each WebSocket URL
	for _, s := range res.Steps {
		begin := start
		start = start.Add(s.Duration)
		if begin.IsZero() {
			begin = time.Unix(0, 0)
		}
		if m := s.Message; m != nil && (m.Protocol == "ws" || m.Protocol == "wss") {
			at := begin
			if m.Action == exchange.ActionReceive {
				at = start // a receive's message came at its step's end
			}
			h.addMessage(sockets, res.Name, at, m)
			continue
		}
		if s.Request == nil || s.Response == nil {
			continue
		}
		h.items = append(h.items, convert.HARItem{
			Exchange: exchange.Exchange{Start: begin, Request: s.Request, Response: s.Response},
			Comment:  res.Name + ": " + s.Name,
		})
	}
}

// addMessage adds m, a WebSocket message of the result named name, to the
// item of its URL, made at its first message: a connection's messages
// share one entry.
func (h *HAR) addMessage(sockets map[string]int, name string, at time.Time, m *exchange.Message) {
	i, ok := sockets[m.URL]
	if !ok {
		i = len(h.items)
		sockets[m.URL] = i
		h.items = append(h.items, convert.HARItem{Exchange: exchange.Exchange{Start: at}, Comment: name + ": WebSocket " + m.URL})
	}
	h.items[i].Messages = append(h.items[i].Messages, convert.HARMessage{Time: at, Message: m})
}

// End writes the file (0600).
func (h *HAR) End() error {
	data, err := convert.ExportHAR(h.items, h.version)
	if err != nil {
		return err
	}
	if err := os.WriteFile(h.path, data, 0o600); err != nil {
		return fmt.Errorf("write HAR: %w", err)
	}
	return nil
}
