package mask

import (
	"strings"
	"testing"
)

// TestPrefixBounds cuts texts with and without secrets at small limits and
// at their own length.
func TestPrefixBounds(t *testing.T) {
	m := New()
	m.Add("p@ss")
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{"abc", 1, "a"},
		{"a", 5, "a"},
		{"a", 1, "a"},
		{"", 5, ""},
		{"abc", -1, ""},
		{"abcdef", 3, "abc"},
		{"abcdef", 6, "abcdef"},
		{"abcdef", 9, "abcdef"},
		{"ab p@ss cd", 5, "ab **"},
		{"ab p@ss cd", 1, "a"},
		{"ab p@ss cd", 20, "ab *** cd"},
	}
	for _, tt := range tests {
		if got := string(m.Prefix([]byte(tt.in), tt.limit)); got != tt.want {
			t.Errorf("Prefix(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
	}
}

// TestPrefixShares returns the text itself when it is short enough and
// holds no secret, and a copy when it is cut, so that a cut never keeps a
// large body's array alive.
func TestPrefixShares(t *testing.T) {
	m := New()
	m.Add("p@ss")
	for _, limit := range []int{6, 7} {
		b := []byte("abcdef")
		got := m.Prefix(b, limit)
		if string(got) != "abcdef" || &got[0] != &b[0] {
			t.Errorf("Prefix(abcdef, %d) = %q at a new array, want abcdef itself", limit, got)
		}
	}
	b := []byte("abcdef")
	got := m.Prefix(b, 5)
	if string(got) != "abcde" || &got[0] == &b[0] {
		t.Errorf("Prefix(abcdef, 5) = %q on b's array, want a copy of abcde", got)
	}
}

// TestPrefixNamedForm cuts a text across a form that was only named, never
// added: the form is masked whole before the cut.
func TestPrefixNamedForm(t *testing.T) {
	m := New()
	long := "0123456789abcdef"
	m.Name(long, "{{secret:long}}")
	for limit := 1; limit <= 8; limit++ {
		got := string(m.Prefix([]byte("xx"+long+" tail"), limit))
		if want := "xx*** tail"[:limit]; got != want {
			t.Errorf("Prefix(limit %d) = %q, want %q", limit, got, want)
		}
		if strings.Contains(got, "01") {
			t.Errorf("Prefix(limit %d) = %q shows the start of the secret", limit, got)
		}
	}
}
