package collections

import (
	"errors"
	"strings"
	"testing"
)

func TestParseAuthProfiles(t *testing.T) {
	src := `
vars:
  base: https://login.example
  secret: s3cret
auth:
  procore:
    grant: authorization_code
    token_url: "{{ base }}/oauth/token"
    authorize_url: "{{ base }}/oauth/authorize"
    client_id: abc
    client_secret: "{{ secret }}"
    redirect_uri: http://127.0.0.1:0/callback
    pkce: true
    client_auth: basic
    revoke_url: "{{ base }}/oauth/revoke"
  svc:
    grant: client_credentials
    token_url: "{{ base }}/oauth/token"
    client_id: abc
    client_secret: "{{ secret }}"
steps:
  - name: me
    GET: "{{ base }}/me"
    auth: procore
  - GET: "{{ base }}/companies"
    auth: svc
`
	c, err := Parse("a.yaml", []byte(src), Options{})
	if err != nil {
		t.Fatalf("Parse() error:\n%s", RenderErrors(err, map[string][]byte{"a.yaml": []byte(src)}))
	}
	if len(c.Auth) != 2 || c.Auth[0].Name != "procore" || c.Auth[1].Name != "svc" {
		t.Fatalf("Auth = %v, want procore and svc in order", c.Auth)
	}
	p := c.Profile("procore")
	if p.Grant != "authorization_code" || !p.PKCE || p.ClientAuth != "basic" || p.RevokeURL == nil || p.Pos.Line != 6 {
		t.Errorf("procore profile = %+v", p)
	}
	if c.Steps[0].Auth != "procore" || c.Steps[0].AuthPos.Line != 24 || c.Steps[1].Auth != "svc" {
		t.Errorf("step auth = %q at %v, %q", c.Steps[0].Auth, c.Steps[0].AuthPos, c.Steps[1].Auth)
	}
	var keys []string
	p.Templates(func(k string, _ *Template) { keys = append(keys, k) })
	if got := strings.Join(keys, ","); got != "token_url,authorize_url,revoke_url,client_id,client_secret,redirect_uri" {
		t.Errorf("Templates() keys = %s", got)
	}
}

func TestParseAuthErrors(t *testing.T) {
	tests := []struct {
		name string
		auth string
		step string
		want []string // substrings of the errors, in order
	}{
		{
			name: "unknown grant suggests nearest",
			auth: "  p:\n    grant: client_credential\n    token_url: x\n    client_id: y\n",
			want: []string{`a.yaml:3:12: unknown grant "client_credential" in auth profile "p" (did you mean "client_credentials"?)`},
		},
		{
			name: "missing keys of the grant",
			auth: "  p:\n    grant: client_credentials\n    token_url: x\n",
			want: []string{`has no client_id`, `has no client_secret`},
		},
		{
			name: "key the grant does not use",
			auth: "  p:\n    grant: bearer\n    token: t\n    pkce: true\n",
			want: []string{`a.yaml:5:5: pkce: is not used by the bearer grant`},
		},
		{
			name: "unknown key",
			auth: "  p:\n    grant: bearer\n    tokn: t\n",
			want: []string{`unknown key "tokn" in auth profile "p" (did you mean "token"?)`},
		},
		{
			name: "no grant",
			auth: "  p:\n    token: t\n",
			want: []string{`auth profile "p" has no grant`},
		},
		{
			name: "unknown profile in a step",
			auth: "  procore:\n    grant: bearer\n    token: t\n",
			step: "    auth: procor\n",
			want: []string{`unknown auth profile "procor" (did you mean "procore"?)`},
		},
		{
			name: "profile reads an undefined variable",
			auth: "  p:\n    grant: bearer\n    token: \"{{ tokn }}\"\n",
			want: []string{`undefined variable "tokn"`},
		},
		{
			name: "bad client_auth",
			auth: "  p:\n    grant: client_credentials\n    token_url: x\n    client_id: y\n    client_secret: z\n    client_auth: header\n",
			want: []string{`unknown client_auth "header"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "auth:\n" + tt.auth + "steps:\n  - GET: https://x\n" + tt.step
			_, err := Parse("a.yaml", []byte(src), Options{})
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("Parse() error = %v, want an ErrorList", err)
			}
			got := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Parse() errors =\n%s\nwant one containing %q", got, w)
				}
			}
		})
	}
}

func TestParseAuthOnAuthorizeStep(t *testing.T) {
	src := "auth:\n  p:\n    grant: bearer\n    token: t\nsteps:\n  - authorize:\n      url: https://x\n      client_id: c\n      redirect_uri: urn:ietf:wg:oauth:2.0:oob\n    auth: p\n"
	_, err := Parse("a.yaml", []byte(src), Options{})
	if err == nil || !strings.Contains(err.Error(), "auth: is not allowed on an authorize step") {
		t.Errorf("Parse() error = %v, want auth refused on an authorize step", err)
	}
}
