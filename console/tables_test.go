package console

import (
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/auth"
	"github.com/callsheet/callsheet/session"
)

func TestTokens(t *testing.T) {
	const access, refresh = "at-5e3c4e7a9b1d2f6a", "rt-0b9c8d7e6f5a4b3c"
	entries := []*auth.Entry{
		{Profile: "procore", TokenURL: "https://login.example/oauth/token", ClientID: "0123456789abcdefghij", AccessToken: access, RefreshToken: refresh,
			Expiry: time.Now().Add(-time.Minute)},
		{Profile: "svc\x1b[2J", TokenURL: "https://svc.example/token", ClientID: "short", AccessToken: access},
	}
	var b strings.Builder
	if err := Tokens(&b, entries); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, secret := range []string{access, refresh} {
		if strings.Contains(out, secret) {
			t.Errorf("the table shows a token:\n%s", out)
		}
	}
	for _, want := range []string{"PROFILE", "0123456789ab…", " (expired)", "yes", "never", `svc\x1b[2J`} {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q:\n%s", want, out)
		}
	}
}

func TestRuns(t *testing.T) {
	runs := []*session.RunIndex{
		{ID: "20260101-120000-ab", Time: time.Date(2026, 1, 1, 12, 0, 0, 0, time.Local), Kind: "run", Collection: "orders", Passed: true, Exchanges: make([]session.IndexEntry, 3)},
		{ID: "20260101-120500-cd", Kind: "replay", Collection: "orders\u202e", Passed: false},
	}
	var b strings.Builder
	if err := Runs(&b, runs); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "ID") {
		t.Fatalf("table:\n%s", b.String())
	}
	for i, want := range []string{"2026-01-01 12:00:00  run     orders", "replay  orders\\u202e"} {
		if !strings.Contains(lines[i+1], want) {
			t.Errorf("line %d = %q, want it to hold %q", i+2, lines[i+1], want)
		}
	}
	if !strings.HasSuffix(lines[1], "passed  3") || !strings.Contains(lines[2], "failed") {
		t.Errorf("results: %q", lines[1:])
	}
}
