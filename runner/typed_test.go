package runner

import (
	"fmt"
	"testing"

	"github.com/tidwall/gjson"
)

func TestFromGJSON(t *testing.T) {
	doc := `{"i": 9007199254740993, "f": 1.0, "e": 1e2, "huge": 123456789012345678901234567890, "n": -0,
	         "o": {"big": 9007199254740993, "l": [1, 2.5, "x", null, false]}}`
	tests := []struct {
		path string
		want string // %T:%v
	}{
		{"i", "int64:9007199254740993"},
		{"f", "float64:1"},
		{"e", "float64:100"},
		{"huge", "float64:1.2345678901234568e+29"},
		{"n", "int64:0"},
		{"o.big", "int64:9007199254740993"},
		{"o.l", "[]interface {}:[1 2.5 x <nil> false]"},
		{"o.l.0", "int64:1"},
		{"o", "map[string]interface {}:map[big:9007199254740993 l:[1 2.5 x <nil> false]]"},
	}
	for _, tt := range tests {
		v, err := fromGJSON(gjson.Get(doc, tt.path))
		if got := fmt.Sprintf("%T:%v", v, v); err != nil || got != tt.want {
			t.Errorf("fromGJSON(%s) = %s, %v; want %s", tt.path, got, err, tt.want)
		}
	}
	o, _ := fromGJSON(gjson.Get(doc, "o"))
	if l := o.(map[string]any)["l"].([]any); fmt.Sprintf("%T", l[0]) != "int64" {
		t.Errorf("nested number is %T, want int64", l[0])
	}
}

func TestEqualJSON(t *testing.T) {
	tests := []struct {
		a, b any
		want bool
	}{
		{int64(200), int64(200), true},
		{int64(200), 200.0, true},
		{int64(200), "200", false},
		{"200", int64(200), false},
		{int64(9007199254740993), 9007199254740992.0, false},
		{int64(9007199254740992), 9007199254740992.0, true},
		{nil, nil, true},
		{nil, false, false},
		{[]any{int64(1), "a"}, []any{1.0, "a"}, true},
		{map[string]any{"a": int64(1)}, map[string]any{"a": int64(1), "b": nil}, false},
		{true, true, true},
	}
	for _, tt := range tests {
		if got := equalJSON(tt.a, tt.b); got != tt.want {
			t.Errorf("equalJSON(%#v, %#v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
	if cmp, ok := compareNumbers(int64(9007199254740993), 9007199254740992.0); !ok || cmp != 1 {
		t.Errorf("compareNumbers(2^53+1, 2^53) = %d, %v; want 1, true", cmp, ok)
	}
}
