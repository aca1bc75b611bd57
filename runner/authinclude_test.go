package runner

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
)

// sharedAuthYAML declares a client-credentials profile from its own vars,
// as a file shared by several collections would.
const sharedAuthYAML = `vars:
  secret: shared-client-secret
secrets: [secret]
auth:
  api:
    grant: client_credentials
    token_url: "{{ base }}/token"
    client_id: shared-client
    client_secret: "{{ secret }}"
steps:
  - name: ping
    GET: "{{ base }}/api"
    auth: api
`

func TestAuthProfileFromIncludedFile(t *testing.T) {
	var tokens, calls atomic.Int32
	ts := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/token":
			if err := r.ParseForm(); err != nil || r.PostForm.Get("client_secret") != "shared-client-secret" {
				t.Errorf("token request client_secret = %q, want the included file's var", r.PostForm.Get("client_secret"))
			}
			n := tokens.Add(1)
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"access_token":"shared-tok-%d","token_type":"bearer","expires_in":3600}`, n)
		case "/api":
			calls.Add(1)
			if got := r.Header.Get("Authorization"); got != "Bearer shared-tok-1" {
				t.Errorf("API Authorization = %q, want Bearer shared-tok-1", got)
			}
			fmt.Fprint(w, `{}`)
		}
	}))
	files := map[string]string{
		"shared.yaml": sharedAuthYAML,
		"main.yaml": `steps:
  - name: setup
    include: shared.yaml
  - name: call
    GET: "{{ base }}/api"
    auth: api
    expect:
      status: 200
`,
	}
	c := loadTree(t, files, "main.yaml", "base")
	opts := Options{Vars: map[string]any{"base": ts.URL}}
	res := runColl(t, nil, c, opts)
	wantOutcomes(t, res, "passed,passed")
	if tokens.Load() != 1 || calls.Load() != 2 {
		t.Errorf("token requests, API requests = %d, %d, want 1, 2 (one token for both files)", tokens.Load(), calls.Load())
	}
	assertMasked(t, res, "shared-client-secret", "shared-tok-1")

	// `callsheet auth login api main.yaml` resolves it the same way.
	p, err := ResolveProfile(c, "api", opts)
	if err != nil || p.ClientSecret != "shared-client-secret" || p.TokenURL != ts.URL+"/token" {
		t.Errorf("ResolveProfile(main.yaml, api) = %v, %v, want the included profile rendered in its file's scope", p, err)
	}
	if _, err := ResolveProfile(c, "nope", opts); err == nil {
		t.Errorf("ResolveProfile(main.yaml, nope) error = nil, want unknown profile")
	}
}
