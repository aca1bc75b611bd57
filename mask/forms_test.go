package mask

import (
	"slices"
	"testing"
)

// testShortKey is a secret whose base64 forms end in one '=' and hold '/'
// (standard) and '_' (URL-safe), with a non-ASCII character.
const testShortKey = "~?ü>" // base64 fj/DvD4=

// TestForms lists the forms of secrets with padding, '+' and '/' in their
// standard base64, non-ASCII characters, and characters that URLs and
// JSON escape.
func TestForms(t *testing.T) {
	tests := []struct {
		secret string
		want   []string
	}{
		{testAPIKey, []string{
			testAPIKey,
			"k%E2%82%ACy%2F%C3%A4%2B1+%3F~",
			"k%E2%82%ACy%2F%C3%A4+1%20%3F~",
			"k%E2%82%ACy/%C3%A4+1%20%3F~",
			"a+KCrHkvw6QrMSA/fg==",
			"a-KCrHkvw6QrMSA_fg",
			testAPIKey,
		}},
		{testToken, []string{
			testToken,
			"tok_~~~~%3F%3E",
			"tok_~~~~%3F%3E",
			"tok_~~~~%3F%3E",
			"dG9rX35+fn4/Pg==",
			"dG9rX35-fn4_Pg",
			`tok_~~~~?\u003e`,
		}},
		{testShortKey, []string{
			testShortKey,
			"~%3F%C3%BC%3E",
			"~%3F%C3%BC%3E",
			"~%3F%C3%BC%3E",
			"fj/DvD4=",
			"fj_DvD4",
			`~?ü\u003e`,
		}},
		{`a"b\c`, []string{`a"b\c`, "a%22b%5Cc", "a%22b%5Cc", "a%22b%5Cc", "YSJiXGM=", "YSJiXGM", `a\"b\\c`}},
	}
	for _, tt := range tests {
		if got := Forms(tt.secret); !slices.Equal(got, tt.want) {
			t.Errorf("Forms(%q) =\n%q\nwant\n%q", tt.secret, got, tt.want)
		}
	}
}

// TestFormsMaskedInText masks the JSON and base64 forms of secrets where
// they stand in a document, the JSON one between its quotes.
func TestFormsMaskedInText(t *testing.T) {
	m := New()
	for _, s := range []string{testAPIKey, testToken, testShortKey} {
		m.Add(s)
	}
	tests := []struct{ in, want string }{
		{`{"t":"tok_~~~~?\u003e","n":1}`, `{"t":"***","n":1}`},
		{`{"k":"~?ü\u003e"}`, `{"k":"***"}`},
		{"Authorization: Basic fj/DvD4=", "Authorization: Basic ***"},
		{"GET /x?k=fj_DvD4&y=1", "GET /x?k=***&y=1"},
		{"path /k%E2%82%ACy/%C3%A4+1%20%3F~/end", "path /***/end"},
		{"compass" + testShortKey + "ion", "compass***ion"},
	}
	for _, tt := range tests {
		if got := m.String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestMinLen masks a secret of MinLen bytes, in a text of exactly that
// length too, and ignores a shorter one; texts shorter than MinLen hold
// no secret.
func TestMinLen(t *testing.T) {
	m := New()
	m.Add("x+y") // MinLen bytes
	m.Add("zz")  // too short
	if m.Count() != 1 || !m.IsSecret("x+y") || m.IsSecret("zz") {
		t.Errorf("Count, IsSecret = %d, %v, %v; want 1, true, false", m.Count(), m.IsSecret("x+y"), m.IsSecret("zz"))
	}
	tests := []struct {
		in, want string
		contains bool
	}{
		{"x+y", Text, true},
		{"a x+y b", "a *** b", true},
		{"a x%2By b", "a *** b", true},
		{"zz", "zz", false},
		{"a zz b", "a zz b", false},
		{"x+", "x+", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := m.String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got, masked := m.Placeholders(tt.in); got != tt.want || masked != tt.contains {
			t.Errorf("Placeholders(%q) = %q, %v; want %q, %v", tt.in, got, masked, tt.want, tt.contains)
		}
		if got := m.Contains(tt.in); got != tt.contains {
			t.Errorf("Contains(%q) = %v, want %v", tt.in, got, tt.contains)
		}
		if got := m.ContainsBytes([]byte(tt.in)); got != tt.contains {
			t.Errorf("ContainsBytes(%q) = %v, want %v", tt.in, got, tt.contains)
		}
	}
	// A text shorter than MinLen holds no secret whatever was named.
	m.Name("x+", "{{secret:short}}")
	if got, masked := m.Placeholders("x+"); got != "x+" || masked {
		t.Errorf("Placeholders(x+) = %q, %v; want it unchanged", got, masked)
	}
}

// TestNameMinLen names a form of MinLen bytes that was never added: it
// reads as its placeholder, and as Text in String.
func TestNameMinLen(t *testing.T) {
	m := New()
	m.Name("a/b", "{{secret:s}}")
	if got, masked := m.Placeholders("x a/b y"); got != "x {{secret:s}} y" || masked {
		t.Errorf("Placeholders = %q, %v; want x {{secret:s}} y, false", got, masked)
	}
	if got := m.String("x a/b y"); got != "x *** y" {
		t.Errorf("String = %q, want x *** y", got)
	}
}
