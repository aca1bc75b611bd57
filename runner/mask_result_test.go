package runner

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/exchange"
	"github.com/callsheet/callsheet/mask"
)

// TestMaskStep masks every part of a step result in place: the bodies,
// the URL, the request's, parts' and response's headers, the parts'
// values and file names, checks (a header subject keeping its scheme),
// captures (a secret one whole) and the error.
func TestMaskStep(t *testing.T) {
	m := mask.New()
	addValue(m, testAPIKey)
	addValue(m, testToken)
	k, tok := testAPIKey, testToken
	s := &StepResult{
		Request: &exchange.Request{
			URL:    "https://h/x?k=" + k,
			Header: exchange.Header{{Name: "X-Key", Value: "in" + k + "word"}, {Name: "Proxy-Authorization", Value: "Basic unknown-credential"}},
			Body:   []byte(`{"t":"` + tok + `"}`),
			Parts: []exchange.Part{{
				Header:   exchange.Header{{Name: "X-Part", Value: tok}},
				Name:     "f",
				Filename: k + ".txt",
				File:     "/tmp/" + k,
				Value:    "v=" + tok,
			}},
		},
		Response: &exchange.Response{
			Header: exchange.Header{{Name: "Set-Cookie", Value: "id=1; Path=/"}, {Name: "X-Echo", Value: tok}},
			Body:   []byte("echo " + k),
		},
		Checks: []*CheckResult{{
			Subject:  headerSubject + "Authorization",
			Actual:   Typed{Value: "Bearer not-known-as-secret"},
			Expected: Typed{Value: []any{"a" + tok}},
			Message:  "got " + k,
			Details:  []string{"- " + tok, "+ " + k},
		}},
		Captures: []*CaptureResult{
			{Name: "s", Value: Typed{Value: "anything"}, Secret: true},
			{Name: "p", Value: Typed{Value: map[string]any{k: "x" + tok}}},
		},
		Err: fmt.Errorf("get %s: %w", k, errors.ErrUnsupported),
	}
	maskStep(m, s)
	got := fmt.Sprintf("%+v %+v %s %s", *s.Request, *s.Response, s.Request.Body, s.Response.Body)
	for _, c := range s.Checks {
		got += fmt.Sprintf(" %+v", *c)
	}
	for _, c := range s.Captures {
		got += fmt.Sprintf(" %+v", *c)
	}
	got += " " + s.Err.Error()
	assertNoSecret(t, "the masked step", got, testAPIKey, testToken)
	for _, want := range []string{
		"https://h/x?k=***", "in***word", "Basic ***", `{"t":"***"}`, "echo ***",
		"***.txt", "/tmp/***", "v=***",
		"{Name:Set-Cookie Value:***}", "{Name:X-Echo Value:***}", `Actual:string <"Bearer ***">`,
		"Message:got ***", "Details:[- *** + ***]",
		`Name:s Value:string <"***"> Secret:true`, `Value:object <{"***":"x***"}>`, `Expected:array <["a***"]>`,
		"get ***: unsupported operation",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("masked step lacks %q:\n%s", want, got)
		}
	}
	if !errors.Is(s.Err, errors.ErrUnsupported) {
		t.Errorf("masked error %v is not errors.ErrUnsupported", s.Err)
	}
	if s.Checks[0].Details[1] != "+ ***" || s.Captures[0].Value.Value != Mask {
		t.Errorf("details %q, secret capture %v; want masked", s.Checks[0].Details, s.Captures[0].Value)
	}
}

// TestMaskStepEmpty leaves a step with no request or response as it is.
func TestMaskStepEmpty(t *testing.T) {
	m := mask.New()
	m.Add(testAPIKey)
	s := &StepResult{Name: "skipped"}
	maskStep(m, s)
	if s.Request != nil || s.Response != nil || s.Err != nil {
		t.Errorf("maskStep(empty) = %+v, want it empty", s)
	}
	if maskHeader(m, nil) != nil {
		t.Error("maskHeader(nil) is not nil")
	}
}

// TestMaskValue masks strings at any depth, object keys, and numbers and
// booleans whose text is a secret.
func TestMaskValue(t *testing.T) {
	m := mask.New()
	addValue(m, int64(4242))
	addValue(m, true) // "true": a secret boolean, as a rendered value is
	addValue(m, testToken)
	tests := []struct {
		in   any
		want string
	}{
		{nil, "<nil>"},
		{int64(4242), "***"},
		{int64(42), "42"},
		{4242.0, "***"},
		{true, "***"},
		{false, "false"},
		{"x" + testToken, "x***"},
		{[]any{int64(4242), []any{"a" + testToken}, nil}, "[*** [a***] <nil>]"},
		{map[string]any{testToken: map[string]any{"n": int64(4242)}}, "map[***:map[n:***]]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(maskValue(m, tt.in)); got != tt.want {
			t.Errorf("maskValue(%v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestAddNamed names each encoding of a secret value of at least
// mask.MinLen bytes, and ignores a shorter one.
func TestAddNamed(t *testing.T) {
	m := mask.New()
	addNamed(m, "key", testAPIKey)
	addNamed(m, "pin", int64(123))
	addNamed(m, "ab", "ab")
	text := strings.Join([]string{testAPIKey, "k%E2%82%ACy%2F%C3%A4%2B1+%3F~", "a+KCrHkvw6QrMSA/fg==", "123", "ab"}, " ")
	got, masked := m.Placeholders(text)
	want := "{{secret:key}} {{secret:key:query}} {{secret:key:base64}} {{secret:pin}} ab"
	if got != want || masked {
		t.Errorf("Placeholders = %q, %v; want %q, false", got, masked, want)
	}
	if m.Count() != 2 {
		t.Errorf("Count = %d, want 2 (ab is too short)", m.Count())
	}
}

// TestAddCredentials registers the credentials of Authorization and
// Proxy-Authorization, not of other headers.
func TestAddCredentials(t *testing.T) {
	m := mask.New()
	addCredentials(m, exchange.Header{
		{Name: "Authorization", Value: "Bearer tok-1"},
		{Name: "Proxy-Authorization", Value: "Basic cHJveHk6cHc="},
		{Name: "X-Other", Value: "Bearer tok-3"},
	})
	if got := m.String("tok-1 cHJveHk6cHc= tok-3"); got != "*** *** tok-3" {
		t.Errorf("String = %q, want the two credentials masked", got)
	}
}
