package sandbox

import (
	"net/http"
	"testing"
	"time"
)

// TestStoreBounded issues more codes and token pairs than the sandbox
// keeps: the oldest are forgotten (their token refused as invalid, over
// HTTP), the newest still work, and the maps stay within the limits.
func TestStoreBounded(t *testing.T) {
	srv := newTestServer(t, Config{})
	s := srv.Sandbox
	first := login(t, srv)
	firstCode := authorizeCode(t, srv, OOBRedirectURI)
	s.mu.Lock()
	for range MaxTokenPairs + 10 {
		if _, problem := s.issueLocked(DemoClientID, DemoUserID, false, time.Hour); problem != "" {
			s.mu.Unlock()
			t.Fatal(problem)
		}
	}
	for range MaxCodes + 10 {
		code, err := s.randomHexLocked()
		if err != nil {
			s.mu.Unlock()
			t.Fatal(err)
		}
		s.addCodeLocked(code, &grant{clientID: DemoClientID, redirectURI: OOBRedirectURI, userID: DemoUserID, expires: s.now().Add(time.Minute)})
	}
	sizes := []int{len(s.access), len(s.refresh), len(s.codes), len(s.pairOrder), len(s.codeOrder)}
	s.mu.Unlock()
	for i, n := range sizes[:3] {
		if n > MaxTokenPairs || n > MaxCodes {
			t.Errorf("store %d holds %d entries, over its limit", i, n)
		}
	}
	if r := apiGet(t, srv, "/rest/v1.0/me", first.AccessToken, ""); r.status != http.StatusUnauthorized {
		t.Errorf("oldest token: status %d, want 401 (forgotten)", r.status)
	}
	if r := postForm(t, srv, "/oauth/token", refreshForm(first.RefreshToken)); r.oauthErr(t) != "invalid_grant" {
		t.Errorf("oldest refresh token: %d %s, want invalid_grant", r.status, r.body)
	}
	if r := postForm(t, srv, "/oauth/token", codeForm(firstCode, OOBRedirectURI)); r.oauthErr(t) != "invalid_grant" {
		t.Errorf("oldest code: %d %s, want invalid_grant", r.status, r.body)
	}
	fresh := login(t, srv)
	if r := apiGet(t, srv, "/rest/v1.0/me", fresh.AccessToken, ""); r.status != http.StatusOK {
		t.Errorf("newest token: status %d, want 200", r.status)
	}
}

// TestExchangedCodesLeaveTheOrder checks that codes exchanged at once do
// not pile up in the issue order.
func TestExchangedCodesLeaveTheOrder(t *testing.T) {
	s := New(Config{})
	s.mu.Lock()
	defer s.mu.Unlock()
	for range 3 * MaxCodes {
		code, err := s.randomHexLocked()
		if err != nil {
			t.Fatal(err)
		}
		s.addCodeLocked(code, &grant{})
		delete(s.codes, code) // exchanged
	}
	if n := len(s.codeOrder); n > 2*MaxCodes {
		t.Errorf("code order holds %d codes, want at most %d", n, 2*MaxCodes)
	}
}
