package runner

import (
	"strings"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/mask"
)

// Exchange is one recorded request, with its secrets named
// (exchange.Recorded), and the response it got, masked.
//
// The message an AsyncAPI step sent or received is recorded as an
// Exchange too, in order with the requests: Message is set, and Request
// and Response are empty. A recording made before messages were recorded
// has none.
type Exchange struct {
	// Step is the name of the step that sent the request or the message.
	Step     string             `json:"step"`
	Request  exchange.Recorded  `json:"request,omitzero"`
	Response *exchange.Response `json:"response,omitempty"`
	// Message is the message of an AsyncAPI step, nil for a request.
	Message *exchange.RecordedMessage `json:"message,omitempty"`
}

// rawExchange is a step's exchange, or its message, before masking.
type rawExchange struct {
	auth     string // the step's auth profile
	request  *exchange.Request
	response *exchange.Response
	message  *exchange.Message
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
	switch {
	case rec == nil:
	case sr.Message != nil && rec.recording:
		rec.raw[sr] = &rawExchange{message: sr.Message.Clone()}
	case sr.Request == nil || sr.Request.Header == nil:
	default:
		rec.raw[sr] = &rawExchange{auth: authProfile(sr.Step), request: sr.Request.Clone(), response: sr.Response.Clone()}
	}
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
	if raw.message != nil {
		// A message has no request for the curl line: only recorded.
		rec.recordings = append(rec.recordings, &Exchange{Step: sr.Name, Message: rec.recordedMessage(raw.message)})
		return
	}
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

// recordedMessage is the recording of a message: what replay sends or
// waits on with the named secrets as placeholders and the rest masked, the
// message a receive got masked.
func (rc *recorder) recordedMessage(m *exchange.Message) *exchange.RecordedMessage {
	masked := false
	hide := func(s string) string {
		out, found := rc.mask.Placeholders(s)
		masked = masked || found
		return out
	}
	out := &exchange.RecordedMessage{Action: m.Action, Protocol: m.Protocol, URL: hide(m.URL), Channel: m.Channel, ContentType: m.ContentType}
	if m.Timeout > 0 {
		out.Timeout = m.Timeout.String()
	}
	if c := m.Correlation; c != nil {
		out.Correlation = &exchange.Correlation{Location: c.Location, Value: hide(c.Value)}
	}
	if m.Action != exchange.ActionSend {
		out.Header, out.Body = maskHeader(rc.mask, m.Header), rc.mask.Bytes(m.Body)
		out.Masked = masked
		out.NoteSecrets()
		return out
	}
	for _, f := range m.Header {
		v := hide(f.Value)
		if mask.Sensitive(f.Name) && !strings.Contains(v, "{{") && !strings.Contains(v, Mask) {
			// A credential written in the document: never kept.
			v, masked = rc.mask.Header(f.Name, v), true
		}
		out.Header = append(out.Header, exchange.Field{Name: f.Name, Value: v})
	}
	if m.Body != nil {
		out.Body = []byte(hide(string(m.Body)))
	}
	out.Masked = masked
	out.NoteSecrets()
	return out
}
