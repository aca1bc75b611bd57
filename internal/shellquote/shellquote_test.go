package shellquote

import "testing"

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"api/x.yaml":     "api/x.yaml",
		"token=a+b@c,d%": "token=a+b@c,d%",
		"":               "''",
		"a b":            "'a b'",
		"it's":           `'it'\''s'`,
		"$HOME":          "'$HOME'",
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestJoin(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, ""},
		{[]string{"curl"}, "curl"},
		{[]string{"curl", "-H", "Authorization: Bearer $TOKEN", "it's"}, `curl -H 'Authorization: Bearer $TOKEN' 'it'\''s'`},
		{[]string{"a", "", "b"}, "a '' b"},
	}
	for _, tt := range tests {
		if got := Join(tt.args); got != tt.want {
			t.Errorf("Join(%q) = %s, want %s", tt.args, got, tt.want)
		}
	}
}
