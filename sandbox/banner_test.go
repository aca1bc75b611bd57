package sandbox

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestBanner(t *testing.T) {
	cfg := Config{AccessTokenTTL: time.Hour, CodeTTL: time.Minute, RateLimit: 5, RateLimitWindow: time.Minute, Latency: time.Millisecond}
	srv := newTestServer(t, cfg)
	var b strings.Builder
	srv.Banner(&b, "/tmp/my certs/sb.pem", cfg, func(s string) string { return "<b>" + s + "</b>" })
	out := b.String()
	command := fmt.Sprintf("  callsheet run --auto-authorize --var login_url=%[1]s --var base_url=%[1]s --var client_id=%[2]s"+
		" --var client_secret=%[3]s --var company_id=%[4]d --cacert '/tmp/my certs/sb.pem' procore/first-call\n",
		srv.URL, DemoClientID, DemoClientSecret, DemoCompanyID)
	tests := []struct{ what, want string }{
		{"the title, where it serves", "<b>sandbox:</b> serving the Procore sandbox at " + srv.URL + "\n\n"},
		{"the login URL", "  login URL      " + srv.URL + "  (/oauth/authorize"},
		{"the client", "  client id      " + DemoClientID + "\n  client secret  " + DemoClientSecret + "\n"},
		{"the certificate", "  certificate    /tmp/my certs/sb.pem\n"},
		{"the instance", "  instance       " + srv.Sandbox.Instance() + "  (" + InstanceHeader + " header)\n"},
		{"the settings", "  rate limit     5 requests per token per 1m0s\n  latency        1ms, plus up to 0s\n"},
		{"the command, quoted for a shell", "Run a collection against it:\n\n" + command + "\nPress Ctrl-C to stop.\n"},
	}
	for _, tt := range tests {
		if !strings.Contains(out, tt.want) {
			t.Errorf("the banner lacks %s, %q:\n%s", tt.what, tt.want, out)
		}
	}
	if !strings.HasPrefix(out, "<b>sandbox:</b>") || !strings.HasSuffix(out, "Press Ctrl-C to stop.\n") {
		t.Errorf("the banner does not start with its title and end with how to stop:\n%s", out)
	}
}
