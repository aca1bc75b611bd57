package eval

import (
	"math"
	"testing"
)

func TestNormalizeUnsigned(t *testing.T) {
	tests := []struct {
		in   any
		want any
	}{
		{uint64(7), int64(7)},
		{uint64(math.MaxInt64), int64(math.MaxInt64)},
		{uint64(math.MaxUint64), float64(math.MaxUint64)},
	}
	for _, tt := range tests {
		if got := normalize(tt.in); got != tt.want {
			t.Errorf("normalize(%v) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}
