package runner

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/exchange"
)

// TestExec sends requests built outside the runner and checks what the
// results delivered through OnFinal hold.
func TestExec(t *testing.T) {
	const secret = "late-secret-4711"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") != exchange.DefaultUserAgent {
			w.WriteHeader(http.StatusBadRequest)
		}
		io.WriteString(w, `{"session":"`+secret+`"}`)
	}))
	t.Cleanup(srv.Close)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	c := &collections.Collection{Name: "flow", File: "flow.arazzo.yaml", Steps: []*collections.Step{{Name: "first"}, {Name: "second"}}}
	tests := []struct {
		name string
		// body runs the steps; check checks the results delivered.
		body  func(ctx context.Context, x *Exec) error
		check func(t *testing.T, res *Result, final []*StepResult)
	}{
		{
			name: "a secret learned later is masked in earlier steps",
			body: func(ctx context.Context, x *Exec) error {
				sr := &StepResult{Name: "first", Step: c.Steps[0]}
				resp, err := x.Send(ctx, sr, &exchange.Request{Method: "GET", URL: srv.URL + "/login"})
				if err != nil {
					return err
				}
				sr.Outcome = Passed
				x.Finish(sr)
				x.Capture("first.session", strings.Split(string(resp.Body), `"`)[3], true)
				return nil
			},
			check: func(t *testing.T, res *Result, final []*StepResult) {
				if len(final) != 1 || final[0].Response == nil || final[0].Response.Status != http.StatusOK {
					t.Fatalf("final = %+v, want the first step with its response", final)
				}
				if body := string(final[0].Response.Body); strings.Contains(body, secret) || !strings.Contains(body, Mask) {
					t.Errorf("response body = %s, want the secret masked", body)
				}
				if res.State.Captures["first.session"] != secret || !res.State.Secret["first.session"] {
					t.Errorf("state = %+v, want the secret capture", res.State)
				}
			},
		},
		{
			name: "a transport error errors the step, its URL masked",
			body: func(ctx context.Context, x *Exec) error {
				x.Secret("key", "query-secret-99")
				sr := &StepResult{Name: "second", Step: c.Steps[1]}
				_, err := x.Send(ctx, sr, &exchange.Request{Method: "GET", URL: closed.URL + "/x?key=query-secret-99"})
				if err == nil {
					return errors.New("no error from a closed server")
				}
				sr.Outcome, sr.Err = Errored, err
				x.Finish(sr)
				return nil
			},
			check: func(t *testing.T, res *Result, final []*StepResult) {
				var se *StepError
				if len(final) != 1 || final[0].Outcome != Errored || !errors.As(final[0].Err, &se) {
					t.Fatalf("final = %+v, want an errored step with a StepError", final)
				}
				if msg := final[0].Err.Error(); strings.Contains(msg, "query-secret-99") || !strings.Contains(msg, `step "second"`) || !strings.Contains(msg, "key="+Mask) {
					t.Errorf("error = %s, want the step named and the secret masked", msg)
				}
			},
		},
		{
			name: "a message's URL, headers and payload are masked, with secrets learned later",
			body: func(ctx context.Context, x *Exec) error {
				x.Secret("key", "msg-secret-31")
				sr := &StepResult{Name: "first", Step: c.Steps[0], Outcome: Passed, Message: &exchange.Message{
					Action: "receive", Protocol: "ws", URL: "ws://127.0.0.1:1/feed?key=msg-secret-31",
					Header: exchange.Header{{Name: "X-Key", Value: "msg-secret-31"}},
					Body:   []byte(`{"key":"msg-secret-31","token":"later-secret-32"}`), Size: 50,
				}}
				x.Finish(sr)
				x.Capture("first.token", "later-secret-32", true)
				return nil
			},
			check: func(t *testing.T, res *Result, final []*StepResult) {
				if len(final) != 1 || final[0].Message == nil {
					t.Fatalf("final = %+v, want the step with its message", final)
				}
				m := final[0].Message
				shown := m.URL + " " + m.Header[0].Value + " " + string(m.Body)
				if want := "ws://127.0.0.1:1/feed?key=*** *** {\"key\":\"***\",\"token\":\"***\"}"; shown != want {
					t.Errorf("message shows %s, want %s", shown, want)
				}
			},
		},
		{
			name: "the body's error is the result's, masked",
			body: func(ctx context.Context, x *Exec) error {
				x.Secret("key", "input-secret-77")
				return errors.New("inputs: input-secret-77 is too short")
			},
			check: func(t *testing.T, res *Result, final []*StepResult) {
				if res.Err == nil || strings.Contains(res.Err.Error(), "input-secret-77") {
					t.Errorf("Err = %v, want the error masked", res.Err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var final []*StepResult
			opts := Options{Limits: Limits{Timeout: 30 * time.Second}, OnFinal: func(sr *StepResult) { final = append(final, sr) }}
			opts.Need(Needs{Bodies: true, Steps: true, State: true})
			res := New(srv.Client()).Exec(t.Context(), c, opts, tt.body)
			tt.check(t, res, final)
		})
	}
}
