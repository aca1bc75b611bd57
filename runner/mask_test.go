package runner

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// assertMasked fails the test when any form of a secret appears in what a
// result holds: every RequestInfo, ResponseInfo, CheckResult,
// CaptureResult and error, printed with %+v, and the bodies as text.
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
		}
		for _, c := range s.Captures {
			add(s.Name+" capture", *c)
		}
		if s.Err != nil {
			add(s.Name+" error", s.Err)
		}
	}
	for _, secret := range secrets {
		forms := []string{secret, url.QueryEscape(secret), url.PathEscape(secret), base64.StdEncoding.EncodeToString([]byte(secret))}
		for _, text := range texts {
			for _, form := range forms {
				if strings.Contains(text, form) {
					t.Errorf("secret %q (as %q) appears in %s", secret, form, text)
				}
			}
		}
	}
}

func TestMasking(t *testing.T) {
	base := newHTTPBin(t).URL
	const apiKey = "s3cr3t/key+1 é"
	const token = "tok_ABCDEF123"
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
      Authorization: "Basic {{ toBase64(user + ':' + api_key) }}"
    json:
      key: "{{ api_key }}"
      token: ` + token + `
    expect:
      json:
        json.key: "{{ api_key }}-wrong"
        headers.X-Api-Key.0: { contains: "{{ api_key }}" }
    capture:
      token: { json: json.token, secret: true }
      echoed: { json: json }
  - name: use token
    GET: "{{ base }}/response-headers"
    query:
      X-Token: "{{ token }}"
    headers:
      Authorization: "Bearer {{ token }}"
      Cookie: "session={{ token }}"
    expect:
      headers:
        X-Token: "{{ token }}"
      body: { contains: "{{ token }}" }
  - name: cookie
    GET: "{{ base }}/cookies/set?session={{ token }}"
  - name: refused
    GET: "http://127.0.0.1:1/{{ token }}/{{ api_key }}"
`
	c := parse(t, src, "base")
	res := runColl(t, nil, c, Options{
		Vars:      map[string]any{"base": base},
		LookupEnv: func(name string) (string, bool) { return map[string]string{"API_KEY": apiKey}[name], name == "API_KEY" },
		Continue:  true,
	})
	wantOutcomes(t, res, "failed,passed,passed,error")
	assertMasked(t, res, apiKey, token, "carl:"+apiKey)

	login := res.Steps[0]
	if got := login.Request.Header.Get("Authorization"); got != "Basic ***" {
		t.Errorf("Authorization = %q, want Basic ***", got)
	}
	if got := login.Checks[0].Expected.String(); got != `string <"***-wrong">` {
		t.Errorf("Expected = %s, want the secret masked", got)
	}
	if got := captured(t, login, "token"); got.Value != Mask {
		t.Errorf("secret capture = %v, want %s", got, Mask)
	}
	use := res.Steps[1]
	if got := use.Request.Header.Get("Cookie"); got != Mask {
		t.Errorf("Cookie = %q, want %s", got, Mask)
	}
	if got := res.Steps[3].Err.Error(); !strings.Contains(got, "http://127.0.0.1:1/***/***") {
		t.Errorf("Err = %q, want the URL masked", got)
	}
}

func TestMasker(t *testing.T) {
	m := newMasker()
	m.add("ab") // too short to mask
	m.add("p@ss word")
	m.addValue(int64(123456))
	tests := []struct{ in, want string }{
		{"ab abc", "ab abc"},
		{"x=p@ss word", "x=***"},
		{"x=p%40ss+word", "x=***"},
		{"/p@ss%20word/", "/***/"},
		{base64.StdEncoding.EncodeToString([]byte("p@ss word")), "***"},
		{"id 123456", "id ***"},
	}
	for _, tt := range tests {
		if got := m.text(tt.in); got != tt.want {
			t.Errorf("text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := m.value(map[string]any{"n": int64(123456), "s": []any{"p@ss word!"}}); fmt.Sprint(got) != "map[n:*** s:[***!]]" {
		t.Errorf("value() = %v", got)
	}
	if got := m.bytes([]byte("0123p@ss word"), 6); string(got) != "0123**" {
		t.Errorf("bytes() = %q, want the secret masked before the cut", got)
	}
	for in, want := range map[string]string{"Bearer abc.def": "Bearer ***", "Bearer ": "Bearer ", "Bearer  ": "Bearer  ", "Bearer": "***", "abc.def": "***"} {
		if got := maskCredential(in); got != want {
			t.Errorf("maskCredential(%q) = %q, want %q", in, got, want)
		}
	}
}
