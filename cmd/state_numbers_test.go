package cmd

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestStateNumbersExact checks that saved captures come back with their
// exact values: an id beyond int64 is not rounded through float64.
func TestStateNumbersExact(t *testing.T) {
	tests := []struct {
		raw  string
		want string // %T:%v
	}{
		{"42", "int64:42"},
		{"18446744073709551615", "*big.Int:18446744073709551615"},
		{"0.1000000000000000055511151231257827", "collections.Decimal:0.1000000000000000055511151231257827"},
		{"2.5", "float64:2.5"},
	}
	for _, tt := range tests {
		dec := json.NewDecoder(strings.NewReader(`{"v": ` + tt.raw + `}`))
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("Decode(%s) error = %v", tt.raw, err)
		}
		v := typedNumbers(m)["v"]
		if got := fmt.Sprintf("%T:%v", v, v); got != tt.want {
			t.Errorf("typedNumbers(%s) = %s, want %s", tt.raw, got, tt.want)
		}
		out, err := json.Marshal(v)
		if err != nil || string(out) != tt.raw {
			t.Errorf("json.Marshal(%s) = %s, %v; want %s", tt.want, out, err, tt.raw)
		}
	}
}
