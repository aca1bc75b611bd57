package auth

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestChooseMode(t *testing.T) {
	tests := []struct {
		name        string
		redirectURI string
		auto        bool
		interactive bool
		want        Mode
		wantNeeded  bool // want a *CodeNeededError
	}{
		{"auto wins over oob", oobURI, true, false, ModeAuto, false},
		{"auto wins over loopback", "http://127.0.0.1:0/cb", true, true, ModeAuto, false},
		{"ipv4 loopback", "http://127.0.0.1:8123/cb", false, false, ModeLoopback, false},
		{"ipv6 loopback", "http://[::1]:0/cb", false, true, ModeLoopback, false},
		{"localhost", "http://localhost:0", false, false, ModeLoopback, false},
		{"https localhost is not loopback", "https://localhost:8443/cb", false, true, ModeOOBPrompt, false},
		{"oob on a terminal", oobURI, false, true, ModeOOBPrompt, false},
		{"web redirect on a terminal", "https://app.example/cb", false, true, ModeOOBPrompt, false},
		{"oob without a terminal", oobURI, false, false, 0, true},
		{"no redirect URI without a terminal", "", false, false, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := Request{
				AuthURL: "https://login.example/oauth/authorize", ClientID: "client-1",
				RedirectURI: tt.redirectURI, Scopes: []string{"read"}, PKCE: true,
			}
			got, err := ChooseMode(req, tt.auto, tt.interactive)
			if !tt.wantNeeded {
				if err != nil || got != tt.want {
					t.Errorf("ChooseMode(%q, %v, %v) = %v, %v, want %v, <nil>", tt.redirectURI, tt.auto, tt.interactive, got, err, tt.want)
				}
				return
			}
			var cne *CodeNeededError
			if !errors.As(err, &cne) {
				t.Fatalf("ChooseMode(%q, %v, %v) = %v, %v, want *CodeNeededError", tt.redirectURI, tt.auto, tt.interactive, got, err)
			}
			want := "authorize: the authorization step needs a code: run with --var code=<code> (open " + cne.AuthURL +
				" in a browser, approve, copy the code), or use --sandbox / auto: true against a server that approves automatically"
			if err.Error() != want {
				t.Errorf("ChooseMode error = %q, want %q", err, want)
			}
			u, perr := url.Parse(cne.AuthURL)
			if perr != nil || !strings.HasPrefix(cne.AuthURL, req.AuthURL+"?") {
				t.Fatalf("CodeNeededError.AuthURL = %q, want a URL under %q", cne.AuthURL, req.AuthURL)
			}
			q := u.Query()
			if q.Get("client_id") != "client-1" || len(q.Get("state")) != 43 || q.Get("scope") != "read" ||
				q.Get("redirect_uri") != tt.redirectURI || q.Has("code_challenge") {
				t.Errorf("CodeNeededError.AuthURL query = %v, want client_id, state, scope, redirect_uri and no code_challenge", q)
			}
		})
	}
}

func TestModeString(t *testing.T) {
	for m, want := range map[Mode]string{ModeAuto: "auto", ModeLoopback: "loopback", ModeOOBPrompt: "prompt", 0: "Mode(0)"} {
		if got := m.String(); got != want {
			t.Errorf("Mode(%d).String() = %q, want %q", int(m), got, want)
		}
	}
}
