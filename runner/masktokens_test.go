package runner

import (
	"encoding/base64"
	"testing"

	"github.com/callsheet/callsheet/mask"
)

func TestMaskTokenResponse(t *testing.T) {
	tests := []struct {
		name string
		body string
		in   string // text to mask after the body was seen
		want string
	}{
		{"token response", `{"access_token":"acc-123","refresh_token":"ref-456","token_type":"bearer"}`,
			"a=acc-123 r=ref-456", "a=*** r=***"},
		{"id token", `{"id_token":"eyJ.x.y"}`, "eyJ.x.y", "***"},
		{"escaped JSON strings", `{"access_token":"tok_~~~~?\u003e","refresh_token":"k\u20acy/\u00e4+1 ?~"}`,
			"a=" + testToken + " r=" + base64.StdEncoding.EncodeToString([]byte(testAPIKey)) + " in" + testAPIKey + "word", "a=*** r=*** in***word"},
		{"nested members are not token responses", `{"data":{"access_token":"acc-123"}}`, "acc-123", "acc-123"},
		{"non-string values are ignored", `{"access_token":12345}`, "12345", "12345"},
		{"an array is not a token response", `[{"access_token":"acc-123"}]`, "acc-123", "acc-123"},
		{"invalid JSON is ignored", `{"access_token":"acc-123"`, "acc-123", "acc-123"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mask.New()
			addTokenResponse(m, []byte(tt.body))
			if got := m.String(tt.in); got != tt.want {
				t.Errorf("after addTokenResponse(%s): text(%q) = %q, want %q", tt.body, tt.in, got, tt.want)
			}
		})
	}
}
