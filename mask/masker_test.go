package mask

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
)

// The secrets of the tests. The standard and URL-safe base64 forms of each
// differ ('+' and '/' against '-' and '_') and end in padding; they hold
// non-ASCII characters and characters that URLs and JSON escape.
const (
	testAPIKey = "k€y/ä+1 ?~" // base64 a+KCrHkvw6QrMSA/fg==
	testToken  = "tok_~~~~?>" // base64 dG9rX35+fn4/Pg==, JSON "tok_~~~~?\u003e"
)

func TestString(t *testing.T) {
	m := New()
	m.Add("ab") // too short to mask
	m.Add("p@ss word")
	m.Add("123456")
	m.Add(testAPIKey)
	m.Add(testToken)
	tests := []struct{ in, want string }{
		{"ab abc", "ab abc"},
		{"x=p@ss word", "x=***"},
		{"x=p%40ss+word", "x=***"},
		{"/p@ss%20word/", "/***/"},
		{base64.StdEncoding.EncodeToString([]byte("p@ss word")), "***"},
		{"id 123456", "id ***"},
		{"key=" + testAPIKey + ";", "key=***;"},
		{"in" + testAPIKey + "words", "in***words"},
		{"tok=" + testToken + "&x", "tok=***&x"},
		{"", ""},
		{"12", "12"},
	}
	for _, secret := range []string{testAPIKey, testToken} {
		for _, form := range Forms(secret) {
			tests = append(tests, struct{ in, want string }{"a " + form + " b", "a *** b"}, struct{ in, want string }{"x" + form + "y", "x***y"})
		}
	}
	for _, tt := range tests {
		if got := m.String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := string(m.Bytes([]byte(tt.in))); got != tt.want {
			t.Errorf("Bytes(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got, want := m.Contains(tt.in), tt.in != tt.want; got != want {
			t.Errorf("Contains(%q) = %v, want %v", tt.in, got, want)
		}
	}
	if !m.IsSecretBytes([]byte("123456")) || m.IsSecretBytes([]byte("1234567")) {
		t.Errorf("IsSecretBytes = %v, %v; want true, false", m.IsSecretBytes([]byte("123456")), m.IsSecretBytes([]byte("1234567")))
	}
	if !m.IsSecret("123456") || m.IsSecret("12345") || m.Count() != 4 {
		t.Errorf("IsSecret, Count = %v, %v, %d; want true, false, 4", m.IsSecret("123456"), m.IsSecret("12345"), m.Count())
	}
}

// TestStringAsReplacer checks the matcher against strings.Replacer given
// every form, longest first: at each place the longest form starting
// there is masked, leftmost first. Secrets and texts are drawn from a
// small alphabet so that forms overlap, nest and share prefixes, and
// secrets are added between texts, as a run captures them.
func TestStringAsReplacer(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = "abc+/="[r.IntN(6)]
		}
		return string(b)
	}
	for round := range 200 {
		m := New()
		var forms []string
		for range 1 + r.IntN(30) {
			s := word(MinLen + r.IntN(6))
			m.Add(s)
			for _, f := range Forms(s) {
				if !slices.Contains(forms, f) {
					forms = append(forms, f)
				}
			}
			slices.SortStableFunc(forms, func(a, b string) int { return len(b) - len(a) })
			var pairs []string
			for _, f := range forms {
				pairs = append(pairs, f, Text)
			}
			want := strings.NewReplacer(pairs...)
			for range 5 {
				text := word(r.IntN(60))
				if got, w := m.String(text), want.Replace(text); got != w {
					t.Fatalf("round %d: String(%q) = %q, want %q (forms %q)", round, text, got, w, forms)
				}
			}
		}
	}
}

func TestPlaceholders(t *testing.T) {
	m := New()
	m.Add("unnamed-secret")
	m.Add("token-value")
	m.Name("token-value", "{{secret:token}}")
	m.Name("token-value", "{{secret:other}}") // the first name stays
	m.Add("secret")
	m.Name("secret", "{{secret:secret}}") // part of a placeholder
	tests := []struct {
		in, want string
		masked   bool
	}{
		{"a token-value b", "a {{secret:token}} b", false},
		{"x unnamed-secret y", "x *** y", true},
		{"secret token-value", "{{secret:secret}} {{secret:token}}", false},
		{"nothing here", "nothing here", false},
	}
	for _, tt := range tests {
		if got, masked := m.Placeholders(tt.in); got != tt.want || masked != tt.masked {
			t.Errorf("Placeholders(%q) = %q, %v; want %q, %v", tt.in, got, masked, tt.want, tt.masked)
		}
	}
	if got := m.String("token-value"); got != Text {
		t.Errorf("String(named) = %q, want %q", got, Text)
	}
}

func TestPrefix(t *testing.T) {
	m := New()
	m.Add("p@ss word")
	if got := m.Prefix([]byte("0123p@ss word"), 6); string(got) != "0123**" {
		t.Errorf("Prefix() = %q, want the secret masked before the cut", got)
	}
	if got := m.Prefix([]byte("abc"), 0); got != nil {
		t.Errorf("Prefix(limit 0) = %q, want nil", got)
	}
	// A secret masked early shortens the text, so the cut keeps bytes from
	// further on: a secret there is masked whole too.
	for _, secrets := range [][]string{{testAPIKey, testToken}, {"SECRET-AAAA", "SECRET-BBBB"}} {
		m := New()
		for _, s := range secrets {
			m.Add(s)
		}
		body := secrets[0] + "xxxxx" + secrets[1] + secrets[0] + " and more"
		full := m.String(body)
		for limit := range len(body) + 1 {
			if got := string(m.Prefix([]byte(body), limit)); !strings.HasPrefix(full, got) {
				t.Errorf("Prefix(%q, %d) = %q, want the start of %q", body, limit, got, full)
			}
		}
	}
}

// TestPrefixAndBytesAsString checks Bytes and Prefix, which read a text
// once, against String: Bytes is the masked text, Prefix its first limit
// bytes, at every limit, on texts where forms overlap and nest.
func TestPrefixAndBytesAsString(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = "abc+/="[r.IntN(6)]
		}
		return string(b)
	}
	for round := range 200 {
		m := New()
		for range 1 + r.IntN(10) {
			m.Add(word(MinLen + r.IntN(8)))
		}
		text := word(r.IntN(80))
		full := m.String(text)
		if got := string(m.Bytes([]byte(text))); got != full {
			t.Fatalf("round %d: Bytes(%q) = %q, want %q", round, text, got, full)
		}
		for limit := range len(text) + 2 {
			want := full[:min(limit, len(full))]
			if got := string(m.Prefix([]byte(text), limit)); got != want {
				t.Fatalf("round %d: Prefix(%q, %d) = %q, want %q", round, text, limit, got, want)
			}
		}
	}
}

// TestFormsJSON checks the JSON form of a secret against encoding/json,
// on secrets with and without characters it escapes.
func TestFormsJSON(t *testing.T) {
	for _, secret := range []string{"plain-token_~.", "sp ace", `quo"te`, `back\slash`, "<tag>&amp", "tab\there",
		"nl\n", "del\x7f", "café", "line sep", "bad\xff\xfeutf8", "\x00\x1f"} {
		q, err := json.Marshal(secret)
		if err != nil {
			t.Fatal(err)
		}
		forms := Forms(secret)
		if got, want := forms[len(forms)-1], string(q[1:len(q)-1]); got != want {
			t.Errorf("JSON form of %q = %q, want %q", secret, got, want)
		}
	}
}

func TestHeader(t *testing.T) {
	m := New()
	m.Add("s3cr3t")
	m.AddCredential("authorization", "Basic dXNlcjpwYXNz")
	m.AddCredential("X-Other", "Bearer not-a-credential")
	tests := []struct{ name, value, want string }{
		{"Authorization", "Bearer abc.def", "Bearer ***"},
		{"Proxy-Authorization", "opaque", "***"},
		{"cookie", "a=1; b=2", "***"},
		{"Set-Cookie", "id=1", "***"},
		{"X-Key", "key s3cr3t", "key ***"},
		{"Location", "/echo?c=dXNlcjpwYXNz", "/echo?c=***"},
		{"X-Other", "not-a-credential", "not-a-credential"},
	}
	for _, tt := range tests {
		if got := m.Header(tt.name, tt.value); got != tt.want {
			t.Errorf("Header(%s, %q) = %q, want %q", tt.name, tt.value, got, tt.want)
		}
	}
	if !Sensitive("cookie") || Sensitive("Set-Cookie") || !Sensitive("Proxy-Authorization") {
		t.Error("Sensitive: want Cookie and Proxy-Authorization, not Set-Cookie")
	}
}

// TestConcurrent adds secrets while others mask (run with -race).
func TestConcurrent(t *testing.T) {
	m := New()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 200 {
				s := fmt.Sprintf("secret-%d-%d", w, i)
				m.Add(s)
				if got := m.String("x " + s + " y"); got != "x *** y" {
					t.Errorf("String = %q", got)
					return
				}
			}
		})
	}
	wg.Wait()
	if m.Count() != 800 {
		t.Errorf("Count() = %d, want 800", m.Count())
	}
}

// TestFormsBuiltAtFirstRead checks that Add only notes a secret: its
// forms are built when the Masker is next read, and a secret added after
// a read is masked at the read after.
func TestFormsBuiltAtFirstRead(t *testing.T) {
	m := New()
	m.Add("s3cr3t-value")
	m.Add("s3cr3t-value")
	m.Add("another-secret")
	if n := len(m.forms.keys); n != 0 {
		t.Fatalf("%d form keys before any read, want none", n)
	}
	if got, want := m.String("x s3cr3t-value y another-secret"), "x *** y ***"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	if got := m.Count(); got != 2 {
		t.Errorf("Count() = %d, want 2", got)
	}
	m.Add("third-secret")
	if !m.Contains("a third-secret b") || !m.IsSecret("third-secret") {
		t.Errorf("a secret added after a read is not masked at the next")
	}
}
