package runner

import (
	"testing"

	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/mask"
)

// TestMaskLikeRecordingShapes masks a replayed response like its
// recording where the two differ in shape: repeated headers, header
// names in another case, arrays of other lengths, values of other types,
// several masks in one value, and values the recording left alone.
func TestMaskLikeRecordingShapes(t *testing.T) {
	tests := []struct {
		name   string
		rec    *exchange.Response
		header exchange.Header
		body   string
		text   string // masked after the new response was seen
		want   string
	}{
		{
			name:   "the second of two headers of one name",
			rec:    &exchange.Response{Header: exchange.Header{{Name: "Set-Cookie", Value: "a=1"}, {Name: "set-cookie", Value: "s=***"}}},
			header: exchange.Header{{Name: "set-cookie", Value: "a=sess-aaaa"}, {Name: "Set-Cookie", Value: "s=sess-bbbb"}},
			text:   "sess-aaaa sess-bbbb",
			want:   "sess-aaaa ***",
		},
		{
			name:   "a header the new response lacks",
			rec:    &exchange.Response{Header: exchange.Header{{Name: "X-A", Value: "***"}, {Name: "X-A", Value: "***"}}},
			header: exchange.Header{{Name: "X-A", Value: "only-one"}},
			text:   "only-one",
			want:   "***",
		},
		{
			name: "arrays of other lengths",
			rec:  &exchange.Response{Body: []byte(`{"a":["***","***","***"],"b":["***"]}`)},
			body: `{"a":["tok-a1","tok-a2"],"b":["tok-b1","tok-b2"]}`,
			text: "tok-a1 tok-a2 tok-b1 tok-b2",
			want: "*** *** *** tok-b2",
		},
		{
			name: "a number where the recording had a mask",
			rec:  &exchange.Response{Body: []byte(`{"pin":"***","n":"***"}`)},
			body: `{"pin":987654,"n":null}`,
			text: "pin 987654",
			want: "pin ***",
		},
		{
			name: "an object where the recording had a string: its whole text",
			rec:  &exchange.Response{Body: []byte(`{"p":"x-***"}`)},
			body: `{"p":{"k":"nested-value"}}`,
			text: `{"p":{"k":"nested-value"}}`,
			want: `{"p":***}`,
		},
		{
			name: "an object where the recording had a string, spaced otherwise",
			rec:  &exchange.Response{Body: []byte(`{"p":"x-***"}`)},
			body: `{"p": {"k": "nested-value", "n": [12345]}}`,
			text: `{"p": {"k": "nested-value", "n": [12345]}}`,
			want: `{"p": {"k": "***", "n": [***]}}`,
		},
		{
			name: "two masks in one value",
			rec:  &exchange.Response{Body: []byte(`{"t":"***.***.sig"}`)},
			body: `{"t":"head-part.body-part.sig"}`,
			text: "head-part body-part sig",
			want: "*** *** sig",
		},
		{
			name: "a value that still reads as the mask",
			rec:  &exchange.Response{Body: []byte(`{"t":"id=***;v=***"}`)},
			body: `{"t":"id=***;v=value-2"}`,
			text: "id=***;v=value-2",
			want: "id=***;v=***",
		},
		{
			name: "a value unchanged",
			rec:  &exchange.Response{Body: []byte(`{"t":"***","u":"***"}`)},
			body: `{"t":"***","u":"new-u"}`,
			text: "*** new-u",
			want: "*** ***",
		},
		{
			name: "a body that is no longer JSON",
			rec:  &exchange.Response{Body: []byte(`{"t":"***"}`)},
			body: `t=plain-secret`,
			text: "t=plain-secret",
			want: "***",
		},
		{
			name: "a body that is not UTF-8, which no pattern can match: all of it",
			rec:  &exchange.Response{Body: []byte("\xff\xfe t=***")},
			body: "\xff\xfe t=binary-secret",
			text: "x \xff\xfe t=binary-secret",
			want: "x ***",
		},
		{
			name: "a header only: the body is left alone",
			rec:  &exchange.Response{Header: exchange.Header{{Name: "X-T", Value: "***"}}, Body: []byte(`{"t":"v"}`)},
			body: `{"t":"other"}`,
			text: `{"t":"other"}`,
			want: `{"t":"other"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mask.New()
			maskLikeRecording(m, tt.rec, tt.header, []byte(tt.body))
			if got := m.String(tt.text); got != tt.want {
				t.Errorf("String(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}
