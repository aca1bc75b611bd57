package auth

import (
	"strings"
	"testing"
)

func TestLoginHintNamesFile(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"login required with a file", &LoginRequiredError{Profile: "procore", File: "api/procore.yaml"}, "`callsheet auth login procore api/procore.yaml`"},
		{"login required without a file", &LoginRequiredError{Profile: "procore"}, "`callsheet auth login procore FILE`"},
		{"login required with flags", &LoginRequiredError{Profile: "procore", File: "p.yaml", Flags: "--var login_url=https://127.0.0.1:8443 --cacert /tmp/c.pem"}, "`callsheet auth login procore p.yaml --var login_url=https://127.0.0.1:8443 --cacert /tmp/c.pem`"},
		{"dead refresh token with flags", &TokenError{Profile: "procore", Op: opRefresh, Code: "invalid_grant", File: "p.yaml", LoginFlags: "--cacert c.pem"}, "log in again with `callsheet auth login procore p.yaml --cacert c.pem`"},
		{"dead refresh token with a file", &TokenError{Profile: "procore", Op: opRefresh, Code: "invalid_grant", File: "p.yaml"}, "log in again with `callsheet auth login procore p.yaml`"},
		{"other token errors give no login hint", &TokenError{Profile: "procore", Op: opClientCredentials, Code: "invalid_client", File: "p.yaml"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := tt.err.Error()
			if tt.want == "" {
				if strings.Contains(msg, "auth login") {
					t.Errorf("Error() = %q, want no login hint", msg)
				}
				return
			}
			if !strings.Contains(msg, tt.want) {
				t.Errorf("Error() = %q, want it to contain %q", msg, tt.want)
			}
		})
	}
}
