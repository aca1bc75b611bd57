package auth

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

const (
	oobURI  = "urn:ietf:wg:oauth:2.0:oob"
	hexCode = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
)

func TestAuthorizeAuto(t *testing.T) {
	state := wantState()
	tests := []struct {
		name    string
		pkce    bool
		scopes  []string
		handler func(t *testing.T, w http.ResponseWriter, r *http.Request)
		// wantCode is the expected code when errAs is nil.
		wantCode string
		// errAs, when set, is a pointer to a typed error errors.As must fill.
		errAs   any
		wantErr string // substring of the error message
	}{
		{
			name:   "location carries code and state",
			scopes: []string{"read", "write"},
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				checkAuthorizeQuery(t, r, oobURI)
				if got := r.URL.Query().Get("scope"); got != "read write" {
					t.Errorf("scope = %q, want %q", got, "read write")
				}
				if r.URL.Query().Has("code_challenge") {
					t.Errorf("code_challenge sent without PKCE")
				}
				http.Redirect(w, r, "https://app.example/cb?code=abc&state="+r.URL.Query().Get("state"), http.StatusFound)
			},
			wantCode: "abc",
		},
		{
			name: "relative location with 303",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Location", "cb?code=rel&state="+state)
				w.WriteHeader(http.StatusSeeOther)
			},
			wantCode: "rel",
		},
		{
			name: "code in fragment",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "https://app.example/cb#code=frag&state="+state, http.StatusFound)
			},
			wantCode: "frag",
		},
		{
			name: "out-of-band display page",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/oauth/authorize":
					checkAuthorizeQuery(t, r, oobURI)
					http.Redirect(w, r, "/oauth/authorize/"+hexCode, http.StatusFound)
				case "/oauth/authorize/" + hexCode:
					fmt.Fprintf(w, "<html><body><p>Your code:</p>\n<code  class='x' id=\"authorization_code\" >\n %s-html </code></body></html>", hexCode)
				default:
					http.NotFound(w, r)
				}
			},
			wantCode: hexCode + "-html",
		},
		{
			name: "display page without element falls back to the path",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/oauth/authorize" {
					http.Redirect(w, r, "/oauth/authorize/"+hexCode, http.StatusFound)
					return
				}
				fmt.Fprint(w, "<html><body>Copy the code from the address bar.</body></html>")
			},
			wantCode: hexCode,
		},
		{
			name: "login hop then page with code element",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/oauth/authorize":
					http.Redirect(w, r, "/login?next=consent", http.StatusFound)
				case "/login":
					fmt.Fprint(w, `<code id=authorization_code>x&amp;y</code>`)
				}
			},
			wantCode: "x&y",
		},
		{
			name: "pkce challenge matches verifier",
			pkce: true,
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				q := r.URL.Query()
				if got := q.Get("code_challenge_method"); got != "S256" {
					t.Errorf("code_challenge_method = %q, want S256", got)
				}
				if got, want := q.Get("code_challenge"), s256(wantVerifier()); got != want {
					t.Errorf("code_challenge = %q, want %q", got, want)
					http.Error(w, "bad challenge", http.StatusBadRequest)
					return
				}
				http.Redirect(w, r, "https://app.example/cb?code=pkce&state="+q.Get("state"), http.StatusFound)
			},
			wantCode: "pkce",
		},
		{
			name: "state mismatch",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "https://app.example/cb?code=abc&state=forged", http.StatusFound)
			},
			errAs:   new(*StateMismatchError),
			wantErr: "does not match",
		},
		{
			name: "state missing",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "https://app.example/cb?code=abc", http.StatusFound)
			},
			errAs:   new(*StateMismatchError),
			wantErr: "no state parameter",
		},
		{
			name: "access denied",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "https://app.example/cb?error=access_denied&error_description=User+said+no&state="+state, http.StatusFound)
			},
			errAs:   new(*AuthorizationError),
			wantErr: "authorize: authorization server returned access_denied: User said no",
		},
		{
			name: "400 error page",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprint(w, "<html><head><style>p{}</style></head><body><h1>Error</h1>\n<p>invalid   client_id</p></body></html>")
			},
			errAs:   new(*CodeNotFoundError),
			wantErr: `/oauth/authorize: 400 Bad Request, body "Error invalid client_id"`,
		},
		{
			name: "redirect to a login page without code",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/oauth/authorize" {
					http.Redirect(w, r, "/login", http.StatusFound)
					return
				}
				fmt.Fprint(w, "<form>Sign in</form>")
			},
			errAs:   new(*CodeNotFoundError),
			wantErr: `/login: 200 OK, body "Sign in"`,
		},
		{
			name: "redirect to another scheme without code",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "myapp://cb?other=1", http.StatusFound)
			},
			errAs:   new(*CodeNotFoundError),
			wantErr: "302 Found, location myapp://cb",
		},
		{
			name: "redirect loop",
			handler: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/oauth/authorize", http.StatusFound)
			},
			wantErr: "stopped after 10 redirects",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				tt.handler(t, w, r)
			}))
			a := &Authorizer{Client: ts.Client(), Rand: fixedRand()}
			req := Request{AuthURL: ts.URL + "/oauth/authorize", ClientID: "client-1", RedirectURI: oobURI, Scopes: tt.scopes, PKCE: tt.pkce}
			g, err := a.Authorize(testContext(t), req, ModeAuto)
			if tt.errAs == nil && tt.wantErr == "" {
				if err != nil || g.Code != tt.wantCode {
					t.Fatalf("Authorize(auto) = %q, %v, want %q, <nil>", g.Code, err, tt.wantCode)
				}
				if g.State != state || g.RedirectURI != oobURI || !strings.HasPrefix(g.AuthURL, req.AuthURL+"?") {
					t.Errorf("Authorize(auto) grant = %v, want state %q, redirect URI %q, URL under %q", g, state, oobURI, req.AuthURL)
				}
				if tt.pkce && g.CodeVerifier != wantVerifier() {
					t.Errorf("Authorize(auto) verifier = %q, want %q", g.CodeVerifier, wantVerifier())
				}
				return
			}
			if err == nil {
				t.Fatalf("Authorize(auto) = %v, <nil>, want error", g)
			}
			if tt.errAs != nil && !errors.As(err, tt.errAs) {
				t.Errorf("Authorize(auto) error = %T %v, want %T", err, err, tt.errAs)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Authorize(auto) error = %q, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestAuthorizeAutoKeepsClient(t *testing.T) {
	ts := newTestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://app.example/cb?code=abc&state="+r.URL.Query().Get("state"), http.StatusFound)
	}))
	c := ts.Client()
	a := &Authorizer{Client: c}
	if _, err := a.Authorize(testContext(t), Request{AuthURL: ts.URL, ClientID: "client-1"}, ModeAuto); err != nil {
		t.Fatalf("Authorize(auto) error = %v, want <nil>", err)
	}
	if c.CheckRedirect != nil {
		t.Errorf("Authorize(auto) changed the caller's client CheckRedirect")
	}
}

func TestCodeFromHTML(t *testing.T) {
	tests := []struct {
		body   string
		want   string
		wantOK bool
	}{
		{`<code id="authorization_code">abc</code>`, "abc", true},
		{`<CODE ID='authorization_code' class="c">  abc  </CODE>`, "abc", true},
		{"<code\n  data-x=1 id=authorization_code>\nabc\n</code >", "abc", true},
		{`<code id="authorization_code"></code>`, "", false},
		{`<code id="authorization_code_hint">abc</code>`, "", false},
		{`<code>abc</code>`, "", false},
		{`no markup`, "", false},
	}
	for _, tt := range tests {
		got, ok := codeFromHTML([]byte(tt.body))
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("codeFromHTML(%q) = %q, %v, want %q, %v", tt.body, got, ok, tt.want, tt.wantOK)
		}
	}
}
