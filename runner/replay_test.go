package runner

import (
	"testing"

	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/mask"
)

func TestMaskLikeRecording(t *testing.T) {
	tests := []struct {
		name   string
		rec    *exchange.Response
		header exchange.Header
		body   string
		want   string // the new body, masked
		wantH  string // the new X-Session, masked
	}{
		{
			name: "json value masked where the recording was",
			rec:  &exchange.Response{Body: []byte(`{"token":"***","user":7}`)},
			body: `{"token":"new-token-2","user":7}`,
			want: `{"token":"***","user":7}`,
		},
		{
			name: "nested and partial masks",
			rec:  &exchange.Response{Body: []byte(`{"a":[{"auth":"Bearer ***"}],"b":"keep"}`)},
			body: `{"a":[{"auth":"Bearer zzz-999"}],"b":"changed"}`,
			want: `{"a":[{"auth":"Bearer ***"}],"b":"changed"}`,
		},
		{
			name: "text around the mask changed: the whole value",
			rec:  &exchange.Response{Body: []byte(`{"token":"v1:***"}`)},
			body: `{"token":"v2:secret-value"}`,
			want: `{"token":"***"}`,
		},
		{
			name: "non-JSON body",
			rec:  &exchange.Response{Body: []byte(`token=***&user=7`)},
			body: `token=plain-secret&user=7`,
			want: `token=***&user=7`,
		},
		{
			name:   "header",
			rec:    &exchange.Response{Header: exchange.Header{{Name: "X-Session", Value: "id=***; v=1"}}},
			header: exchange.Header{{Name: "X-Session", Value: "id=sess-123456; v=1"}},
			body:   `{}`,
			want:   `{}`,
			wantH:  "id=***; v=1",
		},
		{
			name: "nothing masked in the recording",
			rec:  &exchange.Response{Body: []byte(`{"token":"old"}`)},
			body: `{"token":"new-value"}`,
			want: `{"token":"new-value"}`,
		},
		{
			name: "no recording",
			body: `{"token":"new-value"}`,
			want: `{"token":"new-value"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mask.New()
			maskLikeRecording(m, tt.rec, tt.header, []byte(tt.body))
			if got := m.String(tt.body); got != tt.want {
				t.Errorf("masked body = %s, want %s", got, tt.want)
			}
			if tt.wantH != "" {
				if got := maskHeader(m, tt.header).Get("X-Session"); got != tt.wantH {
					t.Errorf("masked X-Session = %q, want %q", got, tt.wantH)
				}
			}
		})
	}
}
