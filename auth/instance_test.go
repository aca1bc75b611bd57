package auth

import (
	"encoding/json"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// TestSourceReplacesTokenOfAnotherInstance caches an expired token with a
// refresh token from instance "old", then asks a token endpoint that
// refuses the refresh token (invalid_grant): when the endpoint names
// another instance, the Source gets a new token by its grant, quietly;
// when it names the same instance or none, the refusal stands.
func TestSourceReplacesTokenOfAnotherInstance(t *testing.T) {
	tests := []struct {
		name     string
		instance string // what the token endpoint names; "" for none
		want     string // the access token, or "" for an invalid_grant error
	}{
		{"another instance", "new", "fresh-token"},
		{"the same instance", "old", ""},
		{"no instance named", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var refreshes, grants atomic.Int32
			ts := newTestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.instance != "" {
					w.Header().Set(InstanceHeader, tt.instance)
				}
				w.Header().Set("Content-Type", "application/json")
				switch r.FormValue("grant_type") {
				case "refresh_token":
					refreshes.Add(1)
					w.WriteHeader(http.StatusBadRequest)
					json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant"})
				case "client_credentials":
					grants.Add(1)
					json.NewEncoder(w).Encode(map[string]any{"access_token": "fresh-token", "token_type": "bearer", "expires_in": 3600})
				default:
					t.Errorf("token request with grant_type %q", r.FormValue("grant_type"))
				}
			}))
			p := Profile{Name: "p", Grant: GrantClientCredentials, TokenURL: ts.URL + "/oauth/token", ClientID: "client-1", ClientSecret: "secret-1"}
			cache := NewMemoryCache()
			old := &Entry{Profile: "p", ClientID: "client-1", TokenURL: p.TokenURL, AccessToken: "stale", RefreshToken: "r-old",
				Expiry: time.Now().Add(-time.Hour), Instance: "old"}
			if err := cache.Save(p.Key(), old); err != nil {
				t.Fatal(err)
			}
			src := &Source{Profile: p, Cache: cache, Client: ts.Client()}
			tok, err := src.Token(testContext(t))
			if tt.want == "" {
				var te *TokenError
				if !errors.As(err, &te) || !te.InvalidGrant() || grants.Load() != 0 {
					t.Errorf("Token() = %v, %v after %d grants; want the invalid_grant error and no new grant", tok, err, grants.Load())
				}
				return
			}
			if err != nil || tok.AccessToken != tt.want || refreshes.Load() != 1 || grants.Load() != 1 {
				t.Fatalf("Token() = %v, %v after %d refreshes and %d grants; want %q from one refresh and one grant", tok, err, refreshes.Load(), grants.Load(), tt.want)
			}
			if e, _ := cache.Load(p.Key()); e == nil || e.AccessToken != tt.want || e.Instance != tt.instance {
				t.Errorf("cached entry = %v, want the new token from instance %q", e, tt.instance)
			}
		})
	}
}
