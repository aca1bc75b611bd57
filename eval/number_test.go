package eval

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		text string
		want string // %T:%v, or "error"
	}{
		{"42", "int64:42"},
		{"-7", "int64:-7"},
		{"+12", "int64:12"},
		{"9007199254740993", "int64:9007199254740993"},
		{"9223372036854775807", "int64:9223372036854775807"},
		{"9223372036854775808", "*big.Int:9223372036854775808"},
		{"-9223372036854775809", "*big.Int:-9223372036854775809"},
		{"18446744073709551615", "*big.Int:18446744073709551615"},
		{"123456789012345678901234567890", "*big.Int:123456789012345678901234567890"},
		{"2.5", "float64:2.5"},
		{"0.1", "float64:0.1"},
		{"1.0", "float64:1"},
		{"1e2", "float64:100"},
		{"1E-7", "float64:1e-07"},
		{"0.10", "float64:0.1"},
		{"-0.0", "float64:-0"},
		{"0.1000000000000000055511151231257827", "eval.Decimal:0.1000000000000000055511151231257827"},
		{"18446744073709551616.0", "eval.Decimal:18446744073709551616"},
		{"1.8446744073709551615e19", "eval.Decimal:18446744073709551615"},
		{"1e400", "eval.Decimal:1" + strings.Repeat("0", 400)},
		{"-2.5000000000000000000000001e-3", "eval.Decimal:-0.0025000000000000000000000001"},
		{"1e99999", "error"},
		{strings.Repeat("9", 10001), "error"},
		{strings.Repeat("9", 10000), "*big.Int:" + strings.Repeat("9", 10000)},
		{"", "error"},
		{"1.", "error"},
		{".5", "error"},
		{"0x1F", "error"},
		{"1e", "error"},
		{"1_000", "error"},
		{"NaN", "error"},
		{"12a", "error"},
	}
	for _, tt := range tests {
		n, err := ParseNumber(tt.text)
		got := fmt.Sprintf("%T:%v", n, n)
		if err != nil {
			got = "error"
		}
		if got != tt.want {
			t.Errorf("ParseNumber(%q) = %s, %v; want %s", tt.text, got, err, tt.want)
		}
	}
	if _, err := ParseNumber("1e99999"); !errors.Is(err, ErrNumberRange) {
		t.Errorf("ParseNumber(1e99999) error = %v, want ErrNumberRange", err)
	}
}

func TestCompareNumbers(t *testing.T) {
	num := func(s string) any {
		n, err := ParseNumber(s)
		if err != nil {
			t.Fatalf("ParseNumber(%q) error = %v", s, err)
		}
		return n
	}
	tests := []struct {
		a, b string
		want int
	}{
		{"18446744073709551615", "18446744073709551615", 0},
		{"18446744073709551615", "18446744073709551614", 1},
		{"9223372036854775807", "9223372036854775808", -1},
		{"-9223372036854775809", "-9223372036854775808", -1},
		{"18446744073709551615", "18446744073709551615.0", 0},
		{"18446744073709551615", "1.8446744073709552e19", -1},
		{"0.1000000000000000055511151231257827", "0.1", 1},
		{"0.1", "0.1000000000000000055511151231257827021181583404541015625", -1},
		{"0.3", "0.30000000000000000000000001", -1},
		{"1e400", "1.7976931348623157e308", 1},
		{"2", "2.0", 0},
		{"9007199254740993", "9007199254740992.0", 1},
	}
	for _, tt := range tests {
		if got, ok := CompareNumbers(num(tt.a), num(tt.b)); !ok || got != tt.want {
			t.Errorf("CompareNumbers(%s, %s) = %d, %v; want %d, true", tt.a, tt.b, got, ok, tt.want)
		}
		if got, ok := CompareNumbers(num(tt.b), num(tt.a)); !ok || got != -tt.want {
			t.Errorf("CompareNumbers(%s, %s) = %d, %v; want %d, true", tt.b, tt.a, got, ok, -tt.want)
		}
	}
	for _, pair := range [][2]any{{num("18446744073709551615"), "18446744073709551615"}, {"1", int64(1)}, {nil, int64(0)}} {
		if _, ok := CompareNumbers(pair[0], pair[1]); ok {
			t.Errorf("CompareNumbers(%#v, %#v) ok = true, want false", pair[0], pair[1])
		}
	}
}

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		in      string
		want    string // %T:%v
		wantErr bool
	}{
		{`{"id": 18446744073709551615}`, "map[string]interface {}:map[id:18446744073709551615]", false},
		{" [1, 2.5] \n", "[]interface {}:[1 2.5]", false},
		{`{"a":1} junk`, "", true},
		{`{"a":1}{"b":2}`, "", true},
		{`{"a":`, "", true},
	}
	for _, tt := range tests {
		got, err := DecodeJSON([]byte(tt.in))
		if tt.wantErr {
			if err == nil {
				t.Errorf("DecodeJSON(%q) = %v, want an error", tt.in, got)
			}
			continue
		}
		if s := fmt.Sprintf("%T:%v", got, got); err != nil || s != tt.want {
			t.Errorf("DecodeJSON(%q) = %s, %v, want %s", tt.in, s, err, tt.want)
		}
	}
}
