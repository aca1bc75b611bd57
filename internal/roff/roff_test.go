package roff

import "testing"

func TestEscapeRunes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{".TH CALLSHEET 1\n\\fBrun\\fP", ".TH CALLSHEET 1\n\\fBrun\\fP"},
		{"café", `caf\[u00E9]`},
		{"a … b", `a \[u2026] b`},
		{"😀", `\[u1F600]`},
	}
	for _, tt := range tests {
		if got := EscapeRunes(tt.in); got != tt.want {
			t.Errorf("EscapeRunes(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
