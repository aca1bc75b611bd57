package runner

import (
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/callsheet/callsheet/eval"
	"github.com/tidwall/gjson"
)

func TestFromGJSON(t *testing.T) {
	doc := `{"i": 9007199254740993, "f": 1.0, "e": 1e2, "huge": 123456789012345678901234567890, "n": -0,
	         "u": 18446744073709551615, "past": 9223372036854775808, "d": 0.1000000000000000055511151231257827,
	         "tenth": 0.1, "inf": 1e400, "ubig": [18446744073709551615],
	         "o": {"big": 9007199254740993, "l": [1, 2.5, "x", null, false]}}`
	tests := []struct {
		path string
		want string // %T:%v
	}{
		{"i", "int64:9007199254740993"},
		{"f", "float64:1"},
		{"e", "float64:100"},
		{"huge", "*big.Int:123456789012345678901234567890"},
		{"u", "*big.Int:18446744073709551615"},
		{"past", "*big.Int:9223372036854775808"},
		{"d", "eval.Decimal:0.1000000000000000055511151231257827"},
		{"tenth", "float64:0.1"},
		{"inf", "eval.Decimal:1" + strings.Repeat("0", 400)},
		{"ubig", "[]interface {}:[18446744073709551615]"},
		{"ubig.0", "*big.Int:18446744073709551615"},
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
		{u64(t, "18446744073709551615"), u64(t, "18446744073709551615"), true},
		{u64(t, "18446744073709551615"), u64(t, "18446744073709551614"), false},
		{u64(t, "18446744073709551615"), 18446744073709551615.0, false}, // the float is 2^64
		{u64(t, "18446744073709552000"), 1.8446744073709552e19, true},   // a float64 is its shortest decimal
		{u64(t, "18446744073709551615"), "18446744073709551615", false},
		{"18446744073709551615", u64(t, "18446744073709551615"), false},
		{[]any{u64(t, "18446744073709551615")}, []any{u64(t, "18446744073709551615")}, true},
		{[]any{u64(t, "18446744073709551615")}, []any{u64(t, "18446744073709551614")}, false},
		{num(t, "0.1000000000000000055511151231257827"), 0.1, false},
		{num(t, "0.1000000000000000055511151231257827"), num(t, "0.1000000000000000055511151231257827"), true},
		{num(t, "1e400"), num(t, "10e399"), true},
	}
	for _, tt := range tests {
		if got := equalJSON(tt.a, tt.b); got != tt.want {
			t.Errorf("equalJSON(%#v, %#v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
	if cmp, ok := eval.CompareNumbers(int64(9007199254740993), 9007199254740992.0); !ok || cmp != 1 {
		t.Errorf("eval.CompareNumbers(2^53+1, 2^53) = %d, %v; want 1, true", cmp, ok)
	}
}

// num parses a number literal exactly, as a response body's would be.
func num(t *testing.T, lit string) any {
	t.Helper()
	n, err := parseNumber(lit)
	if err != nil {
		t.Fatalf("parseNumber(%q) error = %v", lit, err)
	}
	return n
}

// u64 parses an integer literal that must be beyond int64.
func u64(t *testing.T, lit string) *big.Int {
	t.Helper()
	n, ok := num(t, lit).(*big.Int)
	if !ok {
		t.Fatalf("parseNumber(%q) is not a *big.Int", lit)
	}
	return n
}

func TestCompareNumbersAcrossTypes(t *testing.T) {
	tests := []struct {
		a, b any
		want int
	}{
		{int64(9223372036854775807), u64(t, "9223372036854775808"), -1},
		{u64(t, "9223372036854775808"), int64(9223372036854775807), 1},
		{num(t, "-9223372036854775809"), int64(-9223372036854775808), -1},
		{u64(t, "18446744073709551615"), u64(t, "18446744073709551614"), 1},
		{u64(t, "18446744073709551615"), 1.8446744073709552e19, -1},
		{num(t, "0.1000000000000000055511151231257827"), 0.1, 1},
		{0.1, num(t, "0.1000000000000000055511151231257827"), -1},
		{num(t, "1e400"), 1.7976931348623157e308, 1},
		{num(t, "1e400"), math.Inf(1), -1},
		{u64(t, "18446744073709551615"), math.Inf(-1), 1},
		{eval.Decimal{}, int64(0), 0},
	}
	for _, tt := range tests {
		if got, ok := eval.CompareNumbers(tt.a, tt.b); !ok || got != tt.want {
			t.Errorf("eval.CompareNumbers(%v, %v) = %d, %v; want %d, true", tt.a, tt.b, got, ok, tt.want)
		}
	}
	if _, ok := eval.CompareNumbers(u64(t, "1"+strings.Repeat("0", 20)), "100000000000000000000"); ok {
		t.Errorf("eval.CompareNumbers(big, string) ok = true, want false")
	}
}

func TestTypedBigNumbers(t *testing.T) {
	tests := []struct {
		v        any
		typeName string
		str      string
	}{
		{u64(t, "18446744073709551615"), "integer", "integer <18446744073709551615>"},
		{num(t, "-123456789012345678901234567890"), "integer", "integer <-123456789012345678901234567890>"},
		{num(t, "0.1000000000000000055511151231257827"), "number", "number <0.1000000000000000055511151231257827>"},
		{num(t, "-1.25000000000000000000001e3"), "number", "number <-1250.00000000000000000001>"},
	}
	for _, tt := range tests {
		typed := Typed{Value: tt.v}
		if got := typed.TypeName(); got != tt.typeName {
			t.Errorf("Typed{%v}.TypeName() = %s, want %s", tt.v, got, tt.typeName)
		}
		if got := typed.String(); got != tt.str {
			t.Errorf("Typed{%v}.String() = %s, want %s", tt.v, got, tt.str)
		}
	}
}
