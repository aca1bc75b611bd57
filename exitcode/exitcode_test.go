package exitcode

import "testing"

func TestWorse(t *testing.T) {
	tests := []struct{ a, b, want int }{
		{OK, Failed, Failed},
		{Failed, OK, Failed},
		{Failed, Error, Error},
		{Error, Failed, Error},
		{OK, OK, OK},
		{Error, Usage, Usage},
		{Usage, Error, Usage},
		{Interrupted, Error, Interrupted},
		{Threshold, OK, Threshold},
	}
	for _, tt := range tests {
		if got := Worse(tt.a, tt.b); got != tt.want {
			t.Errorf("Worse(%d, %d) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
