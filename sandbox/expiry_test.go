package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
)

func TestTokenSandboxExpiresIn(t *testing.T) {
	tests := []struct {
		name        string
		value       string
		wantExpires int64
		wantStatus  int // of GET /rest/v1.0/me with the token
	}{
		{"already expired", "0", 0, http.StatusUnauthorized},
		{"shorter", "60", 60, http.StatusOK},
		{"longer than the lifetime is ignored", "999999", 5400, http.StatusOK},
		{"not a number is ignored", "soon", 5400, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(New(Config{}).Handler())
			t.Cleanup(srv.Close)
			resp, err := srv.Client().PostForm(srv.URL+"/oauth/token", url.Values{
				"grant_type": {"client_credentials"}, "client_id": {DemoClientID}, "client_secret": {DemoClientSecret},
				"sandbox_expires_in": {tt.value},
			})
			if err != nil {
				t.Fatal(err)
			}
			var tok tokenResponse
			err = json.NewDecoder(resp.Body).Decode(&tok)
			resp.Body.Close()
			if err != nil || tok.ExpiresIn != tt.wantExpires {
				t.Fatalf("expires_in = %d, %v, want %d", tok.ExpiresIn, err, tt.wantExpires)
			}
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/rest/v1.0/me", nil)
			req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
			req.Header.Set("Procore-Company-Id", strconv.Itoa(DemoCompanyID))
			me, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			me.Body.Close()
			if me.StatusCode != tt.wantStatus {
				t.Errorf("GET /me status = %d, want %d", me.StatusCode, tt.wantStatus)
			}
		})
	}
}
