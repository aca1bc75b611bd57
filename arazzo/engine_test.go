package arazzo

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/internal/arazzotest"
)

func TestRunInputs(t *testing.T) {
	f := newFlow(t)
	d := f.load("inputs")
	res := f.run(d, "typed", map[string]any{
		"qty": "3", "code": 42, "address": `{"city": "Oslo"}`, "ignored": "not declared",
	})
	want := `{"qty":3,"code":"42","gift":false,"address":{"city":"Oslo"},"city":"Oslo","ratio":0.5}`
	if !res.Passed || res.Outputs != nil && res.Steps != 1 {
		t.Fatalf("typed failed: %+v", res)
	}
	if got := f.tr.b.String(); !strings.Contains(got, "> "+want+"\n") || !strings.Contains(got, "> X-Key: k-1\n") {
		t.Errorf("trace lacks the body %s and the default header:\n%s", want, got)
	}
	if w := d.Document.Workflow("typed"); !reflect.DeepEqual(w.Inputs.Secret, []string{"key"}) {
		t.Errorf("Secret = %v, want [key]", w.Inputs.Secret)
	}
	tests := []struct {
		inputs map[string]any
		want   []string
	}{
		{map[string]any{"code": "x"}, []string{"at /: missing property 'qty'"}},
		{map[string]any{"qty": "0", "code": "x"}, []string{"at /qty: minimum: got 0, want 1"}},
		{map[string]any{"qty": "many", "code": []any{"x"}}, []string{"at /code: got array, want string", "at /qty: got string, want integer"}},
	}
	for _, tt := range tests {
		_, err := f.engine.Run(context.Background(), d, "typed", tt.inputs)
		var ie *InputError
		if !errors.As(err, &ie) || !reflect.DeepEqual(ie.Violations, tt.want) {
			t.Errorf("Run(%v) error = %v, want violations %q", tt.inputs, err, tt.want)
		}
	}
	if n := len(f.lib.Requests()); n != 1 {
		t.Errorf("%d requests sent; invalid inputs must send none", n)
	}
}

func TestRunErrors(t *testing.T) {
	f := newFlow(t)
	d := f.load("inputs")
	if _, err := f.engine.Run(context.Background(), d, "typd", nil); err == nil || !strings.Contains(err.Error(), `no workflow "typd"`) || !strings.Contains(err.Error(), `did you mean "typed"?`) {
		t.Errorf("Run(typd) error = %v, want no workflow with a suggestion", err)
	}
	if _, err := (&Engine{}).Run(context.Background(), d, "typed", nil); err == nil {
		t.Error("Run without a Sender: no error")
	}
}

func TestRetryDelay(t *testing.T) {
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	r := &run{e: &Engine{Now: func() time.Time { return now }, MaxRetryDelay: time.Minute}}
	a := &Action{RetryAfter: 2 * time.Second}
	tests := []struct {
		header string
		want   time.Duration
	}{
		{"", 2 * time.Second},
		{"5", 5 * time.Second},
		{"0", 0},
		{"86400", time.Minute},
		{now.Add(30 * time.Second).Format(http.TimeFormat), 30 * time.Second},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0},
		{"soon", 2 * time.Second},
	}
	for _, tt := range tests {
		resp := &Response{Header: http.Header{}}
		if tt.header != "" {
			resp.Header.Set("Retry-After", tt.header)
		}
		if got := r.retryDelay(a, resp); got != tt.want {
			t.Errorf("retryDelay(Retry-After: %q) = %v, want %v", tt.header, got, tt.want)
		}
	}
	if got := r.retryDelay(a, nil); got != 2*time.Second {
		t.Errorf("retryDelay without a response = %v, want 2s", got)
	}
}

func TestRunCancelled(t *testing.T) {
	f := newFlow(t)
	f.engine.Sleep = nil // real waits, ended by the context
	f.lib.SetFaults(arazzotest.Faults{FlakyFails: 100})
	d := f.load("actions")
	ctx, cancel := context.WithCancel(context.Background())
	f.engine.OnStep = func(sr *StepResult) {
		if sr.Attempt == 1 {
			cancel() // while the engine waits to retry
		}
	}
	res, err := f.engine.Run(ctx, d, "retry-after", nil)
	if err != nil || res.Passed || res.Err == nil || !errors.Is(res.Err, context.Canceled) {
		t.Fatalf("Run = %+v, %v; want a failure wrapping context.Canceled", res, err)
	}
	if n := f.lib.Called("flaky:k2"); n != 1 {
		t.Errorf("flaky calls = %d, want 1", n)
	}
}
