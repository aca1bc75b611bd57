package auth

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestAuthorizeLoopback(t *testing.T) {
	tests := []struct {
		name        string
		redirectURI string
		// params is the query the authorization server redirects with;
		// STATE is replaced by the state it received.
		params     string
		wantCode   string
		wantStatus int    // status the browser sees on the redirect
		wantPage   string // text of that page
		errAs      any
	}{
		{
			name:        "code returned on 127.0.0.1 port 0",
			redirectURI: "http://127.0.0.1:0/callback",
			params:      "code=loop&state=STATE",
			wantCode:    "loop",
			wantStatus:  http.StatusOK,
			wantPage:    "You can close this window",
		},
		{
			name:        "code returned on localhost",
			redirectURI: "http://localhost:0/cb/",
			params:      "code=local&state=STATE",
			wantCode:    "local",
			wantStatus:  http.StatusOK,
			wantPage:    "You can close this window",
		},
		{
			name:        "wrong state rejected",
			redirectURI: "http://127.0.0.1:0/callback",
			params:      "code=loop&state=forged",
			wantStatus:  http.StatusBadRequest,
			wantPage:    "does not match",
			errAs:       new(*StateMismatchError),
		},
		{
			name:        "server error passed on",
			redirectURI: "http://127.0.0.1:0/callback",
			params:      "error=access_denied&error_description=no&state=STATE",
			wantStatus:  http.StatusOK,
			wantPage:    "access_denied",
			errAs:       new(*AuthorizationError),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			authServer := newTestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				checkAuthorizeQuery(t, r, "")
				q := r.URL.Query()
				params := strings.ReplaceAll(tt.params, "STATE", url.QueryEscape(q.Get("state")))
				http.Redirect(w, r, q.Get("redirect_uri")+"?"+params, http.StatusFound)
			}))
			opened := 0
			// The "browser" follows the redirect to the listener, as a real
			// one would.
			browser := func(u string) error {
				opened++
				resp, err := authServer.Client().Get(u)
				if err != nil {
					t.Errorf("browser GET %s: %v", u, err)
					return err
				}
				defer resp.Body.Close()
				body, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != tt.wantStatus || !strings.Contains(string(body), tt.wantPage) {
					t.Errorf("browser got %d %q, want %d containing %q", resp.StatusCode, body, tt.wantStatus, tt.wantPage)
				}
				return nil
			}
			var out strings.Builder
			a := &Authorizer{Rand: fixedRand(), OpenBrowser: browser, Out: &out}
			req := Request{AuthURL: authServer.URL + "/authorize", ClientID: "client-1", RedirectURI: tt.redirectURI}
			g, err := a.Authorize(testContext(t), req, ModeLoopback)
			if opened != 1 {
				t.Errorf("OpenBrowser called %d times, want 1", opened)
			}
			if tt.errAs != nil {
				if !errors.As(err, tt.errAs) {
					t.Fatalf("Authorize(loopback) = %v, %v, want %T", g, err, tt.errAs)
				}
				return
			}
			if err != nil || g.Code != tt.wantCode {
				t.Fatalf("Authorize(loopback) = %q, %v, want %q, <nil>", g.Code, err, tt.wantCode)
			}
			u, err := url.Parse(g.RedirectURI)
			if err != nil || u.Port() == "0" || u.Port() == "" || !strings.Contains(g.AuthURL, url.QueryEscape(g.RedirectURI)) {
				t.Errorf("Authorize(loopback) redirect URI = %q in %q, want the listened port in both", g.RedirectURI, g.AuthURL)
			}
			if !strings.Contains(out.String(), g.AuthURL) {
				t.Errorf("Authorize(loopback) output = %q, want the URL", out.String())
			}
			checkClosed(t, u.Host)
		})
	}
}

// TestAuthorizeLoopbackContextEnds ends the context while Authorize waits
// for a redirect that never comes: it returns the context's error, having
// shown the URL, and closes its listener.
func TestAuthorizeLoopbackContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	out := &cancelOn{text: "Waiting for the redirect", cancel: cancel}
	a := &Authorizer{Rand: fixedRand(), Out: out} // no browser: nothing arrives
	req := Request{AuthURL: "https://auth.example/authorize", ClientID: "client-1", RedirectURI: "http://127.0.0.1:0/cb"}
	done := make(chan error, 1)
	go func() {
		_, err := a.Authorize(ctx, req, ModeLoopback)
		done <- err
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(time.Minute): // a hang guard only
		t.Fatal("Authorize(loopback) still waits a minute after its context ended")
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Authorize(loopback) error = %v, want context.Canceled", err)
	}
	if !strings.Contains(out.String(), "Open this URL in a browser") || !strings.Contains(out.String(), req.AuthURL+"?") {
		t.Errorf("Authorize(loopback) output = %q, want the URL to open", out.String())
	}
	// The address is in the error message; the listener must be gone.
	i := strings.Index(err.Error(), "http://127.0.0.1:")
	if i < 0 {
		t.Fatalf("error %q does not name the redirect URI", err)
	}
	u, perr := url.Parse(strings.Fields(err.Error()[i:])[0])
	if perr != nil {
		t.Fatalf("error %q: cannot parse the redirect URI: %v", err, perr)
	}
	checkClosed(t, u.Host)
}

// cancelOn collects what is written to it and calls cancel once it holds
// text.
type cancelOn struct {
	strings.Builder
	text   string
	cancel func()
}

func (w *cancelOn) Write(p []byte) (int, error) {
	n, err := w.Builder.Write(p)
	if strings.Contains(w.String(), w.text) {
		w.cancel()
	}
	return n, err
}

// checkClosed asserts that nothing listens on hostport any more.
func checkClosed(t *testing.T, hostport string) {
	t.Helper()
	if c, err := net.DialTimeout("tcp", hostport, time.Second); err == nil {
		c.Close()
		t.Errorf("listener on %s still accepts connections after Authorize returned", hostport)
	}
}
