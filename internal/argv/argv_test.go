package argv

import (
	"strings"
	"testing"
)

func TestFlagsFirst(t *testing.T) {
	json := func(next string) bool { return strings.HasSuffix(next, ".json") }
	flags := map[string]Flag{
		"var": {TakesValue: true}, "timeout": {TakesValue: true}, "t": {TakesValue: true},
		"sandbox": {}, "v": {}, "state": {Accepts: json},
	}
	tests := []struct{ in, want string }{
		{"", ""},
		{"a.yaml", "-- a.yaml"},
		{"a.yaml --sandbox", "--sandbox -- a.yaml"},
		{"a.yaml --var x=1 b.yaml -v", "--var x=1 -v -- a.yaml b.yaml"},
		{"--timeout 5s a.yaml", "--timeout 5s -- a.yaml"},
		{"-t 5s a.yaml", "-t 5s -- a.yaml"},
		{"--var=x=1 a.yaml", "--var=x=1 -- a.yaml"},
		{"a.yaml -- -odd.yaml --sandbox", "-- a.yaml -odd.yaml --sandbox"},
		{"--sandbox", "--sandbox"},
		{"--var", "--var"},
		{"--unknown a.yaml", "--unknown -- a.yaml"},
		{"--state a.yaml", "--state -- a.yaml"},
		{"--state s.json a.yaml", "--state=s.json -- a.yaml"},
		{"a.yaml --state=x", "--state=x -- a.yaml"},
		{"- a.yaml", "-- - a.yaml"},
	}
	for _, tt := range tests {
		got := strings.Join(FlagsFirst(strings.Fields(tt.in), flags), " ")
		if got != tt.want {
			t.Errorf("FlagsFirst(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
