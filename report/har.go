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
func (h *HAR) Needs() runner.Needs { return runner.Needs{Bodies: true, Steps: true} }

// Start returns the HAR's part of u: the exchanges of its result.
func (h *HAR) Start(*session.Unit) session.Run { return session.ResultFunc(h.add) }

// add keeps the requests res sent, in order. A step's start is the run's
// start plus the durations of the steps before it.
func (h *HAR) add(res *runner.Result) {
	start := res.Start
	for _, s := range res.Steps {
		begin := start
		start = start.Add(s.Duration)
		if s.Request == nil || s.Response == nil {
			continue
		}
		if begin.IsZero() {
			begin = time.Unix(0, 0)
		}
		h.items = append(h.items, convert.HARItem{
			Exchange: exchange.Exchange{Start: begin, Request: s.Request, Response: s.Response},
			Comment:  res.Name + ": " + s.Name,
		})
	}
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
