package runner

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/callsheet/callsheet/mask"
)

// The secrets of the masking tests. The standard and URL-safe base64 forms
// of each differ ('+' and '/' against '-' and '_') and end in padding; they
// hold non-ASCII characters and characters that URLs and JSON escape; and
// the tests place them inside other words too.
const (
	testAPIKey = "k€y/ä+1 ?~" // base64 a+KCrHkvw6QrMSA/fg==
	testToken  = "tok_~~~~?>" // base64 dG9rX35+fn4/Pg==, JSON "tok_~~~~?\u003e"
)

// secretForms are the forms in which a secret must never appear in what
// a run produces.
func secretForms(secret string) []string {
	quoted, _ := json.Marshal(secret)
	return []string{
		secret,
		url.QueryEscape(secret),
		url.PathEscape(secret),
		(&url.URL{Path: secret}).EscapedPath(), // as a URL keeps it: slashes stay
		base64.StdEncoding.EncodeToString([]byte(secret)),
		base64.RawURLEncoding.EncodeToString([]byte(secret)),
		string(quoted[1 : len(quoted)-1]),
	}
}

// assertNoSecret fails the test when any form of a secret appears in
// text, which what names.
func assertNoSecret(t *testing.T, what, text string, secrets ...string) {
	t.Helper()
	for _, secret := range secrets {
		for _, form := range secretForms(secret) {
			if strings.Contains(text, form) {
				t.Errorf("secret %q (as %q) appears in %s:\n%s", secret, form, what, text)
			}
		}
	}
}

// assertMasked fails the test when any form of a secret appears in what a
// result holds: every RequestInfo, ResponseInfo, CheckResult (with its
// details), CaptureResult and error, printed with %+v, and the bodies as
// text.
func assertMasked(t *testing.T, res *Result, secrets ...string) {
	t.Helper()
	var texts []string
	add := func(what string, v any) { texts = append(texts, what+": "+fmt.Sprintf("%+v", v)) }
	if res.Err != nil {
		add("Result.Err", res.Err)
	}
	for _, s := range res.Steps {
		if s.Request != nil {
			add(s.Name+" request", *s.Request)
			add(s.Name+" request body", string(s.Request.Body))
		}
		if s.Response != nil {
			add(s.Name+" response", *s.Response)
			add(s.Name+" response body", string(s.Response.Body))
		}
		for _, c := range s.Checks {
			add(s.Name+" check", *c)
			add(s.Name+" check actual", c.Actual.String())
			add(s.Name+" check expected", c.Expected.String())
			add(s.Name+" check details", strings.Join(c.Details, "\n"))
		}
		for _, c := range s.Captures {
			add(s.Name+" capture", *c)
		}
		if s.Err != nil {
			add(s.Name+" error", s.Err)
		}
	}
	for _, text := range texts {
		what, text, _ := strings.Cut(text, ": ")
		assertNoSecret(t, what, text, secrets...)
	}
}

// TestMasking runs steps that send the secrets in every form, inside
// other words, and get them back from go-httpbin in bodies, headers,
// cookies, failed checks and their object diffs, a snapshot file and an
// error, and checks that no form of them is left in the result or the
// snapshot.
func TestMasking(t *testing.T) {
	base := newHTTPBin(t).URL
	src := `vars:
  api_key: "{{ env.API_KEY }}"
  user: carl
secrets: [api_key]
steps:
  - name: login
    POST: "{{ base }}/anything/login"
    query:
      key: "{{ api_key }}"
    headers:
      X-Api-Key: "{{ api_key }}"
      X-Api-Key-B64: "{{ base64_encode(api_key) }}"
      X-Api-Key-B64url: "{{ base64url_encode(api_key) }}"
      Authorization: "Basic {{ base64_encode(user + ':' + api_key) }}"
    json:
      key: "{{ api_key }}"
      token: ` + testToken + `
      words: "pre{{ api_key }}post x` + testToken + `y"
      inner: { k: "{{ api_key }}", n: 1 }
    expect:
      json:
        json.key: "{{ api_key }}-wrong"
        json.inner: { eq: { k: other, n: 1 } }
        headers.X-Api-Key.0: { contains: "{{ api_key }}" }
    capture:
      token: { json: json.token, secret: true }
      echoed: { json: json }
  - name: use token
    GET: "{{ base }}/response-headers"
    query:
      X-Token: "{{ token }}"
      X-Token-B64: "{{ base64_encode(token) }}"
    headers:
      Authorization: "Bearer {{ token }}"
      Cookie: "session={{ token }}"
    expect:
      headers:
        X-Token: "{{ token }}"
      body: { contains: "{{ token }}" }
  - name: cookie
    GET: "{{ base }}/cookies/set?session={{ url_encode(token) }}"
  - name: set-cookie
    GET: "{{ base }}/response-headers?Set-Cookie=plain%3Dvalue-42%3B%20Path%3D%2F"
    expect:
      headers:
        Set-Cookie: { contains: value-42 }
  - name: snapshot
    POST: "{{ base }}/anything/snap"
    json:
      key: "{{ api_key }}"
      token: "{{ token }}"
    expect:
      snapshot: { file: snaps/echo.json, ignore: [headers, origin, url] }
  - name: refused
    GET: "http://127.0.0.1:1/{{ url_encode(token) }}/{{ url_encode(api_key) }}"
`
	c := parse(t, src, "base")
	res := runColl(t, nil, c, Options{
		Vars: map[string]any{"base": base},
		LookupEnv: func(name string) (string, bool) {
			return map[string]string{"API_KEY": testAPIKey}[name], name == "API_KEY"
		},
		Continue: true,
	})
	wantOutcomes(t, res, "failed,passed,passed,passed,passed,error")
	assertMasked(t, res, testAPIKey, testToken, "carl:"+testAPIKey)

	login := res.Steps[0]
	if got := login.Request.Header.Get("Authorization"); got != "Basic ***" {
		t.Errorf("Authorization = %q, want Basic ***", got)
	}
	if got := login.Checks[0].Expected.String(); got != `string <"***-wrong">` {
		t.Errorf("Expected = %s, want the secret masked", got)
	}
	if got, want := strings.Join(login.Checks[1].Details, "\n"), `json.inner.k: actual string <"***">, expected string <"other">`; got != want {
		t.Errorf("object diff = %q, want %q", got, want)
	}
	if got := captured(t, login, "token"); got.Value != Mask {
		t.Errorf("secret capture = %v, want %s", got, Mask)
	}
	if got := captured(t, login, "echoed").Value.(map[string]any)["words"]; got != "pre***post x***y" {
		t.Errorf("echoed words = %q, want the secrets masked inside them", got)
	}
	use := res.Steps[1]
	if got := use.Request.Header.Get("Cookie"); got != Mask {
		t.Errorf("Cookie = %q, want %s", got, Mask)
	}
	setCookie := res.Steps[3]
	if got := setCookie.Response.Header.Values("Set-Cookie"); len(got) != 1 || got[0] != Mask {
		t.Errorf("Set-Cookie = %q, want [%s]: masked whole, secret or not", got, Mask)
	}
	if got := setCookie.Checks[0].Actual.String(); got != `string <"***">` {
		t.Errorf("Set-Cookie check actual = %s, want masked whole", got)
	}
	snap, err := os.ReadFile(filepath.Join(filepath.Dir(c.File), "snaps", "echo.json"))
	if err != nil {
		t.Fatal(err)
	}
	assertNoSecret(t, "the snapshot file", string(snap), testAPIKey, testToken)
	if !strings.Contains(string(snap), `"key": "***"`) {
		t.Errorf("snapshot file =\n%s\nwant the key masked", snap)
	}
	if got := res.Steps[5].Err.Error(); !strings.Contains(got, "http://127.0.0.1:1/***/***") {
		t.Errorf("Err = %q, want the URL masked", got)
	}
}

// TestMasker checks what the runner adds to package mask (whose own tests
// cover the masking of text): a number registered by its text, every form
// of a secret the runner's tests look for, and values masked deeply.
func TestMasker(t *testing.T) {
	m := mask.New()
	m.Add("p@ss word")
	addValue(m, int64(123456))
	m.Add(testAPIKey)
	m.Add(testToken)
	tests := []struct{ in, want string }{{"id 123456", "id ***"}}
	for _, secret := range []string{testAPIKey, testToken} {
		for _, form := range secretForms(secret) {
			tests = append(tests, struct{ in, want string }{"a " + form + " b", "a *** b"}, struct{ in, want string }{"x" + form + "y", "x***y"})
		}
	}
	for _, tt := range tests {
		if got := m.String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := maskValue(m, map[string]any{"n": int64(123456), "s": []any{"p@ss word!"}}); fmt.Sprint(got) != "map[n:*** s:[***!]]" {
		t.Errorf("maskValue() = %v", got)
	}
}

// TestMaskedErrorChain checks that the error of a step whose URL holds a
// secret reads masked, hands back no unmasked error through Unwrap, and
// still answers errors.Is and errors.As, with masked copies.
func TestMaskedErrorChain(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	src := "secrets: [key]\nsteps:\n  - name: down\n    GET: \"http://{{ addr }}/?key={{ key }}\"\n"
	res := runYAML(t, src, map[string]any{"addr": addr, "key": testAPIKey})
	wantOutcomes(t, res, "error")
	err = res.Steps[0].Err
	assertNoSecret(t, "the step's error", err.Error(), testAPIKey)
	for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
		assertNoSecret(t, "an error Unwrap hands back", e.Error(), testAPIKey)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("errors.Is(%v, ECONNREFUSED) = false", err)
	}
	var se *StepError
	if !errors.As(err, &se) {
		t.Fatalf("errors.As(%v, *StepError) = false", err)
	}
	assertNoSecret(t, "StepError.URL", se.URL, testAPIKey)
	assertNoSecret(t, "StepError.Err", se.Err.Error(), testAPIKey)
	var ue *url.Error
	if !errors.As(err, &ue) {
		t.Fatalf("errors.As(%v, *url.Error) = false", err)
	}
	assertNoSecret(t, "url.Error", ue.URL+" "+ue.Error(), testAPIKey)
}
