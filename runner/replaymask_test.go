package runner

import (
	"net/http"
	"testing"
)

func TestMaskLikeRecording(t *testing.T) {
	tests := []struct {
		name   string
		rec    *RecordedResponse
		header http.Header
		body   string
		want   string // the new body, masked
		wantH  string // the new X-Session, masked
	}{
		{
			name: "json value masked where the recording was",
			rec:  &RecordedResponse{Body: []byte(`{"token":"***","user":7}`)},
			body: `{"token":"new-token-2","user":7}`,
			want: `{"token":"***","user":7}`,
		},
		{
			name: "nested and partial masks",
			rec:  &RecordedResponse{Body: []byte(`{"a":[{"auth":"Bearer ***"}],"b":"keep"}`)},
			body: `{"a":[{"auth":"Bearer zzz-999"}],"b":"changed"}`,
			want: `{"a":[{"auth":"Bearer ***"}],"b":"changed"}`,
		},
		{
			name: "text around the mask changed: the whole value",
			rec:  &RecordedResponse{Body: []byte(`{"token":"v1:***"}`)},
			body: `{"token":"v2:secret-value"}`,
			want: `{"token":"***"}`,
		},
		{
			name: "non-JSON body",
			rec:  &RecordedResponse{Body: []byte(`token=***&user=7`)},
			body: `token=plain-secret&user=7`,
			want: `token=***&user=7`,
		},
		{
			name:   "header",
			rec:    &RecordedResponse{Header: http.Header{"X-Session": {"id=***; v=1"}}},
			header: http.Header{"X-Session": {"id=sess-123456; v=1"}},
			body:   `{}`,
			want:   `{}`,
			wantH:  "id=***; v=1",
		},
		{
			name: "nothing masked in the recording",
			rec:  &RecordedResponse{Body: []byte(`{"token":"old"}`)},
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
			m := newMasker()
			maskLikeRecording(m, tt.rec, tt.header, []byte(tt.body))
			if got := m.text(tt.body); got != tt.want {
				t.Errorf("masked body = %s, want %s", got, tt.want)
			}
			if tt.wantH != "" {
				if got := m.header(tt.header).Get("X-Session"); got != tt.wantH {
					t.Errorf("masked X-Session = %q, want %q", got, tt.wantH)
				}
			}
		})
	}
}
