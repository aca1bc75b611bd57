package runner

import (
	"strings"
	"testing"
)

// TestBodyTruncated checks that a result says when it keeps only the start
// of a body, and not when masking only made the kept body shorter than its
// size.
func TestBodyTruncated(t *testing.T) {
	const secret = "s3cr3t-token-value"
	tests := []struct {
		name          string
		body          string
		limit         int
		wantTruncated bool
	}{
		{"masked, whole", `{"token":"` + secret + `"}`, 1024, false},
		{"cut at the limit", strings.Repeat("x", 100), 10, true},
		{"exactly the limit", strings.Repeat("x", 10), 10, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := jsonServer(t, tt.body)
			src := "name: t\nsecrets: [token]\nvars:\n  token: " + secret + "\nsteps:\n  - name: get\n    POST: \"{{ base }}/x\"\n    body: '" + tt.body + "'\n"
			res := runColl(t, nil, parse(t, src, "base"), Options{Vars: map[string]any{"base": srv.URL}, Limits: Limits{BodyLimit: tt.limit}})
			s := res.Steps[0]
			if s.Request == nil || s.Response == nil {
				t.Fatalf("no request or response: %v", s.Err)
			}
			if s.Response.Truncated != tt.wantTruncated || s.Request.Truncated != tt.wantTruncated {
				t.Errorf("truncated: request %v, response %v; want %v (body %q of %d bytes)", s.Request.Truncated, s.Response.Truncated, tt.wantTruncated, s.Response.Body, s.Response.Size)
			}
			if strings.Contains(string(s.Response.Body), secret) {
				t.Errorf("response body shows the secret: %q", s.Response.Body)
			}
		})
	}
}
