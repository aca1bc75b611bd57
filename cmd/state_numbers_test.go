package cmd

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestStateNumbersExact checks that saved captures come back from a state
// file with their exact values: an id beyond int64 is not rounded through
// float64, and each value encodes back to the digits it was saved with.
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
		path := filepath.Join(t.TempDir(), "state.json")
		doc := `{"version": 1, "collections": {"c.yaml": {"captures": {"v": ` + tt.raw + `}}}}`
		if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		sf, err := readState(path)
		if err != nil {
			t.Fatalf("readState(%s) error = %v", doc, err)
		}
		v := sf.Collections["c.yaml"].Captures["v"]
		if got := fmt.Sprintf("%T:%v", v, v); got != tt.want {
			t.Errorf("readState capture %s = %s, want %s", tt.raw, got, tt.want)
		}
		out, err := json.Marshal(v)
		if err != nil || string(out) != tt.raw {
			t.Errorf("json.Marshal(%s) = %s, %v; want %s", tt.want, out, err, tt.raw)
		}
	}
}
