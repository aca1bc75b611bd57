package console

import (
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/auth"
)

func TestLoggedIn(t *testing.T) {
	const access, refresh = "at-5e3c4e7a9b1d2f6a", "rt-0b9c8d7e6f5a4b3c"
	p := auth.Profile{Name: "procore\x1b[2J", TokenURL: "https://login.example/oauth/token"}
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name string
		e    *auth.Entry
		want string
	}{
		{"no expiry", &auth.Entry{AccessToken: access}, "no expiry\n"},
		{"an expiry", &auth.Entry{AccessToken: access, Expiry: at}, "expires " + at.Local().Format(time.RFC3339) + "\n"},
		{"refreshable", &auth.Entry{AccessToken: access, RefreshToken: refresh, Expiry: at}, at.Local().Format(time.RFC3339) + ", refreshable\n"},
	}
	for _, tt := range tests {
		var b strings.Builder
		LoggedIn(&b, p, tt.e)
		out := b.String()
		if !strings.HasPrefix(out, `logged in: profile procore\x1b[2J (https://login.example/oauth/token), `) || !strings.HasSuffix(out, tt.want) {
			t.Errorf("%s: LoggedIn() = %q, want it to end with %q", tt.name, out, tt.want)
		}
		if strings.Contains(out, access) || strings.Contains(out, refresh) {
			t.Errorf("%s: LoggedIn() shows a token: %q", tt.name, out)
		}
	}
}

func TestLoggedOut(t *testing.T) {
	p := auth.Profile{Name: "svc", RevokeURL: "https://login.example/revoke"}
	tests := []struct {
		cached, revoked bool
		want            string
	}{
		{false, false, "profile svc was not logged in\n"},
		{true, true, "logged out: profile svc, token revoked at https://login.example/revoke and removed from the cache\n"},
		{true, false, "logged out: profile svc, token removed from the cache (no revoke_url to revoke it)\n"},
	}
	for _, tt := range tests {
		var b strings.Builder
		LoggedOut(&b, p, tt.cached, tt.revoked)
		if b.String() != tt.want {
			t.Errorf("LoggedOut(cached %v, revoked %v) = %q, want %q", tt.cached, tt.revoked, b.String(), tt.want)
		}
	}
}

func TestTokenCache(t *testing.T) {
	var b strings.Builder
	if err := TokenCache(&b, "/cache\x07", nil); err != nil || b.String() != "no cached tokens in /cache\\x07\n" {
		t.Errorf("TokenCache(none) = %q, %v", b.String(), err)
	}
	b.Reset()
	entries := []*auth.Entry{{Profile: "procore", TokenURL: "https://login.example/oauth/token", ClientID: "id", AccessToken: "at-secret"}}
	if err := TokenCache(&b, "/cache", entries); err != nil || !strings.HasPrefix(b.String(), "cached tokens in /cache:\nPROFILE") || strings.Contains(b.String(), "at-secret") {
		t.Errorf("TokenCache(one) = %q, %v; want the folder, then the table without the token", b.String(), err)
	}
}
