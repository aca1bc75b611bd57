package runner

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestMaskBeforeCut checks that a long secret is masked before failure
// texts are shortened: in an assert trace (values cut at 40 characters) and
// in the body snippet of a capture or query that found nothing (cut at 120),
// no part of the secret may remain.
func TestMaskBeforeCut(t *testing.T) {
	secret := strings.Repeat("0123456789abcdef", 4)
	body := fmt.Sprintf(`{"pad": %q, "token": %q}`, strings.Repeat("p", 80), secret)
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, body)
	}))
	tests := []struct {
		name, step string
	}{
		{"assert trace", "expect:\n      assert:\n        - res.json.token == 'x'\n        - tok == 'x'"},
		{"capture snippet", "capture:\n      nope: {json: nope}"},
		{"xpath capture snippet", "capture:\n      nope: {xpath: \"//nope\"}"},
		{"query check snippet", "expect:\n      css: {\"#nope\": {exists: true}}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fmt.Sprintf("steps:\n  - GET: %[1]s\n    capture:\n      tok: {json: token, secret: true}\n  - GET: %[1]s\n    %[2]s\n", srv.URL, tt.step)
			res := runYAML(t, src, nil)
			wantOutcomes(t, res, "passed,failed")
			var texts []string
			if err := res.Steps[1].Err; err != nil {
				texts = append(texts, err.Error())
			}
			for _, c := range res.Steps[1].Checks {
				texts = append(texts, c.Message)
				texts = append(texts, c.Details...)
			}
			all := strings.Join(texts, "\n")
			if !strings.Contains(all, "***") {
				t.Errorf("failure texts =\n%s\nwant the masked secret ***", all)
			}
			if strings.Contains(all, secret[:12]) || strings.Contains(all, "456789abcdef0123") {
				t.Errorf("failure texts =\n%s\nhold part of the secret", all)
			}
		})
	}
}
