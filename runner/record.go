package runner

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

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

// keep remembers the unmasked exchange of sr, before finish masks and cuts
// it, until sr is final: its recording is made then (record).
func (rn *run) keep(sr *StepResult) {
	if rn.raw == nil || sr.Request == nil || sr.Request.Header == nil {
		return
	}
	rn.raw[sr] = &rawExchange{auth: authProfile(sr.Step), request: sr.Request.Clone(), response: sr.Response.Clone()}
}

// record makes the recording of sr's exchange once sr is final, with every
// secret known by then: it goes to sr.Exchange (Options.Exchanges) and to
// the run's recordings (Options.Record).
func (rn *run) record(sr *StepResult) {
	raw, ok := rn.raw[sr]
	if !ok {
		return
	}
	delete(rn.raw, sr)
	ex := rn.recorded(sr.Name, raw)
	if rn.opts.Exchanges {
		sr.Exchange = ex
	}
	if rn.opts.Record {
		*rn.recordings = append(*rn.recordings, ex)
	}
}

// recorded is the recording of one exchange: the request with the named
// secrets as placeholders and the rest masked, the response masked.
func (rn *run) recorded(step string, raw *rawExchange) *Exchange {
	masked := false
	hide := func(s string) string {
		out, m := rn.mask.Placeholders(s)
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
				v, masked = rn.mask.Header(f.Name, v), true
			}
		}
		rec.Header = append(rec.Header, exchange.Field{Name: f.Name, Value: v})
	}
	if req.Body != nil {
		rec.Body = []byte(hide(string(req.Body)))
	}
	for _, p := range req.Parts {
		p.Header = maskHeader(rn.mask, p.Header)
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
		ex.Response.Header = maskHeader(rn.mask, r.Header)
		ex.Response.Body = rn.mask.Bytes(r.Body)
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

// Replay sends a recorded request again exactly as it was sent (no
// templating), with the secrets' values put back, and returns the response
// masked with those secrets. timeout bounds the exchange (0 means 30s);
// redirects are followed, limited and stripped of secrets as in a run.
func (r *Runner) Replay(ctx context.Context, req *exchange.Recorded, secrets map[string]any, timeout time.Duration) (*exchange.Response, error) {
	return r.replay(ctx, req, nil, secrets, timeout)
}

// replay is Replay, masking the response like the recorded response rec
// (see ReplayExchange) when rec is not nil.
func (r *Runner) replay(ctx context.Context, rec *exchange.Recorded, recResp *exchange.Response, secrets map[string]any, timeout time.Duration) (*exchange.Response, error) {
	texts := make(map[string]string, len(secrets))
	for k, v := range secrets {
		texts[k] = collections.Stringify(v)
	}
	req, err := rec.Restore(texts)
	if err != nil {
		return nil, err
	}
	m := mask.New()
	for _, v := range secrets {
		addValue(m, v)
	}
	addCredentials(m, req.Header)
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	ctx, cancel := withTimeout(ctx, timeout)
	defer cancel()
	client := http.DefaultClient
	if r.Client != nil {
		client = r.Client
	}
	// Redirects are refused and stripped of secrets as in a run.
	follow := *client
	if follow.CheckRedirect == nil {
		follow.CheckRedirect = checkRedirect(DefaultMaxRedirects)
	}
	follow.CheckRedirect = redirectPolicy(m, follow.CheckRedirect)
	resp, _, err := sendRequest(ctx, &follow, req, DefaultMaxBody, time.Now) // as a run sends it
	if err != nil {
		return nil, m.Err(fmt.Errorf("%s %s: %w", req.Method, req.URL, err))
	}
	maskLikeRecording(m, recResp, resp.Header, resp.Body)
	resp.Header = maskHeader(m, resp.Header)
	resp.Body = m.Bytes(resp.Body)
	return resp, nil
}
