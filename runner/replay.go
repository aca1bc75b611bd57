package runner

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/callsheet/callsheet/eval"
	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/mask"
)

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
		texts[k] = eval.Stringify(v)
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

// ReplayExchange replays ex.Request as Replay does and masks the response
// like the recording: a value standing where the recorded response shows
// Mask (a token a replayed login answers with, new each time) is a secret
// too, even when secrets does not hold it.
func (r *Runner) ReplayExchange(ctx context.Context, ex *Exchange, secrets map[string]any, timeout time.Duration) (*exchange.Response, error) {
	return r.replay(ctx, &ex.Request, ex.Response, secrets, timeout)
}

// maskLikeRecording registers with mask the parts of a new response (header
// and body, unmasked) that sit where the recorded response rec was masked.
// A masked string is matched against the new one with each Mask as a
// wildcard; when the text around the mask changed too, the whole new value
// is taken as secret, so that nothing masked once shows now.
func maskLikeRecording(m *mask.Masker, rec *exchange.Response, header exchange.Header, body []byte) {
	if rec == nil {
		return
	}
	seen := map[string]int{} // how many fields of each name so far
	for _, f := range rec.Header {
		i := seen[strings.ToLower(f.Name)]
		seen[strings.ToLower(f.Name)]++
		if cur := header.Values(f.Name); i < len(cur) {
			maskLike(m, f.Value, cur[i])
		}
	}
	if !bytes.Contains(rec.Body, []byte(Mask)) {
		return
	}
	old, err1 := decodeDiffJSON(rec.Body)
	cur, err2 := decodeDiffJSON(body)
	if err1 != nil || err2 != nil {
		maskLike(m, string(rec.Body), string(body))
		return
	}
	maskJSONLike(m, old, cur)
}

// maskJSONLike walks two JSON documents side by side and masks, in cur,
// the values whose counterpart in old is a string holding Mask.
func maskJSONLike(m *mask.Masker, old, cur any) {
	switch o := old.(type) {
	case map[string]any:
		if n, ok := cur.(map[string]any); ok {
			for k, ov := range o {
				if nv, ok := n[k]; ok {
					maskJSONLike(m, ov, nv)
				}
			}
		}
	case []any:
		if n, ok := cur.([]any); ok {
			for i := range min(len(o), len(n)) {
				maskJSONLike(m, o[i], n[i])
			}
		}
	case string:
		switch c := cur.(type) {
		case nil:
		case map[string]any, []any:
			// A mask in the recording, an object or array now: its
			// text however it is spaced, so every value in it.
			if strings.Contains(o, Mask) {
				m.Add(eval.Stringify(c))
				maskLeaves(m, c)
			}
		default:
			maskLike(m, o, eval.Stringify(c))
		}
	}
}

// maskLeaves registers every string and number inside the JSON value v.
func maskLeaves(m *mask.Masker, v any) {
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			maskLeaves(m, e)
		}
	case []any:
		for _, e := range x {
			maskLeaves(m, e)
		}
	case string:
		m.Add(x)
	case nil, bool:
	default:
		m.Add(eval.Stringify(x))
	}
}

// maskLike registers the parts of cur that match the Masks of the masked
// text old; all of cur when it does not match old at all.
func maskLike(m *mask.Masker, old, cur string) {
	if !strings.Contains(old, Mask) || cur == old {
		return
	}
	parts := strings.Split(old, Mask)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	re, err := regexp.Compile(`^(?s:` + strings.Join(parts, "(.+?)") + `)$`)
	if err != nil {
		m.Add(cur)
		return
	}
	found := re.FindStringSubmatch(cur)
	if found == nil {
		m.Add(cur)
		return
	}
	for _, s := range found[1:] {
		if s != Mask {
			m.Add(s)
		}
	}
}
