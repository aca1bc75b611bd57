package arazzo

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/internal/arazzotest"
	"github.com/callsheet/callsheet/messaging"
)

// hubMessenger is a Messenger over a messaging.Hub.
type hubMessenger struct{ hub *messaging.Hub }

func (m hubMessenger) Publish(ctx context.Context, msg *Message) error {
	out := &messaging.Message{URL: msg.URL, Payload: msg.Payload}
	for _, f := range msg.Header {
		out.Header = append(out.Header, messaging.Field{Name: f.Name, Value: f.Value})
	}
	return m.hub.Publish(ctx, out)
}

func (m hubMessenger) Receive(ctx context.Context, sub *Subscription) (*Message, error) {
	conv := func(in *messaging.Message) *Message {
		return &Message{Action: ActionReceive, Protocol: sub.Protocol, URL: in.URL, Channel: sub.Channel, Payload: in.Payload, ContentType: sub.ContentType}
	}
	got, err := m.hub.Receive(ctx, sub.URL, func(in *messaging.Message) bool { return sub.Match(conv(in)) })
	if err != nil {
		return nil, err
	}
	return conv(got), nil
}

// messageFlow runs the workflows of testdata/run/messages.arazzo.yaml
// against a loopback print shop.
type messageFlow struct {
	t     *testing.T
	shop  *arazzotest.PrintShop
	d     *Description
	mu    sync.Mutex
	steps []*StepResult
}

func newMessageFlow(t *testing.T) *messageFlow {
	t.Helper()
	shop := arazzotest.NewPrintShop()
	srv := httptest.NewServer(shop)
	t.Cleanup(srv.Close)
	doc, err := Load(filepath.Join("testdata", "run", "messages.arazzo.yaml"))
	if err != nil {
		t.Fatal(collections.RenderErrors(err, nil))
	}
	src := Sources{Servers: map[string]string{"shop": "ws" + strings.TrimPrefix(srv.URL, "http")}, Protocols: messaging.Protocols()}
	d, err := Resolve(context.Background(), doc, src)
	if err != nil {
		t.Fatal(err)
	}
	return &messageFlow{t: t, shop: shop, d: d}
}

func (f *messageFlow) run(workflow string, inputs map[string]any) *WorkflowResult {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second) // hang guard
	defer cancel()
	hub := &messaging.Hub{}
	defer hub.Close()
	e := &Engine{Messenger: hubMessenger{hub}, OnStep: f.step, Sender: &HTTPSender{},
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }}
	res, err := e.Run(ctx, f.d, workflow, inputs)
	if err != nil {
		f.t.Fatal(err)
	}
	return res
}

func (f *messageFlow) step(sr *StepResult) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.steps = append(f.steps, sr)
}

func TestMessageSendThenReceiveWithCorrelation(t *testing.T) {
	f := newMessageFlow(t)
	res := f.run("print", map[string]any{"ref": "poster-7", "pages": 12})
	if !res.Passed {
		t.Fatalf("print failed: %+v", res.Failed)
	}
	if got := res.Outputs["sheets"]; got != json.Number("12") {
		t.Errorf("output sheets = %#v, want 12 from the status of poster-7", got)
	}
	jobs := f.shop.Jobs()
	if len(jobs) != 1 || jobs[0] != `{"ref":"poster-7","pages":12,"note":"job poster-7"}` {
		t.Errorf("the shop received %q, want the payload with its replacement", jobs)
	}
	sent, received := f.steps[0].Message, f.steps[1].Message
	if sent == nil || sent.Action != ActionSend || sent.Protocol != "ws" || sent.ContentType != "application/json" {
		t.Errorf("sent message %+v", sent)
	}
	// The shop answers with another job's status first: the receive takes
	// the one whose payload carries the correlationId.
	if received == nil || !strings.Contains(string(received.Payload), `"ref":"poster-7"`) || f.steps[1].Outputs["ref"] != "poster-7" {
		t.Errorf("received %+v, outputs %v", received, f.steps[1].Outputs)
	}
	if sent.URL != received.URL {
		t.Errorf("sent to %s, received from %s: want one channel", sent.URL, received.URL)
	}
	if n := f.shop.Conns(); n != 1 {
		t.Errorf("%d connections, want one shared by both steps", n)
	}
}

func TestMessageCriteriaOnPayload(t *testing.T) {
	f := newMessageFlow(t)
	res := f.run("print", map[string]any{"ref": "atlas", "pages": 400})
	if res.Passed || res.Failed == nil || res.Failed.Step != "status" {
		t.Fatalf("print of 400 pages = %+v, want status to fail on the rejected state", res)
	}
	crs := res.Failed.Criteria
	if len(crs) != 2 || crs[0].Passed || crs[0].Actual != "rejected" || !crs[1].Passed {
		t.Errorf("criteria %+v, want state == 'printed' failed with rejected, the JSONPath passed", crs)
	}
	if res.Failed.Outputs != nil {
		t.Errorf("a failed step has outputs %v", res.Failed.Outputs)
	}
}

func TestMessageTimeoutRetried(t *testing.T) {
	f := newMessageFlow(t)
	res := f.run("resubmit", nil)
	if !res.Passed {
		t.Fatalf("resubmit failed: %+v", res.Failed)
	}
	var trail []string
	for _, sr := range f.steps {
		s := sr.Step
		if sr.Err != nil {
			s += " err"
		}
		if sr.Action != nil {
			s += " " + sr.Action.Type
		}
		trail = append(trail, s)
	}
	// The first job is dropped: the receive times out, its failure action
	// sends the job again and retries, and the second try gets the status.
	if got := strings.Join(trail, ", "); got != "submit, status err retry, submit, status" {
		t.Errorf("steps: %s", got)
	}
	if !errors.Is(f.steps[1].Err, context.DeadlineExceeded) || !strings.Contains(f.steps[1].Err.Error(), "no matching message within 5s") {
		t.Errorf("the timed-out receive says %v", f.steps[1].Err)
	}
	if got := f.steps[3].Outputs["sheets"]; got != json.Number("3") {
		t.Errorf("sheets = %#v", got)
	}
	if n := len(f.shop.Jobs()); n != 2 {
		t.Errorf("the shop received %d jobs, want 2", n)
	}
}

func TestMessageNoneInTime(t *testing.T) {
	f := newMessageFlow(t)
	res := f.run("never-answered", nil)
	if res.Passed || res.Failed == nil || !errors.Is(res.Failed.Err, context.DeadlineExceeded) {
		t.Errorf("never-answered = %+v, want a failure at the step's timeout", res)
	}
	if res.Failed != nil && res.Failed.Message != nil {
		t.Errorf("a receive that timed out has a message %+v", res.Failed.Message)
	}
}

func TestMessageWithoutMessenger(t *testing.T) {
	f := newMessageFlow(t)
	e := &Engine{Sender: &HTTPSender{}}
	res, err := e.Run(context.Background(), f.d, "never-answered", nil)
	if err != nil || res.Passed || res.Failed == nil || !errors.Is(res.Failed.Err, ErrUnsupported) {
		t.Errorf("Run without a Messenger = %+v, %v; want ErrUnsupported", res, err)
	}
}
