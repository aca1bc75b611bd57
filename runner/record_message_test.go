package runner

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/mask"
)

// TestRecordedMessage records messages with secrets in each of their
// parts: what replay sends or waits on keeps the named secrets as
// placeholders and gives them back with Restore; a credential with no
// name makes the message masked; what a receive got is masked.
func TestRecordedMessage(t *testing.T) {
	const key, tok = "key-SECRET-77", "tok-SECRET-88"
	tests := []struct {
		name       string
		in         exchange.Message
		want       exchange.RecordedMessage
		wantMasked bool
	}{
		{
			name: "send",
			in: exchange.Message{Action: "send", Protocol: "kafka", URL: "kafka://127.0.0.1:1/jobs?k=" + key, Timeout: time.Second,
				Header: exchange.Header{{Name: "X-Key", Value: key}, {Name: "jobId", Value: "7"}}, Body: []byte(`{"key":"` + key + `","t":"` + tok + `"}`)},
			want: exchange.RecordedMessage{Action: "send", Protocol: "kafka", URL: "kafka://127.0.0.1:1/jobs?k={{secret:key}}", Timeout: "1s",
				Header: exchange.Header{{Name: "X-Key", Value: "{{secret:key}}"}, {Name: "jobId", Value: "7"}},
				Body:   []byte(`{"key":"{{secret:key}}","t":"{{secret:tok}}"}`), Secrets: []string{"key", "tok"}},
		},
		{
			name: "receive",
			in: exchange.Message{Action: "receive", Protocol: "ws", URL: "ws://127.0.0.1:1/" + tok, Timeout: 20 * time.Second,
				Correlation: &exchange.Correlation{Location: "$message.payload#/key", Value: key}, Body: []byte(`{"key":"` + key + `"}`)},
			want: exchange.RecordedMessage{Action: "receive", Protocol: "ws", URL: "ws://127.0.0.1:1/{{secret:tok}}", Timeout: "20s",
				Correlation: &exchange.Correlation{Location: "$message.payload#/key", Value: "{{secret:key}}"},
				Body:        []byte(`{"key":"***"}`), Secrets: []string{"key", "tok"}},
		},
		{
			name: "credential written in the document",
			in:   exchange.Message{Action: "send", Protocol: "kafka", URL: "kafka://127.0.0.1:1/jobs", Header: exchange.Header{{Name: "Authorization", Value: "Bearer written"}}},
			want: exchange.RecordedMessage{Action: "send", Protocol: "kafka", URL: "kafka://127.0.0.1:1/jobs",
				Header: exchange.Header{{Name: "Authorization", Value: "Bearer ***"}}, Masked: true},
			wantMasked: true,
		},
	}
	m := mask.New()
	addNamed(m, "key", key)
	addNamed(m, "tok", tok)
	rec := &recorder{mask: m}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rec.recordedMessage(&tt.in)
			if g, w := describeMessage(got), describeMessage(&tt.want); g != w {
				t.Fatalf("recorded\n%s\nwant\n%s", g, w)
			}
			restored, err := got.Restore(map[string]string{"key": key, "tok": tok})
			if tt.wantMasked {
				if !errors.Is(err, exchange.ErrMaskedMessage) {
					t.Errorf("Restore() error = %v, want ErrMaskedMessage", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if restored.URL != tt.in.URL || restored.Timeout != tt.in.Timeout || (tt.in.Correlation != nil && restored.Correlation.Value != key) {
				t.Errorf("Restore() = %+v, want the URL, timeout and correlation recorded", restored)
			}
			if tt.in.Action == "send" && (string(restored.Body) != string(tt.in.Body) || !slices.Equal(restored.Header, tt.in.Header)) {
				t.Errorf("Restore() sends %s %v, want %s %v", restored.Body, restored.Header, tt.in.Body, tt.in.Header)
			}
		})
	}
}

// describeMessage is a recorded message as text, for comparisons.
func describeMessage(m *exchange.RecordedMessage) string {
	var b strings.Builder
	b.WriteString(m.Action + " " + m.Protocol + " " + m.URL + " timeout=" + m.Timeout + "\n")
	for _, f := range m.Header {
		b.WriteString(f.Name + ": " + f.Value + "\n")
	}
	if c := m.Correlation; c != nil {
		b.WriteString("correlation " + c.Location + " = " + c.Value + "\n")
	}
	b.WriteString(string(m.Body) + "\nsecrets " + strings.Join(m.Secrets, ",") + "\n")
	if m.Masked {
		b.WriteString("masked\n")
	}
	return b.String()
}
