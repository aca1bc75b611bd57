package auth

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func TestAuthorizeOOBPrompt(t *testing.T) {
	state := wantState()
	tests := []struct {
		name     string
		input    string
		wantCode string
		wantRest string // input left unread
		errAs    any
		errIs    error
		wantErr  string // substring of the error message
	}{
		{name: "code with spaces", input: "  abc123 \r\n", wantCode: "abc123"},
		{name: "no trailing newline", input: "abc", wantCode: "abc"},
		{name: "only the first line is read", input: "one\ntwo\n", wantCode: "one", wantRest: "two\n"},
		{name: "pasted redirect URL", input: "https://app.example/cb?code=pasted&state=" + state + "\n", wantCode: "pasted"},
		{name: "pasted URL with wrong state", input: "https://app.example/cb?code=pasted&state=old\n", errAs: new(*StateMismatchError)},
		{name: "pasted error URL", input: "https://app.example/cb?error=access_denied\n", errAs: new(*AuthorizationError)},
		{name: "empty line", input: " \n", errIs: ErrNoCode},
		{name: "end of input", input: "", errIs: ErrNoCode},
		{name: "line too long", input: strings.Repeat("x", maxLine+1), wantErr: "longer than 8192 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := strings.NewReader(tt.input)
			var out strings.Builder
			var opened string
			a := &Authorizer{Rand: fixedRand(), Prompt: in, Out: &out, OpenBrowser: func(u string) error {
				opened = u
				return errors.New("no display")
			}}
			req := Request{AuthURL: "https://auth.example/oauth/authorize", ClientID: "client-1", RedirectURI: oobURI}
			g, err := a.Authorize(testContext(t), req, ModeOOBPrompt)
			if tt.errAs != nil || tt.errIs != nil || tt.wantErr != "" {
				switch {
				case err == nil,
					tt.errIs != nil && !errors.Is(err, tt.errIs),
					tt.errAs != nil && !errors.As(err, tt.errAs),
					!strings.Contains(err.Error(), tt.wantErr):
					t.Fatalf("Authorize(prompt) = %v, %v, want error %v %T %q", g, err, tt.errIs, tt.errAs, tt.wantErr)
				}
				return
			}
			if err != nil || g.Code != tt.wantCode {
				t.Fatalf("Authorize(prompt) = %q, %v, want %q, <nil>", g.Code, err, tt.wantCode)
			}
			if opened == "" || opened != g.AuthURL {
				t.Errorf("OpenBrowser got %q, want %q", opened, g.AuthURL)
			}
			o := out.String()
			if !strings.Contains(o, "Could not open a browser (no display)") || !strings.Contains(o, g.AuthURL) ||
				!strings.HasSuffix(o, "Paste the authorization code: ") {
				t.Errorf("Authorize(prompt) output = %q, want the URL and the prompt", o)
			}
			if rest, _ := io.ReadAll(in); string(rest) != tt.wantRest {
				t.Errorf("input left after Authorize(prompt) = %q, want %q", rest, tt.wantRest)
			}
		})
	}
}

func TestAuthorizeOOBPromptCancel(t *testing.T) {
	pr, pw := io.Pipe() // nobody types
	t.Cleanup(func() { pw.Close() })
	a := &Authorizer{Prompt: pr}
	req := Request{AuthURL: "https://auth.example/oauth/authorize", ClientID: "client-1", RedirectURI: oobURI}

	ctx, cancel := context.WithCancel(testContext(t))
	time.AfterFunc(50*time.Millisecond, cancel)
	if _, err := a.Authorize(ctx, req, ModeOOBPrompt); !errors.Is(err, context.Canceled) {
		t.Errorf("Authorize(prompt) after cancel error = %v, want context.Canceled", err)
	}

	done, cancelNow := context.WithCancel(t.Context())
	cancelNow()
	if _, err := a.Authorize(done, req, ModeOOBPrompt); !errors.Is(err, context.Canceled) {
		t.Errorf("Authorize(prompt) with a done context error = %v, want context.Canceled", err)
	}
}
