package runner

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/callsheet/callsheet/auth"
	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/exchange"
)

// Exec is a run whose requests are built and whose checks are evaluated
// outside the runner, such as the steps of an Arazzo workflow: the caller
// decides what runs next, and the run sends each request and shapes each
// result as a collection's run does. Requests go out through the run's
// sender (its cookie jar, timeouts, body and redirect limits, the token of
// a step's auth profile with the retry after a 401 invalid_token), and
// every result is masked, cut to the body limit, recorded and delivered
// through Options.OnStep and Options.OnFinal. An Exec lives for one call
// of Runner.Exec and is not safe for concurrent use.
type Exec struct {
	rn       *run
	captured map[string]bool
}

// Exec runs body as one run of c, whose steps name and place the results
// body reports (their Auth names the auth profile of their requests, c.Auth
// declares the profiles) and whose Secrets, with opts.Secrets, name the
// secret variables. opts.Vars are the run's variables, as in Run. Results
// body finishes are final once body returns: they are masked again then
// with every secret learned since, so a token received late is masked in
// every earlier step. The error body returns is the run's Result.Err.
// Exec never returns nil.
func (r *Runner) Exec(ctx context.Context, c *collections.Collection, opts Options, body func(ctx context.Context, x *Exec) error) *Result {
	ctx, cancel := withMaxTime(ctx, opts.MaxTime)
	defer cancel()
	rn := newRun(r.Client, c, opts)
	res := &Result{Name: c.Name, File: c.File, Start: rn.now()}
	err := rn.initScope()
	rn.out = newDelivery(c, rn.secretNames, opts, rn.mask, rn.rec) // no step begins: each is held until body returns
	x := &Exec{rn: rn, captured: map[string]bool{}}
	if err == nil {
		err = body(ctx, x)
	}
	res.Err = rn.mask.Err(err)
	rn.out.deliver()
	res.Steps, res.Exchanges = rn.out.done, rn.rec.made()
	if !opts.NoState {
		res.State = x.state()
	}
	res.Dropped, res.Unseen = rn.out.counts()
	res.Duration = rn.now().Sub(res.Start)
	return res
}

// Secret registers v, the value of the secret variable or value name, with
// the run's masker: it is masked wherever it appears, and a recording
// holds its placeholder {{secret:name}}. A value already named keeps its
// first name.
func (x *Exec) Secret(name string, v any) {
	x.rn.secretNames[name] = true
	addNamed(x.rn.mask, name, v)
}

// IsSecret reports whether v's text is a secret the run knows: a secret
// variable's value, a token an auth profile or a token response gave.
func (x *Exec) IsSecret(v any) bool {
	switch v.(type) {
	case nil, map[string]any, []any:
		return false
	}
	return x.rn.mask.IsSecret(eval.Stringify(v))
}

// Capture stores v as the captured value name, for the run's State; secret
// values are registered as Secret does.
func (x *Exec) Capture(name string, v any, secret bool) {
	x.rn.scope.Set(name, normalizeInt(v))
	x.captured[name] = true
	if secret {
		x.Secret(name, v)
	}
}

// Send sends req, the request of sr (whose Step names it and its auth
// profile), as it is, with callsheet's User-Agent when it has none, and the token of the step's auth profile in
// Authorization, sent again once with a new token after a 401
// invalid_token. It records the request and the response in sr and
// returns the response, whole and unmasked, for the caller's checks; an
// error means none was received. Finish sr afterwards.
func (x *Exec) Send(ctx context.Context, sr *StepResult, req *exchange.Request) (*exchange.Response, error) {
	sd := x.rn.send
	if !req.Header.Has("User-Agent") {
		req.Header.Add("User-Agent", exchange.DefaultUserAgent)
	}
	sr.Request = req
	var profile string
	if sr.Step != nil {
		profile = sr.Step.Auth
	}
	tok, err := sd.attachToken(ctx, profile, 0, req)
	if err != nil {
		return nil, err
	}
	if err := sd.checkInsecure(req); err != nil {
		return nil, err
	}
	addCredentials(sd.mask, req.Header)
	ctx, cancel := withTimeout(ctx, sd.timeout(0))
	defer cancel()
	subj, err := sd.exchange(ctx, sd.follow, req, sr)
	if err == nil && tok != nil && subj.status == http.StatusUnauthorized && invalidToken(subj.header) {
		_, err = sd.refreshed(ctx, profile, sd.follow, req, tok, subj, sr)
	}
	if err != nil {
		sr.Response = nil
		return nil, err
	}
	return sr.Response, nil
}

// CheckMessage refuses a message to a plain ws:// or kafka:// URL on a
// host that is not loopback when it carries a secret the run knows (in
// the URL, a header or the payload), as Send refuses such a request over
// plain http://, unless Options.AllowInsecureHTTP.
func (x *Exec) CheckMessage(rawURL string, header exchange.Header, payload []byte) error {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok || (!strings.EqualFold(scheme, "ws") && !strings.EqualFold(scheme, "kafka")) {
		return nil
	}
	sd := x.rn.send
	if auth.CheckInsecureHTTP("http://"+rest, sd.allowInsecure) == nil || !sd.carriesSecret(&exchange.Request{URL: rawURL, Header: header, Body: payload}) {
		return nil
	}
	host, _, _ := strings.Cut(rest, "/")
	if _, h, found := strings.Cut(host, "@"); found {
		host = h
	}
	return fmt.Errorf("refusing to send a secret over plain %s:// to %s: use wss:// (or a broker on loopback), or pass --allow-insecure-http", strings.ToLower(scheme), host)
}

// Finish ends sr, a result whose Name, Pos, Step (never nil), Outcome,
// Checks, Duration and Err the caller set (Err unmasked, the cause of an Errored
// step): it keeps its exchange for the recording, cuts and masks its
// bodies, masks the rest, wraps the error of an Errored step in a
// StepError and reports it through Options.OnStep. The result is
// delivered through Options.OnFinal when the run ends.
func (x *Exec) Finish(sr *StepResult) {
	rn := x.rn
	d := sr.Duration
	rn.finish(sr, rn.now().Add(-d))
	sr.Duration = d
	if sr.Err != nil && sr.Outcome == Errored {
		rn.errored(sr, sr.Err)
	} else {
		sr.Err = rn.mask.Err(sr.Err)
	}
	rn.emit(sr)
}

// state is the run's State: the variables, and the values Capture stored
// as captures.
func (x *Exec) state() *State {
	st := &State{Vars: map[string]any{}, Captures: map[string]any{}, Secret: map[string]bool{}}
	for _, name := range x.rn.scope.Names() {
		v, _ := x.rn.scope.Get(name)
		if x.captured[name] {
			st.Captures[name] = v
		} else {
			st.Vars[name] = v
		}
		if x.rn.secretNames[name] {
			st.Secret[name] = true
		}
	}
	return st
}
