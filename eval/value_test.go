package eval

import (
	"testing"
)

func TestStringify(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{nil, ""},
		{"s", "s"},
		{true, "true"},
		{int64(-3), "-3"},
		{7, "7"},
		{1.5, "1.5"},
		{4264807.0, "4264807"},
		{1e20, "1e+20"},
		{[]any{int64(1), "a"}, `[1,"a"]`},
		{map[string]any{"a": nil}, `{"a":null}`},
	}
	for _, tt := range tests {
		if got := Stringify(tt.in); got != tt.want {
			t.Errorf("Stringify(%#v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
