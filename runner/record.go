package runner

import (
	"strings"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/mask"
)

// Exchange is one recorded request, with its secrets named
// (exchange.Recorded), and the response it got, masked.
type Exchange struct {
	// Step is the name of the step that sent the request.
	Step     string             `json:"step"`
	Request  exchange.Recorded  `json:"request"`
	Response *exchange.Response `json:"response,omitempty"`
}

// rawExchange is a step's exchange before masking.
type rawExchange struct {
	auth     string // the step's auth profile
	request  *exchange.Request
	response *exchange.Response
}

// recorder keeps the unmasked exchange of each step until the step is
// final, then makes its recording, with every secret known by then: for
// StepResult.Exchange (Retention.Exchanges) and for Result.Exchanges
// (Retention.Record). Included runs share their run's recorder.
type recorder struct {
	mask                 *mask.Masker
	exchanges, recording bool
	raw                  map[*StepResult]*rawExchange
	recordings           []*Exchange
}

// newRecorder returns the recorder of a run that keeps what r says: nil,
// which records nothing, when r keeps no exchange.
func newRecorder(r Retention, m *mask.Masker) *recorder {
	if !r.Exchanges && !r.Record {
		return nil
	}
	return &recorder{mask: m, exchanges: r.Exchanges, recording: r.Record, raw: map[*StepResult]*rawExchange{}}
}

// keep remembers the unmasked exchange of sr, before it is masked and
// cut, until sr is final.
func (rec *recorder) keep(sr *StepResult) {
	if rec == nil || sr.Request == nil || sr.Request.Header == nil {
		return
	}
	rec.raw[sr] = &rawExchange{auth: authProfile(sr.Step), request: sr.Request.Clone(), response: sr.Response.Clone()}
}

// record makes the recording of sr's exchange once sr is final.
func (rec *recorder) record(sr *StepResult) {
	if rec == nil {
		return
	}
	raw, ok := rec.raw[sr]
	if !ok {
		return
	}
	delete(rec.raw, sr)
	ex := rec.recorded(sr.Name, raw)
	if rec.exchanges {
		sr.Exchange = ex
	}
	if rec.recording {
		rec.recordings = append(rec.recordings, ex)
	}
}

// made returns the recordings made so far.
func (rec *recorder) made() []*Exchange {
	if rec == nil {
		return nil
	}
	return rec.recordings
}

// recorded is the recording of one exchange: the request with the named
// secrets as placeholders and the rest masked, the response masked.
func (rc *recorder) recorded(step string, raw *rawExchange) *Exchange {
	masked := false
	hide := func(s string) string {
		out, m := rc.mask.Placeholders(s)
		masked = masked || m
		return out
	}
	req := raw.request
	rec := exchange.Recorded{Request: exchange.Request{Method: req.Method, URL: hide(req.URL), BodySize: req.BodySize}, Auth: raw.auth}
	for _, f := range req.Header {
		v := f.Value
		switch {
		case raw.auth != "" && strings.EqualFold(f.Name, "Authorization") && strings.HasPrefix(v, "Bearer "):
			v = "Bearer " + exchange.AuthPlaceholder(raw.auth)
		case strings.EqualFold(f.Name, "Authorization") && exchange.BasicCredentials(v) != "":
			rec.BasicAuth = hide(exchange.BasicCredentials(v))
			v = "Basic " + exchange.BasicPlaceholder
		default:
			v = hide(v)
			if mask.Sensitive(f.Name) && !strings.Contains(v, "{{") && !strings.Contains(v, Mask) {
				// A credential written in the collection: never kept.
				v, masked = rc.mask.Header(f.Name, v), true
			}
		}
		rec.Header = append(rec.Header, exchange.Field{Name: f.Name, Value: v})
	}
	if req.Body != nil {
		rec.Body = []byte(hide(string(req.Body)))
	}
	for _, p := range req.Parts {
		p.Header = maskHeader(rc.mask, p.Header)
		p.Value, p.Filename, p.File = hide(p.Value), hide(p.Filename), hide(p.File)
		rec.Parts = append(rec.Parts, p)
	}
	for _, c := range req.Computed {
		rec.Computed = append(rec.Computed, exchange.Computed{Value: hide(c.Value), From: c.From})
	}
	rec.NoteSecrets()
	rec.Masked = masked
	ex := &Exchange{Step: step, Request: rec}
	if r := raw.response; r != nil {
		ex.Response = r.Clone()
		ex.Response.Header = maskHeader(rc.mask, r.Header)
		ex.Response.Body = rc.mask.Bytes(r.Body)
	}
	return ex
}

// authProfile is the auth profile of a step, or "".
func authProfile(s *collections.Step) string {
	if s == nil {
		return ""
	}
	return s.Auth
}
