package session

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/callsheet/callsheet/arazzo"
	"github.com/callsheet/callsheet/auth"
	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/messaging"
	"github.com/callsheet/callsheet/runner"
)

// Recording is a recorded run opened to be sent again, with the secret
// values its placeholders stand for.
type Recording struct {
	// Dir is the run's folder, Index its index.
	Dir       string
	Index     *RunIndex
	Exchanges []*runner.Exchange
	// secrets are the values of the placeholders; vars every saved value.
	secrets, vars map[string]any
}

// OpenRecording reads the recorded run RUN (a folder, or an ID in
// ./.callsheet/runs) and the secret values of its placeholders from the
// state file statePath ("" for .callsheet/state.json of the folder that
// holds the run).
func OpenRecording(run, statePath string) (*Recording, error) {
	dir, err := RunFolder(run)
	if err != nil {
		return nil, err
	}
	idx, exchanges, err := ReadRun(dir)
	if err != nil {
		return nil, err
	}
	if statePath == "" {
		// dir is <folder>/.callsheet/runs/<id>.
		statePath = filepath.Join(filepath.Dir(filepath.Dir(dir)), stateFileName)
	}
	sf, err := ReadState(statePath)
	if err != nil {
		return nil, err
	}
	rec := &Recording{Dir: dir, Index: idx, Exchanges: exchanges, secrets: map[string]any{}, vars: map[string]any{}}
	if st := sf.Collections[idx.File]; st != nil {
		for _, m := range []map[string]any{st.Vars, st.Captures} {
			for n, v := range m {
				rec.vars[n] = v
				if st.Secret[n] { // placeholders name secrets only
					rec.secrets[n] = v
				}
			}
		}
	}
	return rec, nil
}

// ReplayOptions say how to send a recording again.
type ReplayOptions struct {
	// Steps, when not empty, sends only the exchanges of these steps.
	Steps []string
	// Timeout bounds each request.
	Timeout time.Duration
	// Tokens opens the cache of the tokens of the auth profiles the
	// exchanges used, when one needs a token.
	Tokens func() (auth.Cache, error)
	// LookupEnv reads env.NAME when a profile is rendered.
	LookupEnv func(string) (string, bool)
}

// Replayed is one recorded exchange sent again.
type Replayed struct {
	// Exchange is the exchange as recorded.
	Exchange *runner.Exchange
	// TokenErr says why no token could be had for the exchange's auth
	// profile; the request is sent all the same.
	TokenErr error
	// Response is the response now; nil when Err says why none came.
	Response *exchange.Response
	Err      error
	// Diff is how Response, or the message a receive got, differs from
	// the recorded one; nil when none was recorded.
	Diff *runner.ResponseDiff
	// Message is the message sent or received now, masked, for a recorded
	// message; nil when Err says why none was.
	Message *exchange.Message
}

// Replay sends the exchanges again with client, byte for byte, in order,
// and calls each with every one as it comes back. It records the replay as
// a run beside the recording and returns its folder. Steps naming no
// exchange is an *InputError.
func (rec *Recording) Replay(ctx context.Context, client *http.Client, o ReplayOptions, each func(*Replayed)) (string, error) {
	r := runner.New(client)
	hub := &hubMessenger{hub: &messaging.Hub{Client: client}}
	defer hub.hub.Close()
	idx := rec.Index
	replay := &RunIndex{Time: time.Now().UTC(), Kind: "replay", Collection: idx.Collection, File: idx.File, Replayed: idx.ID, Passed: true}
	var sent []*runner.Exchange
	outcomes := map[string]string{}
	for _, ex := range rec.Exchanges {
		if len(o.Steps) > 0 && !slices.Contains(o.Steps, ex.Step) {
			continue
		}
		if ctx.Err() != nil {
			break
		}
		var rp *Replayed
		if ex.Message != nil {
			rp = rec.message(ctx, hub, ex)
		} else {
			rp = rec.send(ctx, r, client, o, ex)
		}
		each(rp)
		switch {
		case rp.Err != nil:
			replay.Passed = false
			outcomes[ex.Step] = runner.Errored.String()
			continue
		case rp.Diff == nil:
		case rp.Diff.Empty():
			outcomes[ex.Step] = "unchanged"
		default:
			outcomes[ex.Step] = "changed"
		}
		sent = append(sent, replayedExchange(rp))
	}
	if len(o.Steps) > 0 && len(sent) == 0 && replay.Passed {
		return "", &InputError{Err: fmt.Errorf("run %s has no exchange of step %s", idx.ID, quoteNames(o.Steps))}
	}
	return WriteRun(filepath.Dir(rec.Dir), replay, sent, outcomes)
}

// send sends one exchange again, with a token for its auth profile.
func (rec *Recording) send(ctx context.Context, r *runner.Runner, client *http.Client, o ReplayOptions, ex *runner.Exchange) *Replayed {
	rp := &Replayed{Exchange: ex}
	if p := ex.Request.Auth; p != "" && rec.secrets["auth:"+p] == nil {
		tok, err := rec.token(ctx, client, o, p)
		if err == nil {
			rec.secrets["auth:"+p] = tok
		}
		rp.TokenErr = err
	}
	rp.Response, rp.Err = r.ReplayExchange(ctx, ex, rec.secrets, o.Timeout)
	if rp.Err == nil && ex.Response != nil {
		rp.Diff = runner.DiffResponses(ex.Response, rp.Response)
	}
	return rp
}

// message sends a recorded message again, or waits for a message like
// the one a recorded receive got, through hub.
func (rec *Recording) message(ctx context.Context, hub runner.Messenger, ex *runner.Exchange) *Replayed {
	rp := &Replayed{Exchange: ex}
	rp.Message, rp.Err = runner.ReplayMessage(ctx, hub, ex.Message, rec.secrets, arazzo.DefaultReceiveTimeout)
	if rp.Err == nil && ex.Message.Action == exchange.ActionReceive {
		rp.Diff = runner.DiffMessages(ex.Message, rp.Message)
	}
	return rp
}

// replayedExchange is the recording of rp: the recorded request and the
// response now, or the recorded message with what a receive got now.
func replayedExchange(rp *Replayed) *runner.Exchange {
	ex := rp.Exchange
	if ex.Message == nil {
		return &runner.Exchange{Step: ex.Step, Request: ex.Request, Response: rp.Response}
	}
	m := *ex.Message
	if m.Action == exchange.ActionReceive {
		m.Header, m.Body = rp.Message.Header, rp.Message.Body
	}
	return &runner.Exchange{Step: ex.Step, Message: &m}
}

// token gets a token of the auth profile of the recorded collection: from
// the token cache while it is fresh, else refreshed or granted again. The
// profile is rendered with the saved vars.
func (rec *Recording) token(ctx context.Context, client *http.Client, o ReplayOptions, profile string) (string, error) {
	c, err := profilesOf(rec.Index.File, slices.Sorted(maps.Keys(rec.vars)))
	if err != nil {
		return "", fmt.Errorf("auth profile %q: %w", profile, err)
	}
	p, err := runner.ResolveProfile(c, profile, runner.Options{Vars: rec.vars, LookupEnv: o.LookupEnv})
	if err != nil {
		return "", fmt.Errorf("auth profile %q: %w", profile, err)
	}
	cache, err := o.Tokens()
	if err != nil {
		return "", err
	}
	src := &auth.Source{Profile: p, Cache: cache, Client: client}
	tok, err := src.Token(ctx)
	if err != nil {
		return "", fmt.Errorf("auth profile %q: %w", profile, err)
	}
	return tok.AccessToken, nil
}

// quoteNames quotes names and joins them with commas.
func quoteNames(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = strconv.Quote(n)
	}
	return strings.Join(quoted, ", ")
}
